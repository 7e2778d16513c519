package compare

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sweep/experiments"
	"sweep/internal/atomicfile"
	"sweep/report/plot"
	"text/tabwriter"
)

// same reports whether two table values are equal: both undefined, or the
// same number.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// num formats v with 5 significant digits, "n/a" for NaN.
func num(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'g', 5, 64)
}

// exact formats v as the shortest text that reads back to v, "" for NaN,
// as the report tables do.
func exact(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// signed formats a difference with 3 significant digits and its sign, "0"
// for zero.
func signed(v float64) string {
	if v == 0 {
		return "0"
	}
	return fmt.Sprintf("%+.3g", v)
}

// metricSummary is one metric's row of the text summary.
type metricSummary struct {
	differ, flagged, withSE, both int
	defined                       int // cells with both means defined
	maxAbs                        float64
	maxAt                         string
}

func (c *Comparison) summarize(j int) metricSummary {
	s := metricSummary{maxAbs: math.NaN()}
	for i := range c.Cells {
		d := &c.Cells[i]
		if !d.InA || !d.InB {
			continue
		}
		s.both++
		m := d.Metrics[j]
		if !same(m.A.Mean, m.B.Mean) {
			s.differ++
		}
		if math.IsNaN(m.Delta) {
			continue
		}
		s.defined++
		if math.IsNaN(s.maxAbs) || math.Abs(m.Delta) > s.maxAbs {
			s.maxAbs, s.maxAt = math.Abs(m.Delta), d.Name()
		}
		if !math.IsNaN(m.SE) {
			s.withSE++
		}
		if m.Flag {
			s.flagged++
		}
	}
	return s
}

// WriteText writes a plain-text summary of c to w: the runs, the cells in
// one run only, per metric how many cells differ, the largest |delta| and
// how many are flagged (|delta| > 2 SE), and whether the runs agree within
// the tolerance.
func (c *Comparison) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	nA, nB := 0, 0
	for _, d := range c.Cells {
		if d.InA {
			nA++
		}
		if d.InB {
			nB++
		}
	}
	onlyA, onlyB := c.OnlyA(), c.OnlyB()
	fmt.Fprintln(bw, c.bestLine())
	fmt.Fprintf(bw, "A: %s (%d cells)\nB: %s (%d cells)\n", c.A, nA, c.B, nB)
	fmt.Fprintf(bw, "cells: %d in both, %d only in A, %d only in B\n", len(c.Cells)-len(onlyA)-len(onlyB), len(onlyA), len(onlyB))
	if len(onlyA) > 0 {
		fmt.Fprintf(bw, "only in A: %s\n", strings.Join(onlyA, ", "))
	}
	if len(onlyB) > 0 {
		fmt.Fprintf(bw, "only in B: %s\n", strings.Join(onlyB, ", "))
	}
	if c.PerFold {
		fmt.Fprintln(bw, "per-fold values (results.csv): compared")
	} else {
		fmt.Fprintln(bw, "per-fold values (results.csv): not compared, missing in A or B")
	}
	fmt.Fprintln(bw)
	tw := tabwriter.NewWriter(bw, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tcells differing\tmax |B-A|\tat\tflagged (|B-A| > 2 SE)")
	noSE := false
	for j, name := range c.Metrics {
		s := c.summarize(j)
		flagged := strconv.Itoa(s.flagged)
		m, _ := lookupMetric(name)
		switch {
		case m.sd == "":
			flagged = "n/a (no sd)"
		case s.defined == 0:
			flagged = "n/a (undefined)"
		case s.withSE == 0:
			flagged = "n/a (1 fold)"
			noSE = true
		}
		at := s.maxAt
		if s.maxAbs == 0 || math.IsNaN(s.maxAbs) {
			at = "-"
		}
		fmt.Fprintf(tw, "%s\t%d of %d\t%s\t%s\t%s\n", name, s.differ, s.both, num(s.maxAbs), at, flagged)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if noSE {
		fmt.Fprintln(bw, "\nfolds = 1: without a spread over folds there is no standard error, so no difference can be flagged.")
	}
	fmt.Fprintln(bw)
	if c.Noise > 0 {
		fmt.Fprintf(bw, "%d %s only by floating-point noise (relative %g), not counted\n", c.Noise, plural(c.Noise, "value differs", "values differ"), c.Rel)
	}
	if err := c.Err(); err != nil {
		n := len(c.Diffs)
		fmt.Fprintf(bw, "differ: %d %s by more than tolerance %g", n, plural(n, "value", "values"), c.Tol)
		if len(onlyA)+len(onlyB) > 0 {
			fmt.Fprintf(bw, ", %d cells in one run only", len(onlyA)+len(onlyB))
		}
		fmt.Fprintln(bw)
		for _, d := range c.Diffs[:min(len(c.Diffs), maxListed)] {
			fmt.Fprintf(bw, "  %s\n", d)
		}
		if len(c.Diffs) > maxListed {
			fmt.Fprintf(bw, "  and %d more (delta.md lists them)\n", len(c.Diffs)-maxListed)
		}
	} else {
		fmt.Fprintf(bw, "agree: same cells, no value differs by more than tolerance %g\n", c.Tol)
	}
	return bw.Flush()
}

// bestLine is WriteText's first line: A's best cell beside B's.
func (c *Comparison) bestLine() string {
	one := func(b *BestCell, run string) string {
		if b == nil {
			return "none marked in " + run
		}
		return fmt.Sprintf("%s in %s (silhouette %.4f)", b.Name, run, b.Silhouette)
	}
	line := "best: " + one(c.BestA, "A") + ", " + one(c.BestB, "B")
	switch {
	case c.BestA == nil || c.BestB == nil:
	case c.BestA.Name == c.BestB.Name:
		line += ": the same cell"
	default:
		line += ": different cells"
	}
	return line
}

// WriteFiles writes the comparison into dir, creating it:
//
//	delta.csv        one row per cell and metric: both runs' mean, sd and n, delta = B - A, SE, flag
//	delta.md         the cells in one run only, per metric the cells that differ, the values beyond the tolerance
//	delta_R.png      per reducer R with a cell in both runs: delta of the first metric, diverging palette centred at 0, flagged cells outlined
//	heatmaps_R.png   per reducer R: the first metric's mean in A and B side by side, one colour scale
//
// The heatmaps of all reducers share their colour scales. In the delta
// pictures, cells whose means differ only by floating-point noise
// (relative Rel, or NoiseFloor when Rel is 0: an exact gate still draws
// noise as noise) are white, and the diverging scale is [-m, m], m the
// largest |delta| beyond the noise; a legend names the white and the
// hatched cells.
func (c *Comparison) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := c.writeCSV(filepath.Join(dir, "delta.csv")); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, "delta.md"), c.writeMD); err != nil {
		return err
	}
	return c.writeHeatmaps(dir)
}

