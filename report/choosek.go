package report

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"

	"sweep/experiments"
	"sweep/internal/atomicfile"
	"sweep/report/plot"
)

// criterionPanel is one panel of criteria_vs_k.png: a score against k.
type criterionPanel struct {
	title, ylabel string
	f             func(*experiments.Summary) (float64, float64)
	// ownErr: the bars are f's own spread (the gap's s(k), the sd of
	// stability over pairs of folds), not the sd over folds.
	ownErr bool
}

// criterionPanels are the panels of criteria_vs_k.png, one per criterion
// of experiments.Criteria that reads a per-cell score.
func criterionPanels() []criterionPanel {
	gap, gs := stat("gap"), stat("gap_s")
	return []criterionPanel{
		{"silhouette (max)", "mean held-out silhouette", stat("silhouette"), false},
		{"Calinski-Harabasz (max)", "held-out Calinski-Harabasz", stat("calinski_harabasz"), false},
		{"Davies-Bouldin (min)", "held-out Davies-Bouldin", stat("davies_bouldin"), false},
		{"gap ± s(k) (smallest k with gap(k) ≥ gap(k+1) − s(k+1))", "gap (mean over folds)", func(b *experiments.Summary) (float64, float64) {
			m, _ := gap(b)
			s, _ := gs(b)
			return m, s
		}, true},
		{"stability across folds (max)", "mean ARI over pairs of folds ± sd", stabilityStat, true},
		{"training inertia (elbow, Kneedle)", "training inertia", stat("inertia"), false},
	}
}

// stabilityStat returns a cell's stability and the sd of the ARI over
// the pairs of folds (every fold holds the same values).
func stabilityStat(b *experiments.Summary) (float64, float64) {
	return b.Stat("stability").Mean, b.Stat("stability_sd").Mean
}

