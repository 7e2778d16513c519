package compare

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sweep/experiments"
)

// metricColumns names the columns that hold one metric in a report's tables.
type metricColumns struct {
	name string // the metric, as Compare takes it
	mean string // summary.csv: the mean over folds (or the one value)
	sd   string // summary.csv: the sample sd over folds; "" when none
	fold string // results.csv: the per-fold value; "" when none
}

// metricTable lists the metrics of a report's summary.csv and results.csv,
// read from the schema of experiments.Scores: the scores summarised with
// a spread first, then the others, each in schema order, then folds.
func metricTable() []metricColumns {
	var withSD, rest []metricColumns
	for _, s := range experiments.Scores() {
		cols := s.Columns()
		m := metricColumns{name: s.Name, mean: cols[0], fold: s.Name}
		if len(cols) > 1 {
			m.sd = cols[1]
			withSD = append(withSD, m)
			continue
		}
		rest = append(rest, m)
	}
	slices.SortStableFunc(rest, func(a, b metricColumns) int {
		// The one-fold value (manual mapping) before the counts.
		return cmpBool(a.mean != a.name, b.mean != b.name)
	})
	return append(append(withSD, rest...), metricColumns{"folds", "folds", "", ""})
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// CompareMetrics returns the names of the metrics Compare knows, in report
// order (see metricTable).
func CompareMetrics() []string {
	t := metricTable()
	names := make([]string, len(t))
	for i, m := range t {
		names[i] = m.name
	}
	return names
}

func lookupMetric(name string) (metricColumns, bool) {
	for _, m := range metricTable() {
		if m.name == name {
			return m, true
		}
	}
	return metricColumns{}, false
}

// Row is one row of a report's summary.csv (Fold -1) or results.csv.
type Row struct {
	Cell experiments.Cell // without its fold
	Fold int
	// Fields holds every field by column name, as written; "" is an
	// undefined value (NaN).
	Fields map[string]string
}

// Name returns the row's cell name, as the report names cells (e.g.
// "pca-2-5", "pca-2-5/seed=2").
func (r *Row) Name() string { return r.Cell.Name() }

// Key returns the cell name, followed by "/fold<k>" for a results.csv row.
func (r *Row) Key() string {
	if r.Fold < 0 {
		return r.Name()
	}
	return fmt.Sprintf("%s/fold%d", r.Name(), r.Fold)
}

// Run holds the tables of one report directory, as Compare reads them.
type Run struct {
	Dir     string
	Summary []Row // summary.csv, in file order
	Folds   []Row // results.csv, in file order; nil when the directory has none
}

// ReadRun reads summary.csv and, when present, results.csv of the report
// directory dir. Cells are identified by the columns reducer, components,
// clusters (and fold in results.csv), which must be present, and must not
// repeat; every metric column Compare knows must hold a number or nothing.
func ReadRun(dir string) (*Run, error) {
	run := &Run{Dir: dir}
	var err error
	if run.Summary, err = readTable(filepath.Join(dir, "summary.csv"), false); err != nil {
		return nil, err
	}
	run.Folds, err = readTable(filepath.Join(dir, "results.csv"), true)
	if errors.Is(err, os.ErrNotExist) {
		return run, nil
	}
	if err != nil {
		return nil, err
	}
	return run, nil
}

func readTable(path string, perFold bool) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	rows, err := parseTable(f, perFold)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return rows, nil
}

