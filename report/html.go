package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/internal/atomicfile"
)

// htmlTable is a table for the index page.
type htmlTable struct {
	Caption string
	Header  []string
	Rows    [][]string
	Text    bool // its cells are words (cell names), aligned left
}

type htmlFigure struct {
	File, Caption string
}

type htmlCell struct {
	Title   string
	Figures []htmlFigure
}

type htmlPage struct {
	Name, Description string
	Headline          htmlTable
	HeadlineNotes     []string
	Links             []string
	Silhouette        []htmlFigure
	SilTables         []htmlTable
	Selection         htmlTable
	ChooseK           []htmlFigure
	Accuracy          []htmlFigure
	AccTables         []htmlTable
	Baselines         string
	Cells             []htmlCell
	Data              htmlTable
	DataNotes         []string
	DataFigures       []htmlFigure
}

// The page loads nothing from the network: inline CSS, local images,
// relative links.
var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sweep: {{.Name}}</title>
<style>
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }
table.text td, table.text th { text-align: left; }
th:first-child, td:first-child { text-align: left; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
figure { margin: 1em 0 2em; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; }
.best { font-weight: bold; background: #fff3c4; }
</style>
</head>
<body>
<h1>sweep: {{.Name}}</h1>
<p>{{.Description}}</p>
{{template "table" .Headline}}
{{range .HeadlineNotes}}<p>{{.}}</p>
{{end}}
<p>Files: {{range .Links}}<a href="{{.}}">{{.}}</a> {{end}}</p>
<nav><p>Contents: <a href="#silhouette">Silhouette</a> · <a href="#choosek">Which k each criterion picks</a>{{if .Accuracy}} · <a href="#accuracy">Do the clusters mean the labels?</a>{{end}}{{range $i, $c := .Cells}} · <a href="#cell{{$i}}">{{$c.Title}}</a>{{end}} · <a href="#data">Data</a></p></nav>

<h2 id="silhouette">Silhouette</h2>
{{range .Silhouette}}<figure><img src="{{.File}}" alt="{{.Caption}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{range .SilTables}}{{template "table" .}}{{end}}

<h2 id="choosek">Which k each criterion picks</h2>
{{template "table" .Selection}}
{{range .ChooseK}}<figure><img src="{{.File}}" alt="{{.Caption}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}
{{if .Accuracy}}<h2 id="accuracy">Do the clusters mean the labels?</h2>
<p>{{.Baselines}}</p>
{{range .Accuracy}}<figure><img src="{{.File}}" alt="{{.Caption}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{range .AccTables}}{{template "table" .}}{{end}}{{end}}

{{range $i, $c := .Cells}}<h2 id="cell{{$i}}">{{$c.Title}}</h2>
{{range $c.Figures}}<figure><img src="{{.File}}" alt="{{.Caption}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{end}}

<h2 id="data">Data</h2>
{{template "table" .Data}}
<ul>{{range .DataNotes}}<li>{{.}}</li>{{end}}</ul>
{{range .DataFigures}}<figure><img src="{{.File}}" alt="{{.Caption}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}
</body>
</html>
{{define "table"}}<table{{if .Text}} class="text"{{end}}><caption>{{.Caption}}</caption>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}`))

// pivotHTML is pivotMD for the page.
func pivotHTML(s *experiments.Sweep, g grid, what string, f func(*experiments.Summary) (float64, float64)) []htmlTable {
	markBest := what == "silhouette" // the best mark is the silhouette's: never beside another metric
	var out []htmlTable
	for _, pt := range pivotPanels(s, g) {
		p, red := pt.p, pt.red
		where := red
		if l := p.label(); l != "" {
			where += ", " + l
		}
		t := htmlTable{Caption: fmt.Sprintf("%s, %s: components (rows) x clusters (columns)", what, where), Header: []string{"components"}}
		for _, k := range g.ks {
			t.Header = append(t.Header, strconv.Itoa(k))
		}
		for _, m := range g.comps {
			row := []string{strconv.Itoa(m)}
			for _, k := range g.ks {
				cell := "—"
				if b := g.get(p, red, m, k); b != nil {
					cell = pm(f(b))
					if b.Best && markBest {
						cell += " (best silhouette)"
					}
				}
				row = append(row, cell)
			}
			t.Rows = append(t.Rows, row)
		}
		out = append(out, t)
	}
	return out
}

// panelTable is one table of the page: a panel and a reducer.
type panelTable struct {
	p   panel
	red string
}

// pivotPanels lists the tables of a pivot in page order.
func pivotPanels(s *experiments.Sweep, g grid) []panelTable {
	var out []panelTable
	for _, p := range g.panels {
		for _, red := range s.Config.Grid.Reducer {
			out = append(out, panelTable{p, red})
		}
	}
	return out
}

func writeIndex(dir string, s *experiments.Sweep, sum []experiments.Summary, views []CellView, ds *DataSummary) error {
	g := newGrid(s, sum)
	p := htmlPage{Name: s.Config.Name}
	folds := scoredRows(s.Sel, "the held-out rows of %d "+foldsKind(s)+"; tables give mean ± sd over folds")
	p.Description = fmt.Sprintf("%d cells: reducers %v, components %v, clusters %v; %d of %d rows of %s (scale %s), scored on %s.",
		len(s.Cells), s.Config.Grid.Reducer, g.comps, g.ks, len(s.Sel.Rows), s.Data.N(), dataset.ValidUTF8(filepath.Base(s.Data.Name)), s.Config.Data.Scale, folds)
	p.Headline, p.HeadlineNotes = headlineTable(experiments.NewHeadline(sum))
	for _, f := range []string{"results.csv", "summary.csv", "summary.md", "selection.csv", "variance.csv", "timings.csv", "assignments.csv", "data.md", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			p.Links = append(p.Links, f)
		}
	}
	for _, pt := range pivotPanels(s, g) {
		where := pt.red
		if l := pt.p.label(); l != "" {
			where += ", " + l
		}
		p.Silhouette = append(p.Silhouette, htmlFigure{heatmapFile(pt.p, pt.red),
			fmt.Sprintf("%s: mean silhouette per components x clusters; one colour scale for all pictures; the best cell outlined.", where)})
	}
	p.Silhouette = append(p.Silhouette, htmlFigure{"silhouette_vs_k.png", "Mean silhouette against the number of clusters, one panel per reducer, one line per component count; bands show the sd over folds."})
	for _, fv := range featuresValues(s) {
		p.Silhouette = append(p.Silhouette, htmlFigure{curvesFile("silhouette_vs_k", fv),
			fmt.Sprintf("Features %s: mean silhouette against the number of clusters, one panel per reducer, one line per component count; bands show the sd over folds.", fv)})
	}
	p.SilTables = pivotHTML(s, g, "silhouette", stat("silhouette"))
	p.Selection = selectionHTML(s, sum)
	for _, f := range chooseKFigures(s) {
		if _, err := os.Stat(filepath.Join(dir, f.File)); err == nil {
			p.ChooseK = append(p.ChooseK, f)
		}
	}
	if s.Classes > 0 {
		largest, uniform := s.Baselines(s.Sel)
		p.Baselines = fmt.Sprintf("Each cluster is named by the most frequent true label of its training members and held-out rows are scored. "+
			"Baselines: always the largest class %.4f; a uniform guess 1/%d = %.4f. Accuracy near these means the clusters barely track the labels.",
			largest, s.Classes, uniform)
		p.Accuracy = []htmlFigure{{"accuracy_vs_k.png", "Majority-mapping accuracy of the held-out rows against the number of clusters, one panel per reducer; bands show the sd over folds; dashed lines are the baselines."}}
		for _, fv := range featuresValues(s) {
			p.Accuracy = append(p.Accuracy, htmlFigure{curvesFile("accuracy_vs_k", fv),
				fmt.Sprintf("Features %s: majority-mapping accuracy of the held-out rows against the number of clusters, one panel per reducer; bands show the sd over folds; dashed lines are the baselines.", fv)})
		}
		base := fmt.Sprintf(" (baselines: largest class %.4f, uniform %.4f)", largest, uniform)
		p.AccTables = append(pivotHTML(s, g, "majority-mapping accuracy"+base, stat("accuracy_majority")),
			pivotHTML(s, g, "one-to-one (Hungarian) accuracy"+base, stat("accuracy_onetoone"))...)
		if ft, ok := featuresTable(sum); ok {
			p.AccTables = append([]htmlTable{ft}, p.AccTables...)
		}
		p.AccTables = append(p.AccTables, pivotHTML(s, g, "adjusted Rand index", stat("ari"))...)
	}
	for _, v := range views {
		hc := htmlCell{Title: fmt.Sprintf("Cell %s, fold %d (%s)", v.Cell.Name(), v.Cell.Fold, v.Reason)}
		hc.Figures = []htmlFigure{
			{v.Nearest, "The training images nearest each centre, one row per cluster (id, members, majority label, purity)."},
			{v.Random, "Random training members of each cluster, for comparison with the nearest ones."},
			{v.Scatter, scatterCaption(s)},
			{v.Silhouette, "Silhouette of each held-out row, sorted within its cluster; the dashed line is the mean."},
		}
		if v.Dendrogram != "" {
			hc.Figures = append(hc.Figures, htmlFigure{v.Dendrogram, "The top of Ward's hierarchy of the training rows: the last merges, each leaf labelled (rows below it) and the cluster it falls in; the dashed line cuts the tree into the cell's k clusters."})
		}
		if s.Classes > 0 {
			hc.Figures = append(hc.Figures, htmlFigure{v.Conf, "Held-out rows by cluster and true label: counts and share of the cluster."})
		}
		hc.Figures = slices.DeleteFunc(hc.Figures, func(f htmlFigure) bool { return f.File == "" })
		for _, f := range hc.Figures {
			if _, err := os.Stat(filepath.Join(dir, f.File)); err != nil {
				return fmt.Errorf("index.html: missing picture %s", f.File)
			}
		}
		p.Cells = append(p.Cells, hc)
	}
	p.Data = htmlTable{Caption: fmt.Sprintf("%s: %d images of %dx%d pixels", filepath.Base(ds.Name), ds.Rows, ds.Side, ds.Side)}
	p.Data.Header, p.Data.Rows = ds.Table()
	p.DataNotes = []string{
		fmt.Sprintf("Grey levels %g..%g, mean %.1f.", ds.MinPixel, ds.MaxPixel, ds.MeanPixel),
		fmt.Sprintf("Exact duplicate images (pixels repeat an earlier row): %d, of which %d carry another label.", ds.Duplicates, ds.DuplicateConflicts),
		fmt.Sprintf("Near-constant images (pixel sd below %g grey levels): %d.", nearConstantSD, ds.NearConstant),
	}
	p.DataNotes = append(p.DataNotes, s.DataNotes()...)
	if why := s.Data.NoImages(); why != "" {
		p.DataNotes = append(p.DataNotes, "No montages or sample images: "+why+".")
	}
	if len(s.Sel.Classes) > 0 && !math.IsNaN(float64(len(s.Sel.Rows))) {
		p.DataNotes = append(p.DataNotes, fmt.Sprintf("The sweep used %d rows (data.balance %s).", len(s.Sel.Rows), s.Config.Data.Balance))
	}
	p.DataFigures = dataFigures(ds, s.Data.ImageData() != nil)
	return atomicfile.Write(filepath.Join(dir, "index.html"), func(w io.Writer) error { return indexTemplate.Execute(w, p) })
}

// chooseKFigures are the pictures of the page's "Which k" section, each
// shown when it was written.
func chooseKFigures(s *experiments.Sweep) []htmlFigure {
	bars := "bars: sd over folds"
	if s.Sel.Folds < 2 {
		bars = "one fold: no bars"
	}
	return []htmlFigure{
		{"criteria_vs_k.png", "Each criterion against the number of clusters, one line per reducer and component count: held-out silhouette, " +
			"Calinski-Harabasz and Davies-Bouldin (" + bars + "), the gap statistic with bars ± s(k) over the reference sets, stability across folds " +
			"(bars: sd over pairs of folds), and the training inertia the elbow reads (" + bars + "). None uses the labels. Silhouettes (and CH, DB, inertia) of different component counts are not comparable."},
		{"elbow.png", "The elbow: mean training inertia against the number of clusters, one panel per reducer and component count; " +
			"the ring marks the knee Kneedle finds (S = 1), the elbow column of the table above."},
		{"stability_vs_k.png", "Stability against the number of clusters: the mean adjusted Rand index between the labellings of all selected rows by each pair of folds' models; bars: the sd over the pairs of folds."},
		{"scree.png", "Scree plot from variance.csv: the explained variance ratio of each component of the training rows, one line per reducer, mean over folds. Truncated SVD does not centre, so its first component mostly carries the mean image and explains little of the variance."},
	}
}

// headlineTable is the headline as a table: the best cell by each
// criterion, its mean ± sd and standard error over folds, the cells not
// distinguishable from it (within 2 SE), and whether it used the labels;
// then the silhouette's winner per component count.
func headlineTable(h experiments.Headline) (htmlTable, []string) {
	t := htmlTable{Text: true, Caption: "Best cell by each criterion (mean ± sd over folds; SE: standard error of the mean)",
		Header: []string{"criterion", "uses labels", "best cell", "mean ± sd", "SE", "not distinguishable from the best (within 2 SE)"}}
	row := func(what string, w experiments.Winner) []string {
		labels := "no"
		if w.Labels {
			labels = "yes"
		}
		var close []string
		for _, c := range w.Close {
			close = append(close, c.Name())
		}
		cl := strings.Join(close, ", ")
		if math.IsNaN(w.SE) {
			cl = "n/a (one fold)"
		} else if cl == "" {
			cl = "none"
		}
		return []string{what, labels, w.Cell.Name(), pm(w.Mean, w.SD), num4(w.SE), cl}
	}
	for _, w := range h.Winners {
		t.Rows = append(t.Rows, row(w.Title, w))
	}
	for _, w := range h.SilhouetteByComponents {
		t.Rows = append(t.Rows, row(fmt.Sprintf("silhouette, %d components", w.Cell.Components), w))
	}
	return t, h.Notes
}

// num4 writes v with 4 decimals, "n/a" for NaN.
func num4(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.4f", v)
}

// featuresTable answers "which features track the labels best": for each
// value of the features axis, the best cell's held-out ARI, majority
// accuracy and NMI (each the best over that value's cells, mean ± sd over
// folds). ok is false without a features axis.
func featuresTable(sum []experiments.Summary) (t htmlTable, ok bool) {
	var values []string
	best := map[string][]*experiments.Summary{} // value -> best summary per score
	scores := []string{"ari", "accuracy_majority", "nmi"}
	for i := range sum {
		b := &sum[i]
		f, has := b.Cell.Axes.Get(experiments.FeaturesAxis)
		if !has || b.Pooled != "" {
			continue
		}
		if best[f] == nil {
			values = append(values, f)
			best[f] = make([]*experiments.Summary, len(scores))
		}
		for j, name := range scores {
			if m := b.Stat(name).Mean; !math.IsNaN(m) && (best[f][j] == nil || m > best[f][j].Stat(name).Mean) {
				best[f][j] = b
			}
		}
	}
	if len(values) == 0 {
		return t, false
	}
	t = htmlTable{Caption: "Which features track the labels best: the best cell of each features value by held-out ARI, majority-mapping accuracy and NMI (mean ± sd over folds)",
		Header: []string{"features", "best ARI", "cell", "best accuracy", "cell", "best NMI", "cell"}}
	for _, f := range values {
		row := []string{f}
		for j, name := range scores {
			b := best[f][j]
			if b == nil {
				row = append(row, "n/a", "")
				continue
			}
			row = append(row, pm(stat(name)(b)), b.Cell.Name())
		}
		t.Rows = append(t.Rows, row)
	}
	return t, true
}
