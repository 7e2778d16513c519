// Package store keeps the results of a report directory in cells.jsonl:
// one checksummed JSON line per finished cell, appended and synced as each
// cell finishes, read back on resume with every damaged or duplicated
// record reported and recomputed, and read by merge. It holds the results
// of one sweep; it is not a database, and it does not lock the directory
// (internal/dirlock does).
package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"sweep/experiments"
	"sweep/internal/atomicfile"
	"sweep/internal/userfile"
)

// File is the results store of a report directory: one JSON line per
// finished cell, appended with a single write and fsync the moment the
// cell finishes, after a header line that names the sweep. A crash, kill
// -9 or power loss loses at most the cells that were running; a torn last
// line is dropped on the next open.
//
// Every record line is {"crc32c":"%08x","cell":{...}}, the checksum being
// the CRC-32C (Castagnoli) of exactly the bytes of the cell object. On
// open, a record whose checksum, JSON or values do not hold, or a cell
// stored twice, is reported with file:line and dropped, so its cell is
// computed again; the file is then rewritten without it.
const File = "cells.jsonl"

// version changes whenever the meaning of a stored result or the
// record format changes, so that an old store is refused rather than
// mixed with new results. Version 2 added the record checksums, version 3
// the cell keys with axes and the scores by schema name, version 5 the
// gmm scores (loglik_train, loglik_test, bic, aic, converged).
const version = 5

// Header is the first line of a store.
type Header struct {
	Version     int                `json:"version"`
	Fingerprint string             `json:"fingerprint"`
	Config      experiments.Config `json:"config"`
	DataSHA256  string             `json:"data_sha256"`
	Cells       int                `json:"cells"`
	Shard       int                `json:"shard"`  // 0-based; with Shards
	Shards      int                `json:"shards"` // 1 when not sharded
}

// record is one stored cell: its key (Cell.Key, with the fold), and its
// scores by their schema names (Scores). Floats are written as their
// shortest exact decimal ("" for NaN), so a result read back is
// bit-identical.
type record struct {
	Cell        string            `json:"cell"`
	Failed      string            `json:"failed,omitempty"`
	Note        string            `json:"note,omitempty"`
	Scores      map[string]string `json:"scores"`
	KMeansSec   string            `json:"kmeans_seconds"`
	SilSec      string            `json:"silhouette_seconds"`
	Seconds     string            `json:"seconds"`
	TrainLabels []int             `json:"train_labels,omitempty"`
	TestLabels  []int             `json:"test_labels,omitempty"`
}

