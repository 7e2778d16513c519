package report

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

	"sweep/experiments"
	"sweep/internal/atomicfile"
	"sweep/internal/buildinfo"
	"sweep/report/plot"
)

// note is the note column of results.csv: the failure, else the note.
func note(r *experiments.Result) string {
	if r.Failed != "" {
		return "failed: " + r.Failed
	}
	return r.Note
}

// Manifest records everything needed to reproduce and audit a report.
type Manifest struct {
	Tool       string            `json:"tool"`
	Version    string            `json:"version"`
	Go         string            `json:"go"`
	Commit     string            `json:"commit,omitempty"`
	Modified   bool              `json:"modified,omitempty"` // the commit's tree had uncommitted changes
	Modules    map[string]string `json:"modules"`
	ConfigFile string            `json:"config_file,omitempty"`
	// Overrides are the command line's KEY=VALUE overrides, as typed;
	// Config is the resolved config, with them applied.
	Overrides []string                  `json:"overrides,omitempty"`
	Config    experiments.Config        `json:"config"`
	Data      DataManifest              `json:"data"`
	Cells     int                       `json:"cells"`
	Workers   int                       `json:"workers"`
	Started   time.Time                 `json:"started"`
	WallSec   float64                   `json:"wall_seconds"`
	Stages    []experiments.StageTiming `json:"stages"`
	// Unconverged lists the reductions that stopped at their iteration
	// cap, as the warnings say; their cells carry the same note.
	Unconverged []string `json:"unconverged_reductions,omitempty"`
}

// DataManifest describes the input file and the rows used.
type DataManifest struct {
	Path     string                   `json:"path"`
	SHA256   string                   `json:"sha256"`
	Rows     int                      `json:"rows"`
	Side     int                      `json:"side"`
	Selected int                      `json:"selected"`
	Classes  []experiments.ClassCount `json:"classes,omitempty"`
	// Skipped lists the image files left out (data.on_bad_image: skip)
	// as "path: error".
	Skipped []string `json:"skipped,omitempty"`
}

// ReportInfo is what the report needs besides the results.
type ReportInfo struct {
	// Warn receives warnings for the user (a reduction that stopped
	// unconverged); nil discards them.
	Warn        io.Writer
	ConfigFile  string
	Overrides   []string
	Workers     int
	Started     time.Time
	Wall        time.Duration
	LoadSeconds float64
}