// parseTable parses a summary.csv (perFold false) or results.csv table.
func parseTable(r io.Reader, perFold bool) ([]Row, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file")
	}
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("line 1: column %q repeats", h)
		}
		col[h] = i
	}
	keys := []string{"reducer", "components", "clusters"}
	if _, ok := col["cell"]; ok {
		keys = []string{"cell"} // written by this sweep; the others by older ones
	}
	if perFold {
		keys = append(keys, "fold")
	}
	for _, k := range keys {
		if _, ok := col[k]; !ok {
			return nil, fmt.Errorf("line 1: no column %q", k)
		}
	}
	var numeric []string
	for _, m := range metricTable() {
		cs := []string{m.mean, m.sd}
		if perFold {
			cs = []string{m.fold}
		}
		for _, c := range cs {
			if _, ok := col[c]; ok && c != "" {
				numeric = append(numeric, c)
			}
		}
	}
	var rows []Row
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		row := Row{Fold: -1, Fields: make(map[string]string, len(header))}
		for i, h := range header {
			row.Fields[h] = rec[i]
		}
		if err := row.parseCell(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if perFold {
			v, err := strconv.Atoi(row.Fields["fold"])
			if err != nil || v < 0 {
				return nil, fmt.Errorf("line %d: fold: %q is not a count", line, row.Fields["fold"])
			}
			row.Fold = v
		}
		for _, c := range numeric {
			if s := rec[col[c]]; s != "" {
				if _, err := strconv.ParseFloat(s, 64); err != nil {
					return nil, fmt.Errorf("line %d: %s: %q is not a number", line, c, s)
				}
			}
		}
		if prev, dup := seen[row.Key()]; dup {
			return nil, fmt.Errorf("line %d: %s repeats line %d", line, row.Key(), prev)
		}
		seen[row.Key()] = line
		rows = append(rows, row)
	}
}

// parseCell reads the row's cell: the cell column (experiments.ParseCell),
// or in tables of older sweeps the reducer, components and clusters.
func (r *Row) parseCell() error {
	name, ok := r.Fields["cell"]
	if !ok {
		if r.Fields["reducer"] == "" {
			return errors.New("empty reducer")
		}
		r.Cell.Reducer = r.Fields["reducer"]
		for _, f := range []struct {
			col string
			dst *int
		}{{"components", &r.Cell.Components}, {"clusters", &r.Cell.Clusters}} {
			v, err := strconv.Atoi(r.Fields[f.col])
			if err != nil || v < 0 {
				return fmt.Errorf("%s: %q is not a count", f.col, r.Fields[f.col])
			}
			*f.dst = v
		}
		return nil
	}
	c, hasFold, err := experiments.ParseCell(name)
	if err != nil {
		return err
	}
	if hasFold {
		return fmt.Errorf("cell: %q names a fold", name)
	}
	r.Cell = c
	return nil
}

// value returns field c of r as a float64: NaN when empty or absent.
func (r *Row) value(c string) float64 {
	s := r.Fields[c]
	if c == "" || s == "" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(fmt.Sprintf("compare: %s: %q is not a number", c, s))
	}
	return v
}

// Stat is one run's value of a metric in one cell.
type Stat struct {
	Mean float64 // the mean over folds (or the one value); NaN when undefined
	SD   float64 // the sample sd over folds; NaN when undefined or not kept
	N    int     // folds with a value
}

// MetricDelta compares one metric of one cell between runs A and B.
type MetricDelta struct {
	A, B Stat
	// Delta is B.Mean - A.Mean.
	Delta float64
	// SE is the standard error of the difference of two independent means,
	// sqrt(A.SD²/A.N + B.SD²/B.N) (Welch 1947); NaN when either sd is
	// undefined (a single fold) or not kept.
	SE float64
	// Flag is set when |Delta| > 2 SE: a difference larger than
	// fold-to-fold noise explains at about the 5% level.
	Flag bool
}

// CellDelta compares one cell between runs A and B.
type CellDelta struct {
	Cell     experiments.Cell
	InA, InB bool
	// BestA and BestB tell whether summary.csv marks the cell best.
	BestA, BestB bool
	// Metrics is parallel to Comparison.Metrics.
	Metrics []MetricDelta
}

// Name returns the cell name, e.g. "pca-2-5".
func (c *CellDelta) Name() string { return c.Cell.Name() }

// Difference is a table value that differs between runs by more than the
// tolerance.
type Difference struct {
	Where  string // cell name, or cell/fold<k> for a results.csv row
	Column string // column name; "" when the whole row is in one run only
	A, B   string // the values as written ("" undefined; "present"/"missing" for a row)
	By     float64
}