func parseF(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// Fingerprint hashes everything that affects results: the config without
// the fields that only place or shape the output (name, workers, report),
// the data file's sha256 and the store version.
func Fingerprint(cfg experiments.Config, dataSHA string) string {
	c := cfg
	c.Name = ""
	c.Workers = 0
	c.Report = experiments.ReportConfig{}
	c.Data.Path = ""
	c.Data.Labels = ""  // the data sha256 covers the labels file
	c.Data.MaxBytes = 0 // a bound on reading, not on results
	b, err := json.Marshal(struct {
		Version int
		Config  experiments.Config
		Data    string
	}{version, c, dataSHA})
	if err != nil {
		panic(fmt.Sprintf("experiments: fingerprint: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Store appends finished cells to a report directory's results store.
// The caller holds the directory's lock (internal/dirlock) while it is open.
type Store struct {
	path   string
	f      *os.File
	Header Header
	// Done holds the cells read back when the store was opened, by key.
	Done map[string]*experiments.Result
	// Warnings lists, as "file:line: ...", the records dropped when the
	// store was opened (damaged or duplicated), and cells that are
	// computed again for another reason; the caller prints them.
	Warnings []string
}

// removeStoreFiles removes the temporary files of the store that a killed
// run left in dir (".cells.jsonl.<digits>.tmp", see internal/atomicfile),
// and with fresh the store itself. The caller holds the directory's lock.
func removeStoreFiles(dir string, fresh bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read report directory %s: %w", dir, err)
	}
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !(fresh && n == File || atomicfile.IsTemp(n, File)) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove %w", err)
		}
	}
	return nil
}

// ErrOtherConfig is returned by Open for a directory made by a
// different config or data.
var ErrOtherConfig = errors.New("report directory was made by a different config or data")

// Open opens (creating when absent) the store in dir for header h.
// With fresh, an existing store and every report file a sweep writes are
// removed first. An existing store with another fingerprint is refused
// with ErrOtherConfig. Damaged or duplicated records are dropped (see
// File) and listed in Warnings, and the file is rewritten without
// them. Leftover temporary files of a killed run are removed.
func Open(dir string, h Header, s *experiments.Sweep, fresh bool) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create report directory %s: %w", dir, err)
	}
	if err := removeStoreFiles(dir, fresh); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, File)
	h.Version = version
	st := &Store{path: path, Header: h, Done: map[string]*experiments.Result{}}
	c, err := readStore(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL|os.O_APPEND, 0o644)
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		st.f = f
		b, _ := json.Marshal(h)
		if err := st.append(b); err != nil {
			f.Close()
			return nil, err
		}
		return st, nil
	case err != nil:
		return nil, err
	}
	old := c.Header
	if old.Fingerprint != h.Fingerprint {
		return nil, fmt.Errorf("%s: %w (fingerprint %.12s, this run %.12s); use another -out or -fresh to discard it",
			dir, ErrOtherConfig, old.Fingerprint, h.Fingerprint)
	}
	if old.Shard != h.Shard || old.Shards != h.Shards {
		return nil, fmt.Errorf("%s: holds shard %d/%d, this run is shard %d/%d; use another -out or -fresh",
			dir, old.Shard+1, old.Shards, h.Shard+1, h.Shards)
	}
	results := storedResults(s, c)
	st.Warnings = c.Warnings
	if s.Config.Report.Assignments {
		st.Warnings = append(st.Warnings, c.dropUnlabelled(results)...)
	}
	if c.dirty {
		if err := c.rewrite(); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	st.f = f
	for i, r := range results {
		if r != nil && c.recs[i].line > 0 && r.Failed == "" {
			st.Done[r.Key()] = r // failed cells are computed again
		}
	}
	return st, nil
}

// storeContents is what a store file holds: its header and its sound
// records, at most one per cell.
type storeContents struct {
	path      string
	Header    Header
	headerRaw []byte
	recs      []storedRecord // line 0: dropped after reading
	// Warnings lists the records dropped, as "file:line: ...".
	Warnings []string
	// dirty is set when the file holds more than headerRaw and recs:
	// dropped records, a torn last line, superseded failures.
	dirty bool
}

// storedRecord is one record line of a store.
type storedRecord struct {
	line int
	raw  []byte
	rec  record
}

// recordPrefix and recordSuffix enclose the checksum and the cell object
// of a record line, byte for byte.
const (
	recordPrefix = `{"crc32c":"`
	recordMiddle = `","cell":`
	recordSuffix = `}`
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encodeRecord returns the line (without newline) that stores rec.
func encodeRecord(rec record) ([]byte, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "%s%08x%s%s%s", recordPrefix, crc32.Checksum(b, castagnoli), recordMiddle, b, recordSuffix), nil
}

// decodeStrict decodes one JSON value from b into v, refusing unknown
// fields and anything after the value.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// decodeRecord checks a record line's checksum, JSON and values.
func decodeRecord(text []byte) (record, error) {
	var rec record
	// The envelope is matched byte for byte: JSON would take "CRC32C" or
	// spaces for the same line.
	rest, ok := bytes.CutPrefix(text, []byte(recordPrefix))
	if ok && len(rest) >= 8 {
		rest, ok = bytes.CutPrefix(rest[8:], []byte(recordMiddle))
	}
	if ok {
		rest, ok = bytes.CutSuffix(rest, []byte(recordSuffix))
	}
	if !ok {
		return rec, fmt.Errorf(`not a record line (want %s<crc32c>%s{...}%s)`, recordPrefix, recordMiddle, recordSuffix)
	}
	crc := text[len(recordPrefix) : len(recordPrefix)+8]
	if got := fmt.Sprintf("%08x", crc32.Checksum(rest, castagnoli)); string(crc) != got {
		return rec, fmt.Errorf("checksum %q, the content gives %q", crc, got)
	}
	if err := decodeStrict(rest, &rec); err != nil {
		return rec, fmt.Errorf("cell: %v", err)
	}
	if err := rec.check(); err != nil {
		return rec, fmt.Errorf("cell %s: %v", rec.key(), err)
	}
	return rec, nil
}