// writeStability draws stability_vs_k.png: stability against k, one line
// per (extra axes, reducer, components), bars the sd over pairs of folds.
func writeStability(path string, s *experiments.Sweep, sum []experiments.Summary) error {
	g := newGrid(s, sum)
	p := plot.LinePlot{
		Title:  fmt.Sprintf("%s: stability across folds vs clusters", s.Config.Name),
		XLabel: "clusters (k)",
		YLabel: "stability: mean ARI over pairs of folds ± sd",
	}
	for _, pn := range g.panels {
		if pn.pooled != "" {
			continue
		}
		for _, red := range s.Config.Grid.Reducer {
			writeCurveSeries(&p, s, g, pn, pn.label(), red, stabilityStat, true)
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error { return plot.LinePlotPNG(w, p) })
}

// Small-multiple panel size in pixels.
const panelWidth, panelHeight = 640, 400

// writeCriteria draws criteria_vs_k.png: each criterion against k as
// small multiples, one line per (extra axes, reducer, components).
func writeCriteria(path string, s *experiments.Sweep, sum []experiments.Summary) error {
	g := newGrid(s, sum)
	var ps []plot.LinePlot
	for _, c := range criterionPanels() {
		p := plot.LinePlot{Title: c.title, XLabel: "clusters (k)", YLabel: c.ylabel, Width: panelWidth, Height: panelHeight}
		if s.Sel.Folds > 1 && !c.ownErr {
			p.YLabel += " ± sd"
		}
		for _, pn := range g.panels {
			if pn.pooled != "" {
				continue
			}
			for _, red := range s.Config.Grid.Reducer {
				writeCurveSeries(&p, s, g, pn, pn.label(), red, c.f, c.ownErr || s.Sel.Folds > 1)
			}
		}
		ps = append(ps, p)
	}
	return atomicfile.Write(path, func(w io.Writer) error { return plot.SmallMultiplesPNG(w, 3, ps...) })
}

// hasScore reports whether any summary has a defined mean of the score.
func hasScore(sum []experiments.Summary, name string) bool {
	for i := range sum {
		if !math.IsNaN(sum[i].Stat(name).Mean) {
			return true
		}
	}
	return false
}

// writeElbow draws elbow.png: the mean training inertia against k of
// each (extra axes, reducer, components) group in its own panel, with
// the knee Kneedle finds (the elbow column of selection.csv) ringed.
func writeElbow(path string, s *experiments.Sweep, sum []experiments.Summary) error {
	elbow := -1
	for i, c := range experiments.Criteria() {
		if c.Name == "elbow" {
			elbow = i
		}
	}
	g := newGrid(s, sum)
	in := stat("inertia")
	var ps []plot.LinePlot
	for _, kc := range experiments.ChooseK(sum) {
		if kc.Pooled != "" {
			continue
		}
		pn := panel{axes: kc.Axes}
		title := fmt.Sprintf("%s, %d components", kc.Reducer, kc.Components)
		if l := pn.label(); l != "" {
			title += ", " + l
		}
		p := plot.LinePlot{Title: title, XLabel: "clusters (k)", YLabel: "training inertia", Width: 480, Height: 320}
		ser := plot.Series{Name: "inertia"}
		for _, k := range kc.Ks {
			if b := g.get(pn, kc.Reducer, kc.Components, k); b != nil {
				if m, _ := in(b); !math.IsNaN(m) {
					ser.X, ser.Y = append(ser.X, float64(k)), append(ser.Y, m)
				}
			}
		}
		if len(ser.X) == 0 {
			continue
		}
		p.Series = []plot.Series{ser}
		if k := kc.Picks[elbow]; k > 0 {
			if b := g.get(pn, kc.Reducer, kc.Components, k); b != nil {
				m, _ := in(b)
				p.Marks = []plot.Mark{{Name: fmt.Sprintf("knee k=%d", k), X: float64(k), Y: m}}
			}
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		ps = []plot.LinePlot{{Title: "no inertia to draw", Width: 480, Height: 320}}
	}
	return atomicfile.Write(path, func(w io.Writer) error { return plot.SmallMultiplesPNG(w, 4, ps...) })
}

// writeScree draws scree.png from the variance rows: the explained
// variance ratio of each component, one line per (data variant,
// reducer), the mean over folds with the sd as bars.
func writeScree(path string, s *experiments.Sweep, rows []experiments.VarianceRow) error {
	type key struct {
		data, reducer string
		component     int
	}
	var order []key // first component of each line, in row order
	vals := map[key][]float64{}
	for _, r := range rows {
		k := key{r.Data.String(), r.Reducer, r.Component}
		if _, ok := vals[key{k.data, k.reducer, 1}]; !ok && r.Component == 1 {
			order = append(order, k)
		}
		vals[k] = append(vals[k], r.Ratio)
	}
	p := plot.LinePlot{Title: fmt.Sprintf("%s: explained variance ratio per component", s.Config.Name),
		XLabel: "component", YLabel: "explained variance ratio"}
	if s.Sel.Folds > 1 {
		p.YLabel += fmt.Sprintf(" (mean ± sd over %d folds)", s.Sel.Folds)
	}
	for _, first := range order {
		name := first.reducer
		if first.data != "" {
			name += ", " + first.data
		}
		ser := plot.Series{Name: name}
		for c := 1; ; c++ {
			v, ok := vals[key{first.data, first.reducer, c}]
			if !ok {
				break
			}
			m, sd := meanSD(v)
			if math.IsNaN(m) || math.IsInf(m, 0) {
				continue // no variance to share (constant rows): no point
			}
			if math.IsNaN(sd) || math.IsInf(sd, 0) {
				sd = 0
			}
			ser.X, ser.Y = append(ser.X, float64(c)), append(ser.Y, m)
			if s.Sel.Folds > 1 {
				ser.Err = append(ser.Err, sd)
			}
		}
		if len(ser.X) > 0 {
			p.Series = append(p.Series, ser)
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error { return plot.LinePlotPNG(w, p) })
}

// meanSD returns the mean and sample sd of xs (sd 0 for one value).
func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

// selectionHTML is selection.csv as a table for the page and summary.md.
func selectionHTML(s *experiments.Sweep, sum []experiments.Summary) htmlTable {
	header, rows := experiments.SelectionTable(s, sum)
	if i := slices.Index(header, "pooled"); i >= 0 && !slices.ContainsFunc(rows, func(r []string) bool { return r[i] != "" }) {
		header = slices.Delete(slices.Clone(header), i, i+1) // no pooled axis: an empty column
		for j, r := range rows {
			rows[j] = slices.Delete(r, i, i+1)
		}
	}
	crit := experiments.Criteria()
	// Readable column titles: the criteria's titles.
	h := append([]string(nil), header...)
	for i := range h {
		for _, c := range crit {
			if h[i] == c.Name {
				h[i] = c.Title
			}
		}
	}
	return htmlTable{
		Caption: "Which k each criterion picks, per group of cells that differ only in k (none of these criteria uses the labels; " +
			"the vote is the k picked by the most criteria, the smaller k on ties; an empty cell: the criterion picks nothing)",
		Header: h, Rows: rows,
	}
}

// writeVariance writes variance.csv, the explained variance of every
// reduction, and its scree plot scree.png.
func writeVariance(dir string, s *experiments.Sweep, rows []experiments.VarianceRow) error {
	header, table := experiments.VarianceTable(s, rows)
	if err := plot.WriteCSV(filepath.Join(dir, "variance.csv"), header, table); err != nil {
		return err
	}
	return writeScree(filepath.Join(dir, "scree.png"), s, rows)
}