func (d Difference) String() string {
	if d.Column == "" {
		return fmt.Sprintf("%s: %s in A, %s in B", d.Where, d.A, d.B)
	}
	q := func(s string) string {
		if s == "" {
			return "(undefined)"
		}
		return s
	}
	return fmt.Sprintf("%s %s: %s -> %s (by %.3g)", d.Where, d.Column, q(d.A), q(d.B), d.By)
}

// Comparison is the difference B - A between two runs of a sweep.
type Comparison struct {
	A, B    string   // the report directories
	Metrics []string // the metrics compared, in order
	Tol     float64
	// Cells holds the cells of A in A's order, then those only in B in B's
	// order.
	Cells []CellDelta
	// PerFold tells whether results.csv of both runs were compared too.
	PerFold bool
	// Diffs lists the values of the compared metrics that differ by more
	// than Tol: summary.csv means and sds of the cells in both runs, then
	// results.csv per-fold values (and rows in one run only) when PerFold.
	// With a noise floor Rel, those within it are not listed but counted
	// in Noise.
	Diffs []Difference
	Rel   float64 // the noise floor: relative difference not counted
	Noise int     // values beyond Tol that differ by no more than Rel
	// BestA and BestB are the cells summary.csv marks best in A and B,
	// with their mean silhouette; nil when none is marked.
	BestA, BestB *BestCell
}

// NoiseFloor is the relative difference sweep compare takes for
// floating-point noise by default: far below any difference of results
// (4 decimals are printed) and far above the 1e-16 of float64 rounding.
const NoiseFloor = 1e-9