func (rec *record) key() string { return rec.Cell }

// readStore reads a store file and checks every record (see File).
// A header that is not a header of this version, or whose fingerprint
// does not match its own config and data, is an error.
func readStore(path string) (*storeContents, error) {
	if err := userfile.NotRegular(path); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := &storeContents{path: path}
	byKey := map[string]int{} // index in c.recs of the record kept
	for line := 1; len(b) > 0; line++ {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			c.dirty = true // torn last line: no newline yet
			break
		}
		text := b[:i]
		b = b[i+1:]
		if line == 1 {
			if err := c.readHeader(text); err != nil {
				return nil, err
			}
			continue
		}
		rec, err := decodeRecord(text)
		if err != nil {
			c.drop(line, "damaged record: %v; it is dropped and its cell computed again", err)
			continue
		}
		k := rec.key()
		j, seen := byKey[k]
		switch {
		case !seen:
			byKey[k] = len(c.recs)
		case c.recs[j].rec.Failed != "" || c.recs[j].line == 0:
			// A retried failure, or a cell already dropped: the new
			// record stands (and a duplicate of a dropped one is dropped).
			if c.recs[j].line == 0 && c.recs[j].rec.Failed == "" {
				c.drop(line, "cell %s is stored more than twice; it is computed again", k)
				continue
			}
			c.recs[j].line, c.dirty = 0, true
			byKey[k] = len(c.recs)
		case rec.Failed != "":
			c.dirty = true // a failure after a success: keep the success
			continue
		default:
			c.drop(line, "cell %s is stored twice (also line %d); it is computed again", k, c.recs[j].line)
			c.recs[j].line = 0
			continue
		}
		c.recs = append(c.recs, storedRecord{line: line, raw: text, rec: rec})
	}
	if c.headerRaw == nil {
		return nil, fmt.Errorf("%s: no header line; use -fresh", path)
	}
	return c, nil
}

func (c *storeContents) readHeader(text []byte) error {
	h := &c.Header
	if err := json.Unmarshal(text, h); err != nil {
		return fmt.Errorf("%s:1: not a results store header: %v", c.path, err)
	}
	if h.Version != version {
		return fmt.Errorf("%s:1: results store version %d, this sweep reads %d; use -fresh", c.path, h.Version, version)
	}
	if Fingerprint(h.Config, h.DataSHA256) != h.Fingerprint {
		return fmt.Errorf("%s:1: the header's fingerprint does not match its config and data (the header was edited or damaged); use -fresh", c.path)
	}
	c.headerRaw = text
	return nil
}

// drop records a dropped line.
func (c *storeContents) drop(line int, format string, args ...any) {
	c.Warnings = append(c.Warnings, fmt.Sprintf("%s:%d: %s", c.path, line, fmt.Sprintf(format, args...)))
	c.dirty = true
}

