package experiments

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"sweep/report"
)

// Summary aggregates one (reducer, components, clusters) over its folds.
type Summary struct {
	Reducer              string
	Components, Clusters int
	Folds                int // folds with a defined silhouette
	SilMean, SilSD       float64
	InertiaMean          float64
	InertiaSD            float64
	IterMean             float64
	NonEmptyMin          int
	Best                 bool

	// Label-based scores, mean and sd over folds (NaN without labels).
	AccMajority, AccMajoritySD float64
	AccOneToOne, AccOneToOneSD float64
	AccManual                  float64
	ARI, ARISD                 float64
	NMI, NMISD                 float64
	Purity, PuritySD           float64
}

// meanSD returns the mean and the sample standard deviation (n-1 in the
// denominator, NaN for a single value) of the non-NaN values, and how
// many there were.
func meanSD(v []float64) (mean, sd float64, n int) {
	var sum float64
	for _, x := range v {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), 0
	}
	mean = sum / float64(n)
	if n == 1 {
		return mean, math.NaN(), 1
	}
	var ss float64
	for _, x := range v {
		if !math.IsNaN(x) {
			ss += (x - mean) * (x - mean)
		}
	}
	return mean, math.Sqrt(ss / float64(n-1)), n
}

// Summarize groups results by cell name in cell order and marks the best
// mean silhouette (the first in cell order wins ties).
func Summarize(results []*Result) []Summary {
	var out []Summary
	groups := map[string][]*Result{}
	var names []string
	for _, r := range results {
		if r == nil {
			continue
		}
		n := r.Name()
		if _, ok := groups[n]; !ok {
			names = append(names, n)
		}
		groups[n] = append(groups[n], r)
	}
	best := -1
	for _, n := range names {
		g := groups[n]
		col := func(f func(*Result) float64) []float64 {
			v := make([]float64, len(g))
			for i, r := range g {
				v[i] = f(r)
			}
			return v
		}
		var iter float64
		ne := math.MaxInt
		for _, r := range g {
			iter += float64(r.Iterations)
			ne = min(ne, r.NonEmpty)
		}
		s := Summary{Reducer: g[0].Reducer, Components: g[0].Components, Clusters: g[0].Clusters, NonEmptyMin: ne}
		s.SilMean, s.SilSD, s.Folds = meanSD(col(func(r *Result) float64 { return r.Silhouette }))
		s.InertiaMean, s.InertiaSD, _ = meanSD(col(func(r *Result) float64 { return r.Inertia }))
		s.AccMajority, s.AccMajoritySD, _ = meanSD(col(func(r *Result) float64 { return r.AccMajority }))
		s.AccOneToOne, s.AccOneToOneSD, _ = meanSD(col(func(r *Result) float64 { return r.AccOneToOne }))
		s.AccManual, _, _ = meanSD(col(func(r *Result) float64 { return r.AccManual }))
		s.ARI, s.ARISD, _ = meanSD(col(func(r *Result) float64 { return r.ARI }))
		s.NMI, s.NMISD, _ = meanSD(col(func(r *Result) float64 { return r.NMI }))
		s.Purity, s.PuritySD, _ = meanSD(col(func(r *Result) float64 { return r.Purity }))
		s.IterMean = iter / float64(len(g))
		out = append(out, s)
		if !math.IsNaN(s.SilMean) && (best < 0 || s.SilMean > out[best].SilMean) {
			best = len(out) - 1
		}
	}
	if best >= 0 {
		out[best].Best = true
	}
	return out
}

// note is the note column of results.csv: the failure, else the note.
func note(r *Result) string {
	if r.Failed != "" {
		return "failed: " + r.Failed
	}
	return r.Note
}