// WriteReport writes the report directory: results.csv, summary.csv,
// summary.md, timings.csv, one heatmap per reducer, silhouette_vs_k.png,
// accuracy_vs_k.png (labelled data), both per features value too with a
// features axis, manifest.json, assignments.csv (when
// configured), the data summary (data.md, classes.png, samples.png), the
// pictures of the inspected cells and index.html. Every file is
// written to a temporary name and renamed into place. Report files an
// earlier run wrote and this one did not (a reducer no longer in the
// grid, assignments.csv without -assignments) are removed before
// index.html is written, so the directory holds only this run's report;
// so are the temporary files of a killed run. The caller holds the
// directory's lock.
func WriteReport(ctx context.Context, dir string, s *experiments.Sweep, results []*experiments.Result, info ReportInfo) error {
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
	sum := experiments.Summarize(results)
	// Once for variance.csv, scree.png, the warnings and the manifest.
	variance, unconverged, err := s.ExplainedVariance(ctx)
	if err != nil {
		return err
	}
	if info.Warn != nil {
		for _, n := range unconverged {
			fmt.Fprintf(info.Warn, "sweep: warning: %s\n", n)
		}
	}
	steps := []func() error{
		func() error { return writeResults(filepath.Join(dir, "results.csv"), s, results) },
		func() error { return writeSummaryCSV(filepath.Join(dir, "summary.csv"), s, sum) },
		func() error { return writeSummaryMD(filepath.Join(dir, "summary.md"), s, sum) },
		func() error { return writeTimings(filepath.Join(dir, "timings.csv"), s, results, info) },
		func() error {
			header, rows := experiments.SelectionTable(s, sum)
			return plot.WriteCSV(filepath.Join(dir, "selection.csv"), header, rows)
		},
		func() error { return writeVariance(dir, s, variance) },
		func() error { return writeCriteria(filepath.Join(dir, "criteria_vs_k.png"), s, sum) },
		func() error { return writeElbow(filepath.Join(dir, "elbow.png"), s, sum) },
		func() error { return writeHeatmaps(dir, s, sum) },
		func() error {
			return writeCurves(filepath.Join(dir, curvesFile("silhouette_vs_k", "")), s, sum, "silhouette", "mean silhouette",
				stat("silhouette"), nil, "")
		},
		func() error { return writeManifest(filepath.Join(dir, "manifest.json"), s, info, unconverged) },
	}
	if hasScore(sum, "stability") {
		steps = append(steps, func() error {
			return writeStability(filepath.Join(dir, "stability_vs_k.png"), s, sum)
		})
	}
	// The accuracy curves with labels; with a features axis, the curves
	// of each features value apart too ("" is all of them), since the
	// lines of all features in one picture do not compare.
	var hl []plot.HLine
	if s.Classes > 0 {
		largest, uniform := s.Baselines(s.Sel)
		hl = baselineLines(largest, uniform, s.Classes)
	}
	for i, fv := range append([]string{""}, featuresValues(s)...) {
		if i > 0 {
			steps = append(steps, func() error {
				return writeCurves(filepath.Join(dir, curvesFile("silhouette_vs_k", fv)), s, sum, "silhouette", "mean silhouette",
					stat("silhouette"), nil, fv)
			})
		}
		if s.Classes > 0 {
			steps = append(steps, func() error {
				return writeCurves(filepath.Join(dir, curvesFile("accuracy_vs_k", fv)), s, sum, "majority-mapping accuracy", "held-out accuracy",
					stat("accuracy_majority"), hl, fv)
			})
		}
	}
	if s.Config.Report.Assignments {
		steps = append(steps, func() error { return writeAssignments(filepath.Join(dir, "assignments.csv"), s, results) })
	}
	views := cellViews(s, sum)
	var ds *DataSummary
	// The slowest first: the data summary and the cell views.
	heavy := []func() error{func() error {
		ds = SummarizeData(s.Data, s.Config.Data.LabelNames)
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
	return writeIndex(indexInputs{dir: dir, s: s, sum: sum, results: results, views: views, ds: ds, info: info})
}

// axisKeys returns the keys of the grid's extra axes, in config order.
func axisKeys(s *experiments.Sweep) []string {
	keys := make([]string, len(s.Config.Grid.Axes))
	for i, ax := range s.Config.Grid.Axes {
		keys[i] = ax.Key
	}
	return keys
}

// cellColumns are the columns naming a cell: its key, each extra axis
// by its key path, reducer, components and clusters.
func cellColumns(s *experiments.Sweep) []string {
	return append(append([]string{"cell"}, axisKeys(s)...), "reducer", "components", "clusters")
}

func cellValues(s *experiments.Sweep, c experiments.Cell) []string {
	out := []string{c.Name()}
	for _, k := range axisKeys(s) {
		v, _ := c.Axes.Get(k) // "" for the axis a pooled summary pools
		out = append(out, v)
	}
	return append(out, c.Reducer, strconv.Itoa(c.Components), strconv.Itoa(c.Clusters))
}

func writeResults(path string, s *experiments.Sweep, results []*experiments.Result) error {
	header := append(cellColumns(s), "fold")
	for _, sc := range experiments.Scores() {
		header = append(header, sc.Name)
	}
	header = append(header, "note")
	var rows [][]string
	for _, r := range results {
		if r == nil {
			continue
		}
		row := append(cellValues(s, r.Cell), strconv.Itoa(r.Fold))
		row = append(append(row, experiments.ResultValues(r)...), note(r))
		rows = append(rows, row)
	}
	return plot.WriteCSV(path, header, rows)
}

// writeSummaryCSV writes summary.csv; every row carries the two accuracy
// baselines (largest class share, 1/classes) beside its accuracies.
func writeSummaryCSV(path string, sw *experiments.Sweep, sum []experiments.Summary) error {
	header := append(append(cellColumns(sw), experiments.SummaryColumns()...), "baseline_largest_class", "baseline_uniform", "best")
	var rows [][]string
	for i := range sum {
		s := &sum[i]
		best := strconv.FormatBool(s.Best) // true or false: pandas reads a bool column
		largest, uniform := sw.Baselines(summarySelection(sw, s))
		row := append(cellValues(sw, s.Cell), experiments.SummaryValues(s)...)
		rows = append(rows, append(row, experiments.FormatFloat(largest), experiments.FormatFloat(uniform), best))
	}
	return plot.WriteCSV(path, header, rows)
}

// summarySelection returns the selection a summary's rows come from: its
// cell's, or for a pooled summary the first pooled value's.
func summarySelection(s *experiments.Sweep, sm *experiments.Summary) *experiments.Selection {
	for _, c := range s.Cells {
		if c.Axes.Without(sm.Pooled) == sm.Cell.Axes {
			return s.Selection(c)
		}
	}
	return s.Sel
}

// FormatMeanSD formats mean ± sd with 4 decimals: the mean alone when sd
// is NaN (one fold), "n/a" when the mean is NaN. The report and sweep
// serve write every mean ± sd with it.
func FormatMeanSD(mean, sd float64) string {
	switch {
	case math.IsNaN(mean):
		return "n/a"
	case math.IsNaN(sd):
		return fmt.Sprintf("%.4f", mean)
	}
	return fmt.Sprintf("%.4f ± %.4f", mean, sd)
}

// panel is one set of summaries drawn as a components x clusters table
// per reducer: a variant of the grid's extra axes, or (pooled) the cells
// without the pooled axis, summarised over its values.
type panel struct {
	axes   experiments.Axes
	pooled string
}

// label names the panel in titles: "" for a grid without extra axes.
func (p panel) label() string {
	l := p.axes.String()
	if p.pooled != "" {
		l = strings.TrimPrefix(l+", over all "+p.pooled+"s", ", ")
	}
	return l
}

// grid indexes summaries by panel, reducer, components and clusters.
type grid struct {
	comps, ks []int
	panels    []panel
	at        map[panel]map[experiments.Cell]*experiments.Summary
}

func newGrid(s *experiments.Sweep, sum []experiments.Summary) grid {
	g := grid{
		comps: slices.Sorted(slices.Values(s.Config.Grid.Components)),
		ks:    slices.Sorted(slices.Values(s.Config.Grid.Clusters)),
		at:    map[panel]map[experiments.Cell]*experiments.Summary{},
	}
	for i := range sum {
		b := &sum[i]
		p := panel{b.Cell.Axes, b.Pooled}
		if g.at[p] == nil {
			g.at[p] = map[experiments.Cell]*experiments.Summary{}
			g.panels = append(g.panels, p)
		}
		g.at[p][b.Cell] = b
	}
	if len(g.panels) == 0 {
		g.panels = []panel{{}}
	}
	return g
}

func (g grid) get(p panel, red string, m, k int) *experiments.Summary {
	return g.at[p][experiments.Cell{Axes: p.axes, Reducer: red, Components: m, Clusters: k}]
}

// stat returns a func picking the mean and sd of the named score.
func stat(name string) func(*experiments.Summary) (float64, float64) {
	i := experiments.ScoreIndex(name)
	if i < 0 {
		panic(fmt.Sprintf("report: no score %q", name))
	}
	return func(b *experiments.Summary) (float64, float64) { return b.Stats[i].Mean, b.Stats[i].SD }
}

// pivotMD writes one components x clusters table per reducer of the
// value f picks from each summary.
func pivotMD(w io.Writer, s *experiments.Sweep, g grid, f func(*experiments.Summary) (mean, sd float64), markBest bool) error {
	for _, p := range g.panels {
		for _, red := range s.Config.Grid.Reducer {
			if err := pivotMDTable(w, g, p, red, f, markBest); err != nil {
				return err
			}
		}
	}
	return nil
}

func pivotMDTable(w io.Writer, g grid, p panel, red string, f func(*experiments.Summary) (mean, sd float64), markBest bool) error {
	{
		title := red
		if l := p.label(); l != "" {
			title += " (" + l + ")"
		}
		header := []string{title + ": components \\ clusters"}
		for _, k := range g.ks {
			header = append(header, strconv.Itoa(k))
		}
		var rows [][]string
		for _, m := range g.comps {
			row := []string{strconv.Itoa(m)}
			for _, k := range g.ks {
				cell := "—"
				if b := g.get(p, red, m, k); b != nil {
					cell = FormatMeanSD(f(b))
					if b.Best && markBest {
						cell = "**" + cell + "**"
					}
				}
				row = append(row, cell)
			}
			rows = append(rows, row)
		}
		if err := plot.MarkdownTable(w, header, rows); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return nil
}

func writeSummaryMD(path string, s *experiments.Sweep, sum []experiments.Summary) error {
	g := newGrid(s, sum)
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "# %s\n\n", s.Config.Name)
		folds := scoredRows(s.Sel, "held-out rows of %d "+foldsKind(s)+" (mean ± sd over folds)")
		if r := s.Config.Silhouette.Rows; r == "train" || r == "all" {
			folds += fmt.Sprintf(", silhouettes of the %s rows (silhouette.rows: %s)", map[string]string{"train": "training", "all": "selected"}[r], r)
		}
		fmt.Fprintf(bw, "Scores of the %s; %d rows of %s, scale %s, k-means n_init %d. The best cell by mean silhouette is in bold in the silhouette tables only.\n\n",
			folds, len(s.Sel.Rows), dataName(s), s.Config.Data.Scale, s.Config.KMeans.NInit)
		for _, n := range s.DataNotes() {
			fmt.Fprintf(bw, "%s\n\n", n)
		}
		ht, notes := headlineTable(experiments.NewHeadline(sum))
		fmt.Fprintf(bw, "%s.\n\n", ht.Caption)
		if err := plot.MarkdownTable(bw, ht.Header, ht.Rows); err != nil {
			return err
		}
		fmt.Fprintln(bw)
		for _, n := range notes {
			fmt.Fprintf(bw, "%s\n\n", n)
		}
		st := selectionHTML(s, sum)
		fmt.Fprintf(bw, "## Which k each criterion picks\n\n%s. Pictures: criteria_vs_k.png, elbow.png, stability_vs_k.png (with folds), scree.png.\n\n", st.Caption)
		if err := plot.MarkdownTable(bw, st.Header, st.Rows); err != nil {
			return err
		}
		fmt.Fprintln(bw)
		fmt.Fprint(bw, "## Silhouette\n\n")
		if err := pivotMD(bw, s, g, stat("silhouette"), true); err != nil {
			return err
		}
		if s.Classes > 0 {
			largest, uniform := s.Baselines(s.Sel)
			baselines := fmt.Sprintf("Baselines: always the largest class %.4f; uniform guess 1/%d = %.4f.\n\n", largest, s.Classes, uniform)
			if ft, ok := featuresTable(sum); ok {
				fmt.Fprintf(bw, "## Which features track the labels best\n\n%s.\n\n", ft.Caption)
				if err := plot.MarkdownTable(bw, ft.Header, ft.Rows); err != nil {
					return err
				}
				fmt.Fprintln(bw)
			}
			fmt.Fprint(bw, "## Accuracy, majority mapping\n\nEach cluster takes the most frequent label of its training members; held-out rows are scored.\n")
			fmt.Fprint(bw, baselines)
			if err := pivotMD(bw, s, g, stat("accuracy_majority"), false); err != nil {
				return err
			}
			fmt.Fprintf(bw, "## Accuracy, one-to-one mapping\n\nHungarian assignment of clusters to labels on the training rows (cells with at least %d clusters).\n", s.Classes)
			fmt.Fprint(bw, baselines)
			if err := pivotMD(bw, s, g, stat("accuracy_onetoone"), false); err != nil {
				return err
			}
			if len(s.Config.Mapping) > 0 {
				fmt.Fprint(bw, "## Accuracy, manual mapping\n\n")
				fmt.Fprint(bw, baselines)
				var rows [][]string
				for _, m := range s.Config.Mapping {
					acc := math.NaN()
					for _, b := range sum {
						if b.Pooled == "" && b.Cell.Name() == m.Cell {
							acc = b.Stat("accuracy_manual").Mean
						}
					}
					rows = append(rows, []string{m.Cell, strconv.Itoa(m.Fold), FormatMeanSD(acc, math.NaN())})
				}
				if err := plot.MarkdownTable(bw, []string{"cell", "fold", "accuracy"}, rows); err != nil {
					return err
				}
				fmt.Fprintln(bw)
			}
			fmt.Fprint(bw, "## Adjusted Rand index\n\n")
			if err := pivotMD(bw, s, g, stat("ari"), false); err != nil {
				return err
			}
			fmt.Fprint(bw, "## Normalized mutual information\n\n")
			if err := pivotMD(bw, s, g, stat("nmi"), false); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}

func writeTimings(path string, s *experiments.Sweep, results []*experiments.Result, info ReportInfo) error {
	header := []string{"stage", "key", "seconds"}
	rows := [][]string{{"load", dataName(s), strconv.FormatFloat(info.LoadSeconds, 'f', 6, 64)}}
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
	return plot.WriteCSV(path, header, rows)
}

// heatmapFile is the file name of a reducer's heatmap.
// heatmapFile names the heatmap of one reducer in one panel:
// heatmap_pca.png, or heatmap_pca_seed=2.png with extra axes.
func heatmapFile(p panel, reducer string) string {
	name := "heatmap_" + reducer
	if l := p.axes.String(); l != "" {
		name += "_" + strings.ReplaceAll(l, "/", "_")
	}
	if p.pooled != "" {
		name += "_all-" + p.pooled + "s"
	}
	return name + ".png"
}

func writeHeatmaps(dir string, s *experiments.Sweep, sum []experiments.Summary) error {
	g := newGrid(s, sum)
	sil := stat("silhouette")
	// One colour scale for every picture, so they compare.
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range sum {
		if m, _ := sil(&sum[i]); !math.IsNaN(m) {
			lo, hi = math.Min(lo, m), math.Max(hi, m)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if hi <= lo {
		hi = lo + 1e-3
	}
	for _, p := range g.panels {
		for _, red := range s.Config.Grid.Reducer {
			title := fmt.Sprintf("%s: mean silhouette (%s)", s.Config.Name, red)
			if l := p.label(); l != "" {
				title = fmt.Sprintf("%s: mean silhouette (%s, %s)", s.Config.Name, red, l)
			}
			h := plot.Heatmap{Title: title, XLabel: "clusters (k)", YLabel: "components", Min: lo, Max: hi, Label: "mean silhouette"}
			for _, k := range g.ks {
				h.XTicks = append(h.XTicks, strconv.Itoa(k))
			}
			for i, m := range g.comps {
				h.YTicks = append(h.YTicks, strconv.Itoa(m))
				row := make([]float64, len(g.ks))
				for j, k := range g.ks {
					row[j] = math.NaN()
					if b := g.get(p, red, m, k); b != nil {
						row[j], _ = sil(b)
						if b.Best {
							h.Mark = append(h.Mark, [2]int{i, j})
						}
					}
				}
				h.Values = append(h.Values, row)
			}
			path := filepath.Join(dir, heatmapFile(p, red))
			if err := atomicfile.Write(path, func(w io.Writer) error { return plot.HeatmapPNG(w, h) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// featuresValues returns the values of the grid's features axis, or nil
// when it has none.
func featuresValues(s *experiments.Sweep) []string {
	for _, ax := range s.Config.Grid.Axes {
		if ax.Key == experiments.FeaturesAxis {
			return ax.Values
		}
	}
	return nil
}

// curvesFile names the curves of one features value like the heatmaps'
// panels, silhouette_vs_k_features=hog.png, or of all cells
// (silhouette_vs_k.png) when features is "".
func curvesFile(base, features string) string {
	if features == "" {
		return base + ".png"
	}
	return base + "_" + experiments.FeaturesAxis + "=" + features + ".png"
}

// baselineLines are the accuracy baselines as reference lines: the largest
// class's share and a uniform guess 1/classes, or one line naming both
// when they coincide (within 1e-12: balanced data), which would otherwise
// hide one under the other.
func baselineLines(largest, uniform float64, classes int) []plot.HLine {
	if math.Abs(largest-uniform) <= 1e-12 {
		return []plot.HLine{{Name: fmt.Sprintf("uniform 1/%d = largest class %.3f", classes, largest), Y: largest}}
	}
	return []plot.HLine{
		{Name: fmt.Sprintf("largest class %.3f", largest), Y: largest},
		{Name: fmt.Sprintf("uniform 1/%d", classes), Y: uniform},
	}
}

// curvePanelWidth and curvePanelHeight size each reducer's panel of the
// curves pictures, stacked one above the other.
const (
	curvePanelWidth  = 960
	curvePanelHeight = 460
)

// writeCurves draws f (mean, sd over folds) against the cluster count as
// small multiples, one panel per reducer stacked vertically with one y
// range, one line per component count (and extra axes' panel) with the sd
// as a shaded band; only the panels whose features are features when that
// is not "".
func writeCurves(path string, s *experiments.Sweep, sum []experiments.Summary, title, ylabel string, f func(*experiments.Summary) (float64, float64), hl []plot.HLine, features string) error {
	g := newGrid(s, sum)
	title = fmt.Sprintf("%s: %s vs clusters", s.Config.Name, title)
	if features != "" {
		title += fmt.Sprintf(" (%s=%s)", experiments.FeaturesAxis, features)
	}
	if s.Sel.Folds > 1 {
		ylabel = fmt.Sprintf("%s ± sd over %d folds", ylabel, s.Sel.Folds)
	}
	var ps []plot.LinePlot
	for _, red := range s.Config.Grid.Reducer {
		p := plot.LinePlot{
			Title:  title,
			XLabel: "clusters (k)",
			YLabel: ylabel,
			HLines: hl,
			Bands:  true,
			Width:  curvePanelWidth,
			Height: curvePanelHeight,
		}
		if len(s.Config.Grid.Reducer) > 1 {
			p.Title += " — " + red
		}
		for _, pn := range g.panels {
			if pn.pooled != "" {
				continue
			}
			if v, _ := pn.axes.Get(experiments.FeaturesAxis); features != "" && v != features {
				continue
			}
			// The title names the features of a per-features picture.
			label := pn.label()
			if features != "" {
				label = panel{pn.axes.Without(experiments.FeaturesAxis), ""}.label()
			}
			writeCurveSeries(&p, s, g, pn, label, red, f, s.Sel.Folds > 1)
		}
		ps = append(ps, p)
	}
	sharedYRange(ps)
	return atomicfile.Write(path, func(w io.Writer) error { return plot.SmallMultiplesPNG(w, 1, ps...) })
}

// sharedYRange gives the panels ps one y range covering every line, band
// and reference line, with 4% margins, so that panels compare at a glance.
func sharedYRange(ps []plot.LinePlot) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		for _, ser := range p.Series {
			for i, y := range ser.Y {
				e := 0.0
				if ser.Err != nil {
					e = ser.Err[i]
				}
				lo, hi = math.Min(lo, y-e), math.Max(hi, y+e)
			}
		}
		for _, h := range p.HLines {
			lo, hi = math.Min(lo, h.Y), math.Max(hi, h.Y)
		}
	}
	if !(lo < hi) {
		return // nothing, or one value: each panel fits its own
	}
	pad := 0.04 * (hi - lo)
	for i := range ps {
		ps[i].YMin, ps[i].YMax = lo-pad, hi+pad
	}
}

// writeCurveSeries adds one line per component count of (panel, reducer),
// named by reducer, components and label, with f's second value as error
// bars when bars is true.
func writeCurveSeries(p *plot.LinePlot, s *experiments.Sweep, g grid, pn panel, label, red string, f func(*experiments.Summary) (float64, float64), bars bool) {
	for _, m := range g.comps {
		name := fmt.Sprintf("%s, %d components", red, m)
		if l := label; l != "" {
			name += ", " + l
		}
		ser := plot.Series{Name: name}
		for _, k := range g.ks {
			b := g.get(pn, red, m, k)
			if b == nil {
				continue
			}
			mean, sd := f(b)
			if math.IsNaN(mean) {
				continue
			}
			ser.X = append(ser.X, float64(k))
			ser.Y = append(ser.Y, mean)
			if bars {
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

func writeManifest(path string, s *experiments.Sweep, info ReportInfo, unconverged []string) error {
	bi := buildinfo.Get()
	m := Manifest{
		Unconverged: unconverged,
		Tool:        "sweep",
		Version:     bi.Version,
		Go:          bi.Go,
		Commit:      bi.Commit,
		Modified:    bi.Modified,
		Modules:     map[string]string{},
		ConfigFile:  info.ConfigFile,
		Overrides:   info.Overrides,
		Config:      s.Config,
		Data: DataManifest{
			Path: s.Data.Name, SHA256: s.Data.SHA256, Rows: s.Data.N(), Side: s.Data.Side,
			Selected: len(s.Sel.Rows), Classes: s.Sel.Classes, Skipped: experiments.SkippedFiles(s.Data),
		},
		Cells:   len(s.Cells),
		Workers: info.Workers,
		Started: info.Started.UTC(),
		WallSec: info.Wall.Seconds(),
		Stages:  append([]experiments.StageTiming{{Stage: "load", Seconds: info.LoadSeconds}}, s.Timings()...),
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			m.Modules[d.Path] = d.Version
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

func writeAssignments(path string, s *experiments.Sweep, results []*experiments.Result) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "cell,fold,row,line,split,cluster")
		emit := func(r *experiments.Result, split string, rows, labels []int) {
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
			if !s.Selection(r.Cell).Split() {
				emit(r, "all", r.TrainRows, r.TrainLabels)
				continue
			}
			emit(r, "train", r.TrainRows, r.TrainLabels)
			emit(r, "test", r.TestRows, r.TestLabels)
		}
		return bw.Flush()
	})
}

// scoredRows says which rows the scores are of: all selected rows, the
// held-out side of a hold-out split, or (with folds) foldsFormat.
func scoredRows(sel *experiments.Selection, foldsFormat string) string {
	switch {
	case sel.Holdout:
		return fmt.Sprintf("held-out side of one hold-out split (%d of %d rows)", len(sel.Test(0)), len(sel.Rows))
	case sel.Folds > 1:
		return fmt.Sprintf(foldsFormat, sel.Folds)
	}
	return "all selected rows (no folds)"
}