// rewrite replaces the store file, atomically, by its header and the
// records still kept.
func (c *storeContents) rewrite() error {
	return atomicfile.Write(c.path, func(w io.Writer) error {
		if _, err := w.Write(append(c.headerRaw, '\n')); err != nil {
			return err
		}
		for _, r := range c.recs {
			if r.line > 0 {
				if _, err := w.Write(append(r.raw, '\n')); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// storedResults rebuilds the results of the kept records, indexed like
// c.recs, dropping (with a warning) records that do not fit this sweep:
// a cell outside the grid, or cluster labels for another number of rows.
func storedResults(s *experiments.Sweep, c *storeContents) []*experiments.Result {
	out := make([]*experiments.Result, len(c.recs))
	inGrid := map[experiments.Cell]bool{}
	for _, x := range s.Cells {
		inGrid[x] = true
	}
	for i := range c.recs {
		sr := &c.recs[i]
		if sr.line == 0 {
			continue
		}
		r := fromRecord(s, sr.rec)
		switch {
		case !inGrid[r.Cell]:
			c.drop(sr.line, "damaged record: cell %s is not in the grid of this config; it is dropped", r.Key())
		case sr.rec.TrainLabels != nil && len(r.TrainLabels) != len(r.TrainRows),
			sr.rec.TestLabels != nil && len(r.TestLabels) != len(r.TestRows):
			c.drop(sr.line, "damaged record: cell %s: %d and %d cluster labels for %d and %d rows; it is dropped and computed again",
				r.Key(), len(r.TrainLabels), len(r.TestLabels), len(r.TrainRows), len(r.TestRows))
		default:
			out[i] = r
			continue
		}
		sr.line = 0
	}
	return out
}

// dropUnlabelled drops the successful records stored without cluster
// labels (by a run without report.assignments), so that they are
// computed again with them, and says so.
func (c *storeContents) dropUnlabelled(results []*experiments.Result) []string {
	n := 0
	for i, r := range results {
		if r != nil && c.recs[i].line > 0 && r.Failed == "" && r.TrainLabels == nil {
			c.recs[i].line, c.dirty = 0, true
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s: %d stored cells have no cluster assignments (stored without -assignments); computing them again", c.path, n)}
}

// Shard is a store read by Read.
type Shard struct {
	Header   Header
	Warnings []string // records dropped, as "file:line: ..."
	c        *storeContents
}

// Read reads the store in dir (for merge). Damaged or duplicated
// records are left out and listed in Warnings; the file is not changed.
func Read(dir string) (*Shard, error) {
	c, err := readStore(filepath.Join(dir, File))
	if err != nil {
		return nil, err
	}
	return &Shard{Header: c.Header, Warnings: c.Warnings, c: c}, nil
}

// Results returns the results of the shard's records whose cells are in
// the grid of its header's config, in file order, for a reader without
// the data (sweep serve's list of runs): scores, times and cluster labels,
// but no rows (TrainRows and TestRows are nil). Summarize reads them as
// it reads a run's.
func (sh *Shard) Results() []*experiments.Result {
	inGrid := map[experiments.Cell]bool{}
	for _, x := range sh.Header.Config.Cells() {
		inGrid[x] = true
	}
	var out []*experiments.Result
	for _, sr := range sh.c.recs {
		if sr.line == 0 {
			continue
		}
		r, err := sr.rec.result()
		if err != nil || !inGrid[r.Cell] {
			continue // checked when read: not reached
		}
		out = append(out, r)
	}
	return out
}

func (st *Store) append(b []byte) error {
	b = append(b, '\n')
	if _, err := st.f.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", st.path, err)
	}
	if err := st.f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", st.path, err)
	}
	return nil
}

// Add appends a finished (or, with failed, a failed) cell.
func (st *Store) Add(r *experiments.Result, withLabels bool) error {
	b, err := encodeRecord(toRecord(r, withLabels))
	if err != nil {
		return fmt.Errorf("write %s: %w", st.path, err)
	}
	return st.append(b)
}

// Close closes the store file.
func (st *Store) Close() error {
	if err := st.f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", st.path, err)
	}
	return nil
}

func toRecord(r *experiments.Result, withLabels bool) record {
	rec := record{
		Cell: r.Key(), Failed: r.Failed, Note: r.Note, Scores: make(map[string]string, len(experiments.Scores())),
		KMeansSec: experiments.FormatFloat(r.KMeansSeconds), SilSec: experiments.FormatFloat(r.SilhouetteSeconds), Seconds: experiments.FormatFloat(r.Seconds),
	}
	for _, sc := range experiments.Scores() {
		rec.Scores[sc.Name] = experiments.FormatFloat(sc.Get(r))
	}
	if withLabels {
		rec.TrainLabels, rec.TestLabels = r.TrainLabels, r.TestLabels
	}
	return rec
}

// roundoff is how far past a bound of its domain a stored score may lie:
// NMI and ARI computed in floating point can pass 1 by a few ulps.
const roundoff = 1e-9

// parseStored reads a stored float: "" is NaN; anything else must be a
// finite number within [lo, hi] (up to roundoff).
func parseStored(name, src string, lo, hi float64) (float64, error) {
	if src == "" {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(src, 64)
	switch {
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fmt.Errorf("%s %q is not a finite number", name, src)
	case v < lo-roundoff && hi == math.Inf(1):
		return 0, fmt.Errorf("%s %s is below %g", name, src, lo)
	case v < lo-roundoff || v > hi+roundoff:
		return 0, fmt.Errorf("%s %s is outside [%g, %g]", name, src, lo, hi)
	}
	return v, nil
}

// check reports a value outside its domain: a stored result that no run
// can have produced is damage. Each score's domain comes from the schema.
func (rec *record) check() error {
	_, err := rec.result()
	return err
}

// result decodes a record into a Result without rows: the cell, the
// scores checked against their domains, the times and the labels.
func (rec *record) result() (*experiments.Result, error) {
	c, hasFold, err := experiments.ParseCell(rec.Cell)
	if err != nil {
		return nil, err
	}
	if !hasFold {
		return nil, fmt.Errorf("cell %q has no fold", rec.Cell)
	}
	r := &experiments.Result{Cell: c, Note: rec.Note, Failed: rec.Failed, TrainLabels: rec.TrainLabels, TestLabels: rec.TestLabels}
	for name := range rec.Scores {
		if experiments.ScoreIndex(name) < 0 {
			return nil, fmt.Errorf("unknown score %q", name)
		}
	}
	for _, sc := range experiments.Scores() {
		src, ok := rec.Scores[sc.Name]
		if !ok {
			return nil, fmt.Errorf("no score %s", sc.Name)
		}
		lo, hi, integer := sc.Domain()
		v, err := parseStored(sc.Name, src, lo, hi)
		if err != nil {
			return nil, err
		}
		if integer && !math.IsNaN(v) && v != math.Trunc(v) {
			return nil, fmt.Errorf("%s %s is not an integer", sc.Name, src)
		}
		sc.Set(r, v)
	}
	if r.NonEmpty > c.Clusters {
		return nil, fmt.Errorf("nonempty %d is more than the %d clusters", r.NonEmpty, c.Clusters)
	}
	inf := math.Inf(1)
	for _, t := range []struct {
		name string
		src  string
		dst  *float64
	}{{"kmeans_seconds", rec.KMeansSec, &r.KMeansSeconds}, {"silhouette_seconds", rec.SilSec, &r.SilhouetteSeconds}, {"seconds", rec.Seconds, &r.Seconds}} {
		if *t.dst, err = parseStored(t.name, t.src, 0, inf); err != nil {
			return nil, err
		}
	}
	for _, labels := range [][]int{rec.TrainLabels, rec.TestLabels} {
		for _, l := range labels {
			if l < 0 || l >= c.Clusters {
				return nil, fmt.Errorf("cluster label %d is outside 0..%d", l, c.Clusters-1)
			}
		}
	}
	return r, nil
}

// fromRecord rebuilds a Result of this sweep from a checked record; its
// rows come from the cell's selection when the cell is in the grid.
func fromRecord(s *experiments.Sweep, rec record) *experiments.Result {
	r, err := rec.result()
	if err != nil {
		panic(fmt.Sprintf("experiments: unchecked record: %v", err))
	}
	if _, ok := s.CellIndex(r.Cell); ok {
		sel := s.Selection(r.Cell)
		r.TrainRows, r.TestRows = sel.Train(r.Fold), sel.Test(r.Fold)
	}
	return r
}

// Records puts the results of a shard's store into into, indexed like
// s.Cells, and names the shard of each in from. Records that do not fit
// the grid are left out and returned as warnings; a cell in two shards is
// an error.
func Records(s *experiments.Sweep, sh *Shard, source string, into []*experiments.Result, from []string) ([]string, error) {
	c := sh.c
	n := len(c.Warnings)
	index := map[experiments.Cell]int{}
	for i, x := range s.Cells {
		index[x] = i
	}
	for _, r := range storedResults(s, c) {
		if r == nil {
			continue
		}
		i := index[r.Cell]
		if into[i] != nil {
			return nil, fmt.Errorf("cell %s is in both %s and %s", r.Key(), from[i], source)
		}
		into[i], from[i] = r, source
	}
	return c.Warnings[n:], nil
}