// ftoa formats a float reproducibly: the shortest representation that
// reads back to the same float64, and "" for NaN.
func ftoa(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Manifest records everything needed to reproduce and audit a report.
type Manifest struct {
	Tool       string            `json:"tool"`
	Version    string            `json:"version"`
	Go         string            `json:"go"`
	Commit     string            `json:"commit,omitempty"`
	Modules    map[string]string `json:"modules"`
	ConfigFile string            `json:"config_file,omitempty"`
	Config     Config            `json:"config"`
	Data       DataManifest      `json:"data"`
	Cells      int               `json:"cells"`
	Workers    int               `json:"workers"`
	Started    time.Time         `json:"started"`
	WallSec    float64           `json:"wall_seconds"`
	Stages     []StageTiming     `json:"stages"`
}

// DataManifest describes the input file and the rows used.
type DataManifest struct {
	Path     string       `json:"path"`
	SHA256   string       `json:"sha256"`
	Rows     int          `json:"rows"`
	Side     int          `json:"side"`
	Selected int          `json:"selected"`
	Classes  []ClassCount `json:"classes,omitempty"`
	// Skipped lists the image files left out (data.on_bad_image: skip)
	// as "path: error".
	Skipped []string `json:"skipped,omitempty"`
}

// ReportInfo is what the report needs besides the results.
type ReportInfo struct {
	ConfigFile  string
	Workers     int
	Started     time.Time
	Wall        time.Duration
	LoadSeconds float64
}

// WriteReport writes the report directory: results.csv, summary.csv,
// summary.md, timings.csv, one heatmap per reducer, silhouette_vs_k.png,
// accuracy_vs_k.png (labelled data), manifest.json, assignments.csv (when
// configured), the data summary (data.md, classes.png, samples.png), the
// pictures of the inspected cells and index.html. Every file is
// written to a temporary name and renamed into place. Report files an
// earlier run wrote and this one did not (a reducer no longer in the
// grid, assignments.csv without -assignments) are removed before
// index.html is written, so the directory holds only this run's report;
// so are the temporary files of a killed run. The caller holds the
// directory's lock.
func WriteReport(ctx context.Context, dir string, s *Sweep, results []*Result, info ReportInfo) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create report directory: %w", err)
	}
	if s.Config.Report.Assignments {
		for _, r := range results {
			if r != nil && r.Failed == "" && (len(r.TrainLabels) != len(r.TrainRows) || len(r.TestLabels) != len(r.TestRows)) {
				return fmt.Errorf("assignments.csv: cell %s was stored without cluster assignments; run it again with -assignments", r.Key())
			}
		}
	}
	if err := removeLeftovers(dir); err != nil {
		return err
	}
	old := reportSnapshot(dir)
	sum := Summarize(results)
	steps := []func() error{
		func() error { return writeResults(filepath.Join(dir, "results.csv"), results) },
		func() error { return writeSummaryCSV(filepath.Join(dir, "summary.csv"), s, sum) },
		func() error { return writeSummaryMD(filepath.Join(dir, "summary.md"), s, sum) },
		func() error { return writeTimings(filepath.Join(dir, "timings.csv"), s, results, info) },
		func() error { return writeHeatmaps(dir, s, sum) },
		func() error {
			return writeCurves(filepath.Join(dir, "silhouette_vs_k.png"), s, sum, "silhouette", "mean silhouette",
				func(b *Summary) (float64, float64) { return b.SilMean, b.SilSD }, nil)
		},
		func() error { return writeManifest(filepath.Join(dir, "manifest.json"), s, info) },
	}
	if s.Classes > 0 {
		largest, uniform := s.Baselines()
		hl := []report.HLine{
			{Name: fmt.Sprintf("largest class %.3f", largest), Y: largest},
			{Name: fmt.Sprintf("uniform 1/%d", s.Classes), Y: uniform},
		}
		steps = append(steps, func() error {
			return writeCurves(filepath.Join(dir, "accuracy_vs_k.png"), s, sum, "majority-mapping accuracy", "held-out accuracy",
				func(b *Summary) (float64, float64) { return b.AccMajority, b.AccMajoritySD }, hl)
		})
	}
	if s.Config.Report.Assignments {
		steps = append(steps, func() error { return writeAssignments(filepath.Join(dir, "assignments.csv"), s, results) })
	}
	views := s.InspectedCells(sum)
	var ds *DataSummary
	// The slowest first: the data summary and the cell views.
	heavy := []func() error{func() error {
		ds = Inspect(s.Data, s.Config.Data.LabelNames)
		return ds.WriteFiles(dir, s.Data)
	}}
	for _, v := range views {
		heavy = append(heavy, func() error { return writeCellView(ctx, dir, s, v) })
	}
	// The files are independent: write them on all cores. The index comes
	// last, linking what exists.
	g := new(errgroup.Group)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, f := range append(heavy, steps...) {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err // interrupted: start no more files
			}
			return f()
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := removeUnwritten(dir, old, "index.html"); err != nil {
		return err
	}
	return writeIndex(dir, s, sum, views, ds)
}

