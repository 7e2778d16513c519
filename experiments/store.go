package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// StoreFile is the results store of a report directory: one JSON line per
// finished cell, appended with a single write and fsync the moment the
// cell finishes, after a header line that names the sweep. A crash, kill
// -9 or power loss loses at most the cells that were running; a torn last
// line is dropped on the next open.
const StoreFile = "cells.jsonl"

// storeVersion changes whenever the meaning of a stored result changes, so
// that an old store is refused rather than mixed with new results.
const storeVersion = 1

// StoreHeader is the first line of a store.
type StoreHeader struct {
	Version     int    `json:"version"`
	Fingerprint string `json:"fingerprint"`
	Config      Config `json:"config"`
	DataSHA256  string `json:"data_sha256"`
	Cells       int    `json:"cells"`
	Shard       int    `json:"shard"`  // 0-based; with Shards
	Shards      int    `json:"shards"` // 1 when not sharded
}

// record is one stored cell. Floats are written as their shortest exact
// decimal ("" for NaN), so a result read back is bit-identical.
type record struct {
	Reducer     string `json:"reducer"`
	Components  int    `json:"components"`
	Clusters    int    `json:"clusters"`
	Fold        int    `json:"fold"`
	Failed      string `json:"failed,omitempty"`
	Silhouette  string `json:"silhouette"`
	Inertia     string `json:"inertia"`
	Iterations  int    `json:"iterations"`
	NonEmpty    int    `json:"nonempty"`
	Note        string `json:"note,omitempty"`
	AccMajority string `json:"accuracy_majority"`
	AccOneToOne string `json:"accuracy_onetoone"`
	AccManual   string `json:"accuracy_manual"`
	ARI         string `json:"ari"`
	NMI         string `json:"nmi"`
	Purity      string `json:"purity"`
	KMeansSec   string `json:"kmeans_seconds"`
	SilSec      string `json:"silhouette_seconds"`
	Seconds     string `json:"seconds"`
	TrainLabels []int  `json:"train_labels,omitempty"`
	TestLabels  []int  `json:"test_labels,omitempty"`
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
func Fingerprint(cfg Config, dataSHA string) string {
	c := cfg
	c.Name = ""
	c.Workers = 0
	c.Report = ReportConfig{}
	c.Data.Path = ""
	c.Data.Labels = "" // the data sha256 covers the labels file
	b, err := json.Marshal(struct {
		Version int
		Config  Config
		Data    string
	}{storeVersion, c, dataSHA})
	if err != nil {
		panic(fmt.Sprintf("experiments: fingerprint: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Store appends finished cells to a report directory's results store.
type Store struct {
	path   string
	f      *os.File
	Header StoreHeader
	// Done holds the cells read back when the store was opened, by key.
	Done map[string]*Result
}

// ErrOtherConfig is returned by OpenStore for a directory made by a
// different config or data.
var ErrOtherConfig = errors.New("report directory was made by a different config or data")

// OpenStore opens (creating when absent) the store in dir for header h.
// With fresh, an existing store is discarded. An existing store with
// another fingerprint is refused with ErrOtherConfig.
func OpenStore(dir string, h StoreHeader, s *Sweep, fresh bool) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create report directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, StoreFile)
	if fresh {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("remove %s: %w", path, err)
		}
	}
	h.Version = storeVersion
	st := &Store{path: path, Header: h, Done: map[string]*Result{}}
	old, recs, good, err := readStore(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
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
	if old.Fingerprint != h.Fingerprint {
		return nil, fmt.Errorf("%s: %w (fingerprint %.12s, this run %.12s); use another -out or -fresh to discard it",
			dir, ErrOtherConfig, old.Fingerprint, h.Fingerprint)
	}
	if old.Shard != h.Shard || old.Shards != h.Shards {
		return nil, fmt.Errorf("%s: holds shard %d/%d, this run is shard %d/%d; use another -out or -fresh",
			dir, old.Shard+1, old.Shards, h.Shard+1, h.Shards)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Drop a torn last line left by a crash.
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("truncate %s: %w", path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("seek %s: %w", path, err)
	}
	st.f = f
	for _, rec := range recs {
		if rec.Failed != "" {
			continue // failed cells are computed again
		}
		r, err := s.fromRecord(rec)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		st.Done[r.Key()] = r
	}
	return st, nil
}

// readStore reads a store file: its header, its complete records, and the
// length of the well-formed prefix.
func readStore(path string) (StoreHeader, []record, int64, error) {
	var h StoreHeader
	if err := notRegular(path); err != nil {
		return h, nil, 0, fmt.Errorf("read %s: %w", path, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return h, nil, 0, err
	}
	var recs []record
	var good int64
	for line := 1; len(b) > 0; line++ {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break // torn last line: no newline yet
		}
		text := b[:i]
		if line == 1 {
			if err := json.Unmarshal(text, &h); err != nil {
				return h, nil, 0, fmt.Errorf("%s:1: not a results store header: %v", path, err)
			}
			if h.Version != storeVersion {
				return h, nil, 0, fmt.Errorf("%s:1: results store version %d, this sweep reads %d; use -fresh", path, h.Version, storeVersion)
			}
		} else {
			var rec record
			if err := json.Unmarshal(text, &rec); err != nil {
				// Only the last line can be torn; anything else is damage.
				if !bytes.Contains(b[i+1:], []byte{'\n'}) && len(bytes.TrimSpace(b[i+1:])) == 0 {
					break
				}
				return h, nil, 0, fmt.Errorf("%s:%d: damaged record: %v", path, line, err)
			}
			recs = append(recs, rec)
		}
		good += int64(i + 1)
		b = b[i+1:]
	}
	if good == 0 {
		return h, nil, 0, fmt.Errorf("%s: no header line; use -fresh", path)
	}
	return h, recs, good, nil
}

// ReadStore reads the store in dir (for merge).
func ReadStore(dir string) (StoreHeader, []record, error) {
	h, recs, _, err := readStore(filepath.Join(dir, StoreFile))
	return h, recs, err
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
func (st *Store) Add(r *Result, withLabels bool) error {
	rec := toRecord(r, withLabels)
	b, err := json.Marshal(rec)
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

func toRecord(r *Result, withLabels bool) record {
	rec := record{
		Reducer: r.Reducer, Components: r.Components, Clusters: r.Clusters, Fold: r.Fold,
		Failed:     r.Failed,
		Silhouette: ftoa(r.Silhouette), Inertia: ftoa(r.Inertia), Iterations: r.Iterations, NonEmpty: r.NonEmpty, Note: r.Note,
		AccMajority: ftoa(r.AccMajority), AccOneToOne: ftoa(r.AccOneToOne), AccManual: ftoa(r.AccManual),
		ARI: ftoa(r.ARI), NMI: ftoa(r.NMI), Purity: ftoa(r.Purity),
		KMeansSec: ftoa(r.KMeansSeconds), SilSec: ftoa(r.SilhouetteSeconds), Seconds: ftoa(r.Seconds),
	}
	if withLabels {
		rec.TrainLabels, rec.TestLabels = r.TrainLabels, r.TestLabels
	}
	return rec
}

// fromRecord rebuilds a Result of this sweep from a stored record.
func (s *Sweep) fromRecord(rec record) (*Result, error) {
	c := Cell{Reducer: rec.Reducer, Components: rec.Components, Clusters: rec.Clusters, Fold: rec.Fold}
	r := &Result{Cell: c, Iterations: rec.Iterations, NonEmpty: rec.NonEmpty, Note: rec.Note, Failed: rec.Failed}
	for _, f := range []struct {
		dst *float64
		src string
	}{
		{&r.Silhouette, rec.Silhouette}, {&r.Inertia, rec.Inertia},
		{&r.AccMajority, rec.AccMajority}, {&r.AccOneToOne, rec.AccOneToOne}, {&r.AccManual, rec.AccManual},
		{&r.ARI, rec.ARI}, {&r.NMI, rec.NMI}, {&r.Purity, rec.Purity},
		{&r.KMeansSeconds, rec.KMeansSec}, {&r.SilhouetteSeconds, rec.SilSec}, {&r.Seconds, rec.Seconds},
	} {
		v, err := parseF(f.src)
		if err != nil {
			return nil, fmt.Errorf("cell %s: %w", c.Key(), err)
		}
		*f.dst = v
	}
	r.TrainRows, r.TestRows = s.Sel.Train(c.Fold), s.Sel.Test(c.Fold)
	r.TrainLabels, r.TestLabels = rec.TrainLabels, rec.TestLabels
	return r, nil
}

// Records converts stored records of this sweep to results indexed like
// s.Cells. It reports unknown and duplicated cells by key.
func (s *Sweep) Records(recs []record, source string, into []*Result, from []string) error {
	index := map[string]int{}
	for i, c := range s.Cells {
		index[c.Key()] = i
	}
	for _, rec := range recs {
		r, err := s.fromRecord(rec)
		if err != nil {
			return fmt.Errorf("%s: %w", source, err)
		}
		i, ok := index[r.Key()]
		if !ok {
			return fmt.Errorf("%s: cell %s is not in the grid", source, r.Key())
		}
		if into[i] != nil {
			return fmt.Errorf("cell %s is in both %s and %s", r.Key(), from[i], source)
		}
		into[i], from[i] = r, source
	}
	return nil
}