// withinNoise reports whether a and b differ by no more than rel times
// the larger of their magnitudes, |b - a| <= rel max(|a|, |b|): by
// floating-point noise, for rel = NoiseFloor. It is false when either is
// NaN. This is the one noise rule: the gate counts such values apart and
// the delta pictures draw them neutral.
func withinNoise(a, b, rel float64) bool {
	return math.Abs(b-a) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

// BestCell is the cell a run's summary.csv marks best.
type BestCell struct {
	Name       string
	Silhouette float64 // silhouette_mean; NaN when undefined
}

// bestOf returns the row of rows marked best, or nil.
func bestOf(rows []Row) *BestCell {
	for i := range rows {
		if isBest(rows[i].Fields["best"]) {
			return &BestCell{Name: rows[i].Name(), Silhouette: rows[i].value("silhouette_mean")}
		}
	}
	return nil
}

// Compare matches the cells of runs a and b by (reducer, components,
// clusters) and compares the metrics named (all of CompareMetrics when
// empty): for each cell in both runs, Delta = mean_B - mean_A with both
// standard deviations and the standard error of the difference, and every
// value that differs by more than tol. Two values differ by
// |v_B - v_A|; an undefined value differs from a defined one by +Inf and
// not from another undefined one. With tol 0 the tables must be equal.
//
// The fold count n in the standard error is the number of folds with a
// value of the metric in results.csv when both runs have it, else the
// folds column of summary.csv.
//
// Compare panics if a metric is unknown or repeated, or tol is negative
// or NaN.
func Compare(a, b *Run, metrics []string, tol float64) *Comparison {
	return CompareNoise(a, b, metrics, tol, 0)
}

// CompareNoise is Compare that does not list values whose difference,
// though above tol, is no more than rel times the larger magnitude of the
// two (floating-point noise; NoiseFloor), but counts them in Noise.
// rel 0 lists every difference above tol.
func CompareNoise(a, b *Run, metrics []string, tol, rel float64) *Comparison {
	if len(metrics) == 0 {
		metrics = CompareMetrics()
	}
	cols := make([]metricColumns, len(metrics))
	table := metricTable()
	for i, name := range metrics {
		j := slices.IndexFunc(table, func(m metricColumns) bool { return m.name == name })
		if j < 0 {
			panic(fmt.Sprintf("compare: unknown metric %q", name))
		}
		if slices.Contains(metrics[:i], name) {
			panic(fmt.Sprintf("compare: metric %q repeats", name))
		}
		cols[i] = table[j]
	}
	if !(tol >= 0) {
		panic(fmt.Sprintf("compare: tolerance %v is not >= 0", tol))
	}
	if !(rel >= 0) {
		panic(fmt.Sprintf("compare: noise floor %v is not >= 0", rel))
	}
	c := &Comparison{A: a.Dir, B: b.Dir, Metrics: slices.Clone(metrics), Tol: tol, Rel: rel, PerFold: a.Folds != nil && b.Folds != nil,
		BestA: bestOf(a.Summary), BestB: bestOf(b.Summary)}

	index := func(rows []Row) map[string]*Row {
		m := make(map[string]*Row, len(rows))
		for i := range rows {
			m[rows[i].Key()] = &rows[i]
		}
		return m
	}
	inA, inB := index(a.Summary), index(b.Summary)
	var foldA, foldB map[string]*Row
	byCellA, byCellB := map[string][]*Row{}, map[string][]*Row{}
	if c.PerFold {
		foldA, foldB = index(a.Folds), index(b.Folds)
		for i := range a.Folds {
			byCellA[a.Folds[i].Name()] = append(byCellA[a.Folds[i].Name()], &a.Folds[i])
		}
		for i := range b.Folds {
			byCellB[b.Folds[i].Name()] = append(byCellB[b.Folds[i].Name()], &b.Folds[i])
		}
	}
	stat := func(r *Row, folds map[string][]*Row, m metricColumns) Stat {
		s := Stat{Mean: r.value(m.mean), SD: r.value(m.sd)}
		switch {
		case c.PerFold && m.fold != "":
			for _, f := range folds[r.Name()] {
				if !math.IsNaN(f.value(m.fold)) {
					s.N++
				}
			}
		case m.sd != "":
			if n, err := strconv.Atoi(r.Fields["folds"]); err == nil {
				s.N = n
			}
		default:
			s.N = 1
		}
		return s
	}
	add := func(r *Row, other map[string]*Row, isA bool) {
		d := CellDelta{Cell: r.Cell}
		ra, rb := r, other[r.Key()]
		if !isA {
			ra, rb = nil, r
		}
		d.InA, d.InB = ra != nil, rb != nil
		d.BestA = ra != nil && isBest(ra.Fields["best"])
		d.BestB = rb != nil && isBest(rb.Fields["best"])
		for _, m := range cols {
			md := MetricDelta{A: Stat{math.NaN(), math.NaN(), 0}, B: Stat{math.NaN(), math.NaN(), 0}}
			if ra != nil {
				md.A = stat(ra, byCellA, m)
			}
			if rb != nil {
				md.B = stat(rb, byCellB, m)
			}
			md.Delta = md.B.Mean - md.A.Mean
			md.SE = math.NaN()
			if md.A.N > 0 && md.B.N > 0 {
				md.SE = math.Sqrt(md.A.SD*md.A.SD/float64(md.A.N) + md.B.SD*md.B.SD/float64(md.B.N))
			}
			md.Flag = math.Abs(md.Delta) > 2*md.SE
			d.Metrics = append(d.Metrics, md)
		}
		c.Cells = append(c.Cells, d)
	}
	for i := range a.Summary {
		add(&a.Summary[i], inB, true)
	}
	for i := range b.Summary {
		if inA[b.Summary[i].Key()] == nil {
			add(&b.Summary[i], nil, false)
		}
	}

	// The gate: every compared column of the cells in both runs.
	for i := range a.Summary {
		ra := &a.Summary[i]
		rb := inB[ra.Key()]
		if rb == nil {
			continue
		}
		for _, m := range cols {
			for _, col := range []string{m.mean, m.sd} {
				if col != "" {
					c.diff(ra, rb, col)
				}
			}
		}
	}
	if !c.PerFold {
		return c
	}
	for i := range a.Folds {
		ra := &a.Folds[i]
		if inA[ra.Name()] == nil || inB[ra.Name()] == nil {
			continue // the whole cell is in one run only.
		}
		rb := foldB[ra.Key()]
		if rb == nil {
			c.Diffs = append(c.Diffs, Difference{Where: ra.Key(), A: "present", B: "missing", By: math.Inf(1)})
			continue
		}
		for _, m := range cols {
			if m.fold != "" {
				c.diff(ra, rb, m.fold)
			}
		}
	}
	for i := range b.Folds {
		rb := &b.Folds[i]
		if inA[rb.Name()] != nil && inB[rb.Name()] != nil && foldA[rb.Key()] == nil {
			c.Diffs = append(c.Diffs, Difference{Where: rb.Key(), A: "missing", B: "present", By: math.Inf(1)})
		}
	}
	return c
}

// diff records column col of rows ra and rb if they differ by more than
// c.Tol.
func (c *Comparison) diff(ra, rb *Row, col string) {
	sa, sb := ra.Fields[col], rb.Fields[col]
	va, vb := ra.value(col), rb.value(col)
	var by float64
	switch {
	case va == vb, math.IsNaN(va) && math.IsNaN(vb):
		return
	case math.IsNaN(va) || math.IsNaN(vb):
		by = math.Inf(1)
	default:
		by = math.Abs(vb - va)
	}
	switch {
	case by <= c.Tol:
	case withinNoise(va, vb, c.Rel): // never when one is undefined
		c.Noise++
	default:
		c.Diffs = append(c.Diffs, Difference{Where: ra.Key(), Column: col, A: sa, B: sb, By: by})
	}
}

// OnlyA returns the names of the cells in run A only, in A's order.
func (c *Comparison) OnlyA() []string { return c.only(true) }

// OnlyB returns the names of the cells in run B only, in B's order.
func (c *Comparison) OnlyB() []string { return c.only(false) }

func (c *Comparison) only(a bool) []string {
	var names []string
	for i := range c.Cells {
		d := &c.Cells[i]
		if d.InA && d.InB {
			continue
		}
		if d.InA == a {
			names = append(names, d.Name())
		}
	}
	return names
}

// Flagged returns how many (cell, metric) pairs have |Delta| > 2 SE.
func (c *Comparison) Flagged() int {
	n := 0
	for _, d := range c.Cells {
		for _, m := range d.Metrics {
			if m.Flag {
				n++
			}
		}
	}
	return n
}

// maxListed is how many differences or cells an error message names.
const maxListed = 5

// Err returns nil when the runs agree: the same cells, and no compared
// value differing by more than Tol. Otherwise its message names the first
// few differences and missing cells and counts the rest.
func (c *Comparison) Err() error {
	onlyA, onlyB := c.OnlyA(), c.OnlyB()
	if len(c.Diffs) == 0 && len(onlyA) == 0 && len(onlyB) == 0 {
		return nil
	}
	var parts []string
	if n := len(c.Diffs); n > 0 {
		var shown []string
		for _, d := range c.Diffs[:min(n, maxListed)] {
			shown = append(shown, d.String())
		}
		s := fmt.Sprintf("%d %s by more than %g: %s", n, plural(n, "value differs", "values differ"), c.Tol, strings.Join(shown, "; "))
		if n > maxListed {
			s += fmt.Sprintf("; and %d more", n-maxListed)
		}
		parts = append(parts, s)
	}
	for _, o := range []struct {
		run   string
		names []string
	}{{c.A, onlyA}, {c.B, onlyB}} {
		if n := len(o.names); n > 0 {
			s := fmt.Sprintf("%d %s only in %s: %s", n, plural(n, "cell", "cells"), o.run, strings.Join(o.names[:min(n, maxListed)], ", "))
			if n > maxListed {
				s += fmt.Sprintf(" and %d more", n-maxListed)
			}
			parts = append(parts, s)
		}
	}
	return fmt.Errorf("compare %s and %s: %s", c.A, c.B, strings.Join(parts, "; "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isBest reads summary.csv's best column: true, or "*" in reports written
// before it was a boolean.
func isBest(v string) bool { return v == "true" || v == "*" }