func writeResults(path string, results []*Result) error {
	header := []string{"reducer", "components", "clusters", "fold", "silhouette", "inertia", "iterations", "nonempty",
		"accuracy_majority", "accuracy_onetoone", "accuracy_manual", "ari", "nmi", "purity", "note"}
	var rows [][]string
	for _, r := range results {
		if r == nil {
			continue
		}
		rows = append(rows, []string{r.Reducer, strconv.Itoa(r.Components), strconv.Itoa(r.Clusters), strconv.Itoa(r.Fold),
			ftoa(r.Silhouette), ftoa(r.Inertia), strconv.Itoa(r.Iterations), strconv.Itoa(r.NonEmpty),
			ftoa(r.AccMajority), ftoa(r.AccOneToOne), ftoa(r.AccManual), ftoa(r.ARI), ftoa(r.NMI), ftoa(r.Purity), note(r)})
	}
	return report.WriteCSV(path, header, rows)
}

// writeSummaryCSV writes summary.csv; every row carries the two accuracy
// baselines (largest class share, 1/classes) beside its accuracies.
func writeSummaryCSV(path string, sw *Sweep, sum []Summary) error {
	header := []string{"reducer", "components", "clusters", "folds", "silhouette_mean", "silhouette_sd",
		"inertia_mean", "inertia_sd", "iterations_mean", "nonempty_min",
		"accuracy_majority_mean", "accuracy_majority_sd", "accuracy_onetoone_mean", "accuracy_onetoone_sd", "accuracy_manual",
		"baseline_largest_class", "baseline_uniform",
		"ari_mean", "ari_sd", "nmi_mean", "nmi_sd", "purity_mean", "purity_sd", "best"}
	largest, uniform := sw.Baselines()
	var rows [][]string
	for _, s := range sum {
		best := ""
		if s.Best {
			best = "*"
		}
		rows = append(rows, []string{s.Reducer, strconv.Itoa(s.Components), strconv.Itoa(s.Clusters), strconv.Itoa(s.Folds),
			ftoa(s.SilMean), ftoa(s.SilSD), ftoa(s.InertiaMean), ftoa(s.InertiaSD), ftoa(s.IterMean), strconv.Itoa(s.NonEmptyMin),
			ftoa(s.AccMajority), ftoa(s.AccMajoritySD), ftoa(s.AccOneToOne), ftoa(s.AccOneToOneSD), ftoa(s.AccManual),
			ftoa(largest), ftoa(uniform),
			ftoa(s.ARI), ftoa(s.ARISD), ftoa(s.NMI), ftoa(s.NMISD), ftoa(s.Purity), ftoa(s.PuritySD), best})
	}
	return report.WriteCSV(path, header, rows)
}

// pm formats mean +- sd with 4 decimals.
func pm(mean, sd float64) string {
	switch {
	case math.IsNaN(mean):
		return "n/a"
	case math.IsNaN(sd):
		return fmt.Sprintf("%.4f", mean)
	}
	return fmt.Sprintf("%.4f ± %.4f", mean, sd)
}

// grid indexes summaries by reducer, components and clusters.
type grid struct {
	comps, ks []int
	at        map[[3]string]*Summary
}