func (c *Comparison) writeCSV(path string) error {
	header := []string{"cell", "reducer", "components", "clusters", "in", "metric",
		"a_mean", "a_sd", "a_n", "b_mean", "b_sd", "b_n", "delta", "se", "flag"}
	var rows [][]string
	for _, d := range c.Cells {
		in := "both"
		switch {
		case !d.InB:
			in = "a"
		case !d.InA:
			in = "b"
		}
		for j, m := range d.Metrics {
			n := func(s Stat, present bool) string {
				if !present {
					return ""
				}
				return strconv.Itoa(s.N)
			}
			flag := ""
			if m.Flag {
				flag = "*"
			}
			rows = append(rows, []string{d.Name(), d.Cell.Reducer, strconv.Itoa(d.Cell.Components), strconv.Itoa(d.Cell.Clusters), in, c.Metrics[j],
				exact(m.A.Mean), exact(m.A.SD), n(m.A, d.InA), exact(m.B.Mean), exact(m.B.SD), n(m.B, d.InB),
				exact(m.Delta), exact(m.SE), flag})
		}
	}
	return plot.WriteCSV(path, header, rows)
}

// maxMDDiffs is how many differences beyond the tolerance delta.md lists.
const maxMDDiffs = 200

// DeltaTable is one metric's table of the cells in both runs whose means
// differ, as delta.md and sweep serve's comparison page show it.
type DeltaTable struct {
	Metric string
	// Summary says how many cells differ and how many are flagged, or
	// that none differs.
	Summary string
	Header  []string   // cell, A, B, delta, 2 SE, flag
	Rows    [][]string // none when no cell differs
}