func newGrid(s *Sweep, sum []Summary) grid {
	g := grid{
		comps: slices.Sorted(slices.Values(s.Config.Grid.Components)),
		ks:    slices.Sorted(slices.Values(s.Config.Grid.Clusters)),
		at:    map[[3]string]*Summary{},
	}
	for i := range sum {
		b := &sum[i]
		g.at[[3]string{b.Reducer, strconv.Itoa(b.Components), strconv.Itoa(b.Clusters)}] = b
	}
	return g
}

func (g grid) get(red string, m, k int) *Summary {
	return g.at[[3]string{red, strconv.Itoa(m), strconv.Itoa(k)}]
}

// Baselines are the accuracies a labelling gets without looking at the
// images: always the most frequent class, and a uniform guess.
func (s *Sweep) Baselines() (largest, uniform float64) {
	if s.Classes == 0 || len(s.Sel.Rows) == 0 {
		return math.NaN(), math.NaN()
	}
	count := make([]int, s.Classes)
	for _, r := range s.Sel.Rows {
		count[s.Data.Labels[r]]++
	}
	return float64(slices.Max(count)) / float64(len(s.Sel.Rows)), 1 / float64(s.Classes)
}

// pivotMD writes one components x clusters table per reducer of the
// value f picks from each summary.
func pivotMD(w io.Writer, s *Sweep, g grid, f func(*Summary) (mean, sd float64)) error {
	for _, red := range s.Config.Grid.Reducer {
		header := []string{red + ": components \\ clusters"}
		for _, k := range g.ks {
			header = append(header, strconv.Itoa(k))
		}
		var rows [][]string
		for _, m := range g.comps {
			row := []string{strconv.Itoa(m)}
			for _, k := range g.ks {
				cell := "—"
				if b := g.get(red, m, k); b != nil {
					cell = pm(f(b))
					if b.Best {
						cell = "**" + cell + "**"
					}
				}
				row = append(row, cell)
			}
			rows = append(rows, row)
		}
		if err := report.MarkdownTable(w, header, rows); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return nil
}

func writeSummaryMD(path string, s *Sweep, sum []Summary) error {
	g := newGrid(s, sum)
	return report.WriteAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "# %s\n\n", s.Config.Name)
		folds := "all selected rows (no folds)"
		if s.Sel.Folds > 1 {
			folds = fmt.Sprintf("held-out rows of %d stratified folds (mean ± sd over folds)", s.Sel.Folds)
		}
		fmt.Fprintf(bw, "Scores of the %s; %d rows of %s, scale %s, k-means n_init %d. The best cell by mean silhouette is in bold.\n\n",
			folds, len(s.Sel.Rows), filepath.Base(s.Data.Name), s.Config.Data.Scale, s.Config.KMeans.NInit)
		for _, n := range s.dataNotes() {
			fmt.Fprintf(bw, "%s\n\n", n)
		}
		for _, b := range sum {
			if b.Best {
				fmt.Fprintf(bw, "Best cell: **%s-%d-%d**, silhouette %s", b.Reducer, b.Components, b.Clusters, pm(b.SilMean, b.SilSD))
				if s.Classes > 0 {
					fmt.Fprintf(bw, ", majority-mapping accuracy %s", pm(b.AccMajority, b.AccMajoritySD))
				}
				fmt.Fprint(bw, ".\n\n")
			}
		}
		fmt.Fprint(bw, "## Silhouette\n\n")
		if err := pivotMD(bw, s, g, func(b *Summary) (float64, float64) { return b.SilMean, b.SilSD }); err != nil {
			return err
		}
		if s.Classes > 0 {
			largest, uniform := s.Baselines()
			baselines := fmt.Sprintf("Baselines: always the largest class %.4f; uniform guess 1/%d = %.4f.\n\n", largest, s.Classes, uniform)
			fmt.Fprint(bw, "## Accuracy, majority mapping\n\nEach cluster takes the most frequent label of its training members; held-out rows are scored.\n")
			fmt.Fprint(bw, baselines)
			if err := pivotMD(bw, s, g, func(b *Summary) (float64, float64) { return b.AccMajority, b.AccMajoritySD }); err != nil {
				return err
			}
			fmt.Fprintf(bw, "## Accuracy, one-to-one mapping\n\nHungarian assignment of clusters to labels on the training rows (cells with at least %d clusters).\n", s.Classes)
			fmt.Fprint(bw, baselines)
			if err := pivotMD(bw, s, g, func(b *Summary) (float64, float64) { return b.AccOneToOne, b.AccOneToOneSD }); err != nil {
				return err
			}
			if len(s.Config.Mapping) > 0 {
				fmt.Fprint(bw, "## Accuracy, manual mapping\n\n")
				fmt.Fprint(bw, baselines)
				var rows [][]string
				for _, m := range s.Config.Mapping {
					acc := math.NaN()
					for _, b := range sum {
						if fmt.Sprintf("%s-%d-%d", b.Reducer, b.Components, b.Clusters) == m.Cell {
							acc = b.AccManual
						}
					}
					rows = append(rows, []string{m.Cell, strconv.Itoa(m.Fold), pm(acc, math.NaN())})
				}
				if err := report.MarkdownTable(bw, []string{"cell", "fold", "accuracy"}, rows); err != nil {
					return err
				}
				fmt.Fprintln(bw)
			}
			fmt.Fprint(bw, "## Adjusted Rand index\n\n")
			if err := pivotMD(bw, s, g, func(b *Summary) (float64, float64) { return b.ARI, b.ARISD }); err != nil {
				return err
			}
			fmt.Fprint(bw, "## Normalized mutual information\n\n")
			if err := pivotMD(bw, s, g, func(b *Summary) (float64, float64) { return b.NMI, b.NMISD }); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}

func writeTimings(path string, s *Sweep, results []*Result, info ReportInfo) error {
	header := []string{"stage", "key", "seconds"}
	rows := [][]string{{"load", filepath.Base(s.Data.Name), strconv.FormatFloat(info.LoadSeconds, 'f', 6, 64)}}
	for _, t := range s.Timings() {
		kind, _, _ := strings.Cut(t.Stage, "/")
		rows = append(rows, []string{kind, t.Stage, strconv.FormatFloat(t.Seconds, 'f', 6, 64)})
	}
	for _, r := range results {
		if r == nil {
			continue
		}
		rows = append(rows,
			[]string{"kmeans", r.Key(), strconv.FormatFloat(r.KMeansSeconds, 'f', 6, 64)},
			[]string{"silhouette", r.Key(), strconv.FormatFloat(r.SilhouetteSeconds, 'f', 6, 64)},
			[]string{"cell", r.Key(), strconv.FormatFloat(r.Seconds, 'f', 6, 64)})
	}
	return report.WriteCSV(path, header, rows)
}

// heatmapFile is the file name of a reducer's heatmap.
func heatmapFile(reducer string) string { return "heatmap_" + reducer + ".png" }

func writeHeatmaps(dir string, s *Sweep, sum []Summary) error {
	g := newGrid(s, sum)
	// One colour scale for every reducer, so the pictures compare.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, b := range sum {
		if !math.IsNaN(b.SilMean) {
			lo, hi = math.Min(lo, b.SilMean), math.Max(hi, b.SilMean)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if hi <= lo {
		hi = lo + 1e-3
	}
	for _, red := range s.Config.Grid.Reducer {
		h := report.Heatmap{
			Title:  fmt.Sprintf("%s: mean silhouette (%s)", s.Config.Name, red),
			XLabel: "clusters (k)",
			YLabel: "components",
			Min:    lo,
			Max:    hi,
		}
		for _, k := range g.ks {
			h.XTicks = append(h.XTicks, strconv.Itoa(k))
		}
		for i, m := range g.comps {
			h.YTicks = append(h.YTicks, strconv.Itoa(m))
			row := make([]float64, len(g.ks))
			for j, k := range g.ks {
				row[j] = math.NaN()
				if b := g.get(red, m, k); b != nil {
					row[j] = b.SilMean
					if b.Best {
						h.Mark = append(h.Mark, [2]int{i, j})
					}
				}
			}
			h.Values = append(h.Values, row)
		}
		path := filepath.Join(dir, heatmapFile(red))
		if err := report.WriteAtomic(path, func(w io.Writer) error { return report.HeatmapPNG(w, h) }); err != nil {
			return err
		}
	}
	return nil
}

// writeCurves draws f (mean, sd over folds) against the cluster count,
// one line per reducer and component count.
func writeCurves(path string, s *Sweep, sum []Summary, title, ylabel string, f func(*Summary) (float64, float64), hl []report.HLine) error {
	g := newGrid(s, sum)
	p := report.LinePlot{
		Title:  fmt.Sprintf("%s: %s vs clusters", s.Config.Name, title),
		XLabel: "clusters (k)",
		YLabel: ylabel,
		HLines: hl,
	}
	if s.Sel.Folds > 1 {
		p.YLabel = fmt.Sprintf("%s ± sd over %d folds", ylabel, s.Sel.Folds)
	}
	for _, red := range s.Config.Grid.Reducer {
		for _, m := range g.comps {
			ser := report.Series{Name: fmt.Sprintf("%s, %d components", red, m)}
			for _, k := range g.ks {
				b := g.get(red, m, k)
				if b == nil {
					continue
				}
				mean, sd := f(b)
				if math.IsNaN(mean) {
					continue
				}
				ser.X = append(ser.X, float64(k))
				ser.Y = append(ser.Y, mean)
				if s.Sel.Folds > 1 {
					if math.IsNaN(sd) {
						sd = 0
					}
					ser.Err = append(ser.Err, sd)
				}
			}
			if len(ser.X) > 0 {
				p.Series = append(p.Series, ser)
			}
		}
	}
	return report.WriteAtomic(path, func(w io.Writer) error { return report.LinePlotPNG(w, p) })
}

func writeManifest(path string, s *Sweep, info ReportInfo) error {
	m := Manifest{
		Tool:       "sweep",
		Version:    "(devel)",
		Go:         runtime.Version(),
		Modules:    map[string]string{},
		ConfigFile: info.ConfigFile,
		Config:     s.Config,
		Data: DataManifest{
			Path: s.Data.Name, SHA256: s.Data.SHA256, Rows: s.Data.N(), Side: s.Data.Side,
			Selected: len(s.Sel.Rows), Classes: s.Sel.Classes, Skipped: skippedFiles(s.Data),
		},
		Cells:   len(s.Cells),
		Workers: info.Workers,
		Started: info.Started.UTC(),
		WallSec: info.Wall.Seconds(),
		Stages:  append([]StageTiming{{"load", info.LoadSeconds}}, s.Timings()...),
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			m.Version = bi.Main.Version
		}
		for _, d := range bi.Deps {
			m.Modules[d.Path] = d.Version
		}
		for _, kv := range bi.Settings {
			if kv.Key == "vcs.revision" {
				m.Commit = kv.Value
			}
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return report.WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

func writeAssignments(path string, s *Sweep, results []*Result) error {
	return report.WriteAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "cell,fold,row,line,split,cluster")
		emit := func(r *Result, split string, rows, labels []int) {
			if len(labels) != len(rows) {
				return // a failed cell, or one stored without labels
			}
			for i, row := range rows {
				fmt.Fprintf(bw, "%s,%d,%d,%d,%s,%d\n", r.Name(), r.Fold, row, s.Data.Line[row], split, labels[i])
			}
		}
		for _, r := range results {
			if r == nil {
				continue
			}
			if s.Sel.Folds == 1 {
				emit(r, "all", r.TrainRows, r.TrainLabels)
				continue
			}
			emit(r, "train", r.TrainRows, r.TrainLabels)
			emit(r, "test", r.TestRows, r.TestLabels)
		}
		return bw.Flush()
	})
}