// DeltaTables returns one DeltaTable per compared metric, in order.
func (c *Comparison) DeltaTables() []DeltaTable {
	pm := func(s Stat) string {
		if math.IsNaN(s.SD) {
			return num(s.Mean)
		}
		return num(s.Mean) + " ± " + num(s.SD)
	}
	var out []DeltaTable
	for j, name := range c.Metrics {
		s := c.summarize(j)
		t := DeltaTable{Metric: name, Header: []string{"cell", "A", "B", "delta", "2 SE", "flag"}}
		if s.differ == 0 {
			t.Summary = fmt.Sprintf("No cell differs (%d cells in both runs).", s.both)
			out = append(out, t)
			continue
		}
		t.Summary = fmt.Sprintf("%d of %d cells differ; %d flagged.", s.differ, s.both, s.flagged)
		for _, d := range c.Cells {
			m := d.Metrics[j]
			if !d.InA || !d.InB || same(m.A.Mean, m.B.Mean) {
				continue
			}
			flag := ""
			if m.Flag {
				flag = "*"
			}
			t.Rows = append(t.Rows, []string{d.Name(), pm(m.A), pm(m.B), signed(m.Delta), num(2 * m.SE), flag})
		}
		out = append(out, t)
	}
	return out
}

func (c *Comparison) writeMD(w io.Writer) error {
	fmt.Fprintf(w, "# Comparison\n\n- A: `%s`\n- B: `%s`\n", c.A, c.B)
	fmt.Fprint(w, "- delta = B - A of each metric's mean over folds; SE = sqrt(sd_A²/n_A + sd_B²/n_B), n = folds with a value; "+
		"flagged (*) when |delta| > 2 SE, more than fold-to-fold noise explains.\n")
	if err := c.Err(); err != nil {
		fmt.Fprintf(w, "- **The runs differ** (tolerance %g): %d values beyond it, %d cells in one run only.\n\n",
			c.Tol, len(c.Diffs), len(c.OnlyA())+len(c.OnlyB()))
	} else {
		fmt.Fprintf(w, "- The runs agree: same cells, no value differs by more than %g.\n\n", c.Tol)
	}
	if onlyA, onlyB := c.OnlyA(), c.OnlyB(); len(onlyA)+len(onlyB) > 0 {
		fmt.Fprint(w, "## Cells in one run only\n\n")
		if len(onlyA) > 0 {
			fmt.Fprintf(w, "- only in A: %s\n", strings.Join(onlyA, ", "))
		}
		if len(onlyB) > 0 {
			fmt.Fprintf(w, "- only in B: %s\n", strings.Join(onlyB, ", "))
		}
		fmt.Fprintln(w)
	}
	for _, t := range c.DeltaTables() {
		fmt.Fprintf(w, "## %s\n\n%s\n\n", t.Metric, t.Summary)
		if len(t.Rows) == 0 {
			continue
		}
		if err := plot.MarkdownTable(w, t.Header, t.Rows); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if n := len(c.Diffs); n > 0 {
		fmt.Fprintf(w, "## Values differing by more than %g\n\n", c.Tol)
		var rows [][]string
		for _, d := range c.Diffs[:min(n, maxMDDiffs)] {
			rows = append(rows, []string{d.Where, d.Column, d.A, d.B, num(d.By)})
		}
		if err := plot.MarkdownTable(w, []string{"where", "column", "A", "B", "by"}, rows); err != nil {
			return err
		}
		if n > maxMDDiffs {
			fmt.Fprintf(w, "\nand %d more.\n", n-maxMDDiffs)
		}
	}
	return nil
}

// fileSafe maps a reducer name to a file name part: letters, digits, '-'
// and '_' are kept, anything else becomes '_'.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

// pictureRel is the noise floor of the delta pictures: Rel, or NoiseFloor
// when the comparison has none (an exact gate, -tol), since a picture
// that paints a difference of 1e-16 in full red says nothing true.
func (c *Comparison) pictureRel() float64 {
	if c.Rel > 0 {
		return c.Rel
	}
	return NoiseFloor
}

// deltaScale returns the limit m of the delta pictures' colour scale
// [-m, m]: the largest finite |delta| of the first metric over the cells
// in both runs whose means differ by more than noise (withinNoise at
// rel); 0 when there is none, and every cell is drawn neutral.
func (c *Comparison) deltaScale(rel float64) float64 {
	m := 0.0
	for _, d := range c.Cells {
		md := d.Metrics[0]
		if !d.InA || !d.InB || math.IsNaN(md.Delta) || math.IsInf(md.Delta, 0) || withinNoise(md.A.Mean, md.B.Mean, rel) {
			continue
		}
		m = math.Max(m, math.Abs(md.Delta))
	}
	return m
}

// relText formats a noise floor as people write it: 1e-9, not 1e-09.
func relText(rel float64) string {
	return strings.Replace(strconv.FormatFloat(rel, 'g', -1, 64), "e-0", "e-", 1)
}

// missingKinds counts why cells of a delta picture are missing (hatched).
type missingKinds struct{ oneRun, undefined, neither bool }

// add notes the cell d at a position of the picture (nil: in neither run).
func (k *missingKinds) add(d *CellDelta) {
	switch {
	case d == nil:
		k.neither = true
	case !d.InA || !d.InB:
		k.oneRun = true
	case math.IsNaN(d.Metrics[0].Delta):
		k.undefined = true
	}
}

// label is the legend's name for the hatched cells.
func (k *missingKinds) label() string {
	var parts []string
	if k.oneRun {
		parts = append(parts, "in one run only")
	}
	if k.undefined {
		parts = append(parts, "undefined in A or B")
	}
	if k.neither {
		parts = append(parts, "in neither run")
	}
	return strings.Join(parts, ", or ")
}

// writeHeatmaps draws, per reducer, the delta of the first metric and the
// two runs side by side.
func (c *Comparison) writeHeatmaps(dir string) error {
	if len(c.Cells) == 0 {
		return nil
	}
	metric := c.Metrics[0]
	// One picture per panel: a reducer and the values of the extra axes.
	panelOf := func(d *CellDelta) experiments.Cell {
		return experiments.Cell{Axes: d.Cell.Axes, Reducer: d.Cell.Reducer}
	}
	var panels []experiments.Cell
	// Shared scales: |delta| beyond noise and the runs' values over every
	// panel.
	rel := c.pictureRel()
	maxAbs, lo, hi := c.deltaScale(rel), math.Inf(1), math.Inf(-1)
	for i, d := range c.Cells {
		if p := panelOf(&c.Cells[i]); !slices.Contains(panels, p) {
			panels = append(panels, p)
		}
		m := d.Metrics[0]
		for _, v := range []float64{m.A.Mean, m.B.Mean} {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if hi <= lo {
		hi = lo + math.Max(1e-3, 1e-3*math.Abs(lo))
	}
	nameA, nameB := filepath.Base(c.A), filepath.Base(c.B)
	for _, p := range panels {
		red := p.Reducer
		if p.Axes.Len() > 0 {
			red += ", " + p.Axes.String()
		}
		var comps, ks []int
		at := map[[2]int]*CellDelta{}
		for i := range c.Cells {
			d := &c.Cells[i]
			if panelOf(d) != p {
				continue
			}
			if !slices.Contains(comps, d.Cell.Components) {
				comps = append(comps, d.Cell.Components)
			}
			if !slices.Contains(ks, d.Cell.Clusters) {
				ks = append(ks, d.Cell.Clusters)
			}
			at[[2]int{d.Cell.Components, d.Cell.Clusters}] = d
		}
		slices.Sort(comps)
		slices.Sort(ks)
		base := plot.Heatmap{XLabel: "clusters (k)", YLabel: "components"}
		for _, k := range ks {
			base.XTicks = append(base.XTicks, strconv.Itoa(k))
		}
		for _, m := range comps {
			base.YTicks = append(base.YTicks, strconv.Itoa(m))
		}
		delta, ha, hb := base, base, base
		delta.Title = fmt.Sprintf("%s (%s): mean B - mean A; outlined: |B-A| > 2 SE", metric, red)
		delta.Diverging, delta.Min, delta.Max = true, -maxAbs, maxAbs
		if maxAbs == 0 {
			// No difference beyond noise: the cells are white or hatched,
			// and a scale is drawn only when none is white.
			delta.Min, delta.Max = -1, 1
		}
		delta.NeutralLabel = "within noise (relative " + relText(rel) + ")"
		var missing missingKinds
		ha.Title = fmt.Sprintf("A = %s: %s (%s)", nameA, metric, red)
		hb.Title = fmt.Sprintf("B = %s: %s (%s)", nameB, metric, red)
		ha.Min, ha.Max, hb.Min, hb.Max = lo, hi, lo, hi
		delta.Label, ha.Label, hb.Label = "Δ "+metric+" (B - A)", metric, metric
		ha.Format, hb.Format = "%.3g", "%.3g"
		for i, m := range comps {
			dv, dt, dn := make([]float64, len(ks)), make([]string, len(ks)), make([]bool, len(ks))
			av, bv := make([]float64, len(ks)), make([]float64, len(ks))
			for j, k := range ks {
				dv[j], av[j], bv[j] = math.NaN(), math.NaN(), math.NaN()
				d := at[[2]int{m, k}]
				missing.add(d)
				if d == nil {
					continue
				}
				md := d.Metrics[0]
				dv[j], av[j], bv[j] = md.Delta, md.A.Mean, md.B.Mean
				dt[j] = signed(md.Delta)
				dn[j] = !math.IsNaN(md.Delta) && withinNoise(md.A.Mean, md.B.Mean, rel)
				if md.Flag {
					delta.Mark = append(delta.Mark, [2]int{i, j})
				}
				if metric == "silhouette" && d.BestA {
					ha.Mark = append(ha.Mark, [2]int{i, j})
				}
				if metric == "silhouette" && d.BestB {
					hb.Mark = append(hb.Mark, [2]int{i, j})
				}
			}
			delta.Values, delta.Text = append(delta.Values, dv), append(delta.Text, dt)
			delta.Neutral = append(delta.Neutral, dn)
			ha.Values, hb.Values = append(ha.Values, av), append(hb.Values, bv)
		}
		delta.MissingLabel = missing.label()
		if !slices.ContainsFunc(c.Cells, func(d CellDelta) bool {
			return panelOf(&d) == p && d.InA && d.InB && !withinNoise(d.Metrics[0].A.Mean, d.Metrics[0].B.Mean, rel)
		}) {
			delta.Title = fmt.Sprintf("%s (%s): mean B - mean A: no difference beyond floating-point noise", metric, red)
		}
		name := fileSafe(p.Reducer)
		if p.Axes.Len() > 0 {
			name += "_" + fileSafe(strings.ReplaceAll(p.Axes.String(), "/", "_"))
		}
		common := slices.ContainsFunc(c.Cells, func(d CellDelta) bool { return panelOf(&d) == p && d.InA && d.InB })
		if common { // else every cell would be hatched: no picture
			if err := atomicfile.Write(filepath.Join(dir, "delta_"+name+".png"), func(w io.Writer) error {
				return plot.HeatmapPNG(w, delta)
			}); err != nil {
				return err
			}
		}
		if err := atomicfile.Write(filepath.Join(dir, "heatmaps_"+name+".png"), func(w io.Writer) error {
			return plot.SideBySidePNG(w, ha, hb)
		}); err != nil {
			return err
		}
	}
	return nil
}
