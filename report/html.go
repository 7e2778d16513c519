package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sweep/experiments"
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
	ID            string // an anchor other sections link to, or ""
}

// htmlBlock is one piece of a section, drawn in order: a paragraph (with
// an optional link after it), a list, a table, a figure or the cell table.
type htmlBlock struct {
	Para           string
	Href, LinkText string // a link after Para
	List           []string
	Table          *htmlTable
	Figure         *htmlFigure
	Cells          *cellTable
}

// htmlSection is a part of the page: an h2 with its blocks, then its
// subsections (h3). The table of contents is drawn from the sections the
// page has, so a section a run lacks (labels of unlabelled data) is
// neither drawn nor linked.
type htmlSection struct {
	ID, Title string
	Blocks    []htmlBlock
	Subs      []htmlSection
}

// paras, tables and figures make blocks.
func paras(ps ...string) []htmlBlock {
	var out []htmlBlock
	for _, p := range ps {
		out = append(out, htmlBlock{Para: p})
	}
	return out
}

func tables(ts []htmlTable) []htmlBlock {
	out := make([]htmlBlock, len(ts))
	for i := range ts {
		out[i] = htmlBlock{Table: &ts[i]}
	}
	return out
}

func figures(fs []htmlFigure) []htmlBlock {
	out := make([]htmlBlock, len(fs))
	for i := range fs {
		out[i] = htmlBlock{Figure: &fs[i]}
	}
	return out
}

type htmlPage struct {
	Name, Description string
	Headline          htmlTable
	HeadlineNotes     []string
	Links             []string
	Sections          []htmlSection
	Script            template.JS // the cell table's sort and filter controls
}

// The page loads nothing from the network: inline CSS and JS, local
// images, relative links. Without JS every table is there; the script
// only adds sorting and filters to the cell table.
// PageCSS is the style every page of sweep shares: index.html and the
// pages of sweep serve (report/serve), so that they read alike.
const PageCSS = `body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }
table.text td, table.text th { text-align: left; }
th:first-child, td:first-child { text-align: left; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
figure { margin: 1em 0 2em; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; }
.best { font-weight: bold; background: #fff3c4; }
`

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sweep: {{.Name}}</title>
<style>
` + PageCSS + `nav ol { margin: 0.3em 0; } nav li { margin: 0.1em 0; }
.scroll { max-height: 75vh; overflow: auto; border: 1px solid #ccc; margin: 0.5em 0 1.5em; }
.scroll table { margin: 0; border-collapse: separate; border-spacing: 0; }
.scroll th, .scroll td { border-width: 0 1px 1px 0; white-space: nowrap; }
.scroll thead th { position: sticky; top: 0; background: #eef; z-index: 2; cursor: pointer; }
.scroll tbody td:first-child { position: sticky; left: 0; background: #fff; z-index: 1; }
.scroll tbody tr.best td { background: #fff3c4; }
.scroll th[aria-sort=ascending]::after { content: " ▲"; }
.scroll th[aria-sort=descending]::after { content: " ▼"; }
.filters { display: flex; flex-wrap: wrap; gap: 0.4em 1.2em; align-items: center; font-size: 0.9em; }
.filters label { white-space: nowrap; }
</style>
</head>
<body>
<h1>sweep: {{.Name}}</h1>
<p>{{.Description}}</p>
{{template "table" .Headline}}
{{range .HeadlineNotes}}<p>{{.}}</p>
{{end}}
<p>Files: {{range .Links}}<a href="{{.}}">{{.}}</a> {{end}}</p>
<nav id="contents" aria-label="Contents"><strong>Contents</strong>
<ol>{{range .Sections}}<li><a href="#{{.ID}}">{{.Title}}</a>{{if .Subs}}<ol>{{range .Subs}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ol>{{end}}</li>
{{end}}</ol></nav>
{{range .Sections}}
<h2 id="{{.ID}}">{{.Title}}</h2>
{{template "blocks" .Blocks}}{{range .Subs}}<h3 id="{{.ID}}">{{.Title}}</h3>
{{template "blocks" .Blocks}}{{end}}{{end}}
<script>{{.Script}}</script>
</body>
</html>
{{define "blocks"}}{{range .}}{{if .Para}}<p>{{.Para}}{{if .Href}} <a href="{{.Href}}">{{.LinkText}}</a>{{end}}</p>
{{end}}{{with .List}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{with .Table}}{{template "table" .}}{{end}}{{with .Figure}}<figure{{with .ID}} id="{{.}}"{{end}}><img src="{{.File}}" alt="{{.Caption}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{with .Cells}}{{template "cells" .}}{{end}}{{end}}{{end}}
{{define "table"}}<table{{if .Text}} class="text"{{end}}><caption>{{.Caption}}</caption>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}
{{define "cells"}}<p>{{.Caption}}</p>
<div id="cell-controls" class="filters" hidden></div>
<div class="scroll" id="cells-scroll"><table id="cells">
<thead><tr>{{range .Columns}}<th{{if .Axis}} data-axis="{{.Name}}"{{end}}{{if .Empty}} data-empty{{end}} title="{{.Title}}">{{.Name}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Best}} class="best"{{end}}><td>{{if .Link}}<a href="#{{.Link}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}</td>{{range .Values}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
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
					cell = FormatMeanSD(f(b))
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

// indexInputs is what index.html is drawn from.
type indexInputs struct {
	dir     string
	s       *experiments.Sweep
	sum     []experiments.Summary
	results []*experiments.Result
	views   []CellView
	ds      *DataSummary
	info    ReportInfo
	g       grid
}

func writeIndex(in indexInputs) error {
	s := in.s
	in.g = newGrid(s, in.sum)
	p := htmlPage{Name: s.Config.Name, Script: template.JS(cellTableJS)}
	folds := scoredRows(s.Sel, "the held-out rows of %d "+foldsKind(s)+"; tables give mean ± sd over folds")
	p.Description = fmt.Sprintf("%d cells: reducers %v, components %v, clusters %v; %d of %d rows of %s (scale %s), scored on %s.",
		len(s.Cells), s.Config.Grid.Reducer, in.g.comps, in.g.ks, len(s.Sel.Rows), s.Data.N(), dataName(s), s.Config.Data.Scale, folds)
	p.Headline, p.HeadlineNotes = headlineTable(experiments.NewHeadline(in.sum))
	for _, f := range []string{"results.csv", "summary.csv", "summary.md", "selection.csv", "variance.csv", "timings.csv", "assignments.csv", "data.md", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(in.dir, f)); err == nil {
			p.Links = append(p.Links, f)
		}
	}
	cells, err := cellViewSection(in)
	if err != nil {
		return err
	}
	p.Sections = []htmlSection{
		cellTableSection(in),
		silhouetteSection(in),
		chooseKSection(in),
		inertiaSection(in),
	}
	if s.Classes > 0 {
		p.Sections = append(p.Sections, labelsSection(in))
	}
	if len(cells.Subs) > 0 {
		p.Sections = append(p.Sections, cells)
	}
	p.Sections = append(p.Sections, timingsSection(in), dataSection(in))
	return atomicfile.Write(filepath.Join(in.dir, "index.html"), func(w io.Writer) error { return indexTemplate.Execute(w, p) })
}

// silhouetteSection holds the silhouette heatmaps, curves and tables.
func silhouetteSection(in indexInputs) htmlSection {
	s := in.s
	var figs []htmlFigure
	for _, pt := range pivotPanels(s, in.g) {
		where := pt.red
		if l := pt.p.label(); l != "" {
			where += ", " + l
		}
		figs = append(figs, htmlFigure{File: heatmapFile(pt.p, pt.red),
			Caption: fmt.Sprintf("%s: mean silhouette per components x clusters; one colour scale for all pictures; the best cell outlined.", where)})
	}
	figs = append(figs, htmlFigure{File: "silhouette_vs_k.png", Caption: "Mean silhouette against the number of clusters, one panel per reducer, one line per component count; bands show the sd over folds."})
	for _, fv := range featuresValues(s) {
		figs = append(figs, htmlFigure{File: curvesFile("silhouette_vs_k", fv),
			Caption: fmt.Sprintf("Features %s: mean silhouette against the number of clusters, one panel per reducer, one line per component count; bands show the sd over folds.", fv)})
	}
	return htmlSection{ID: "silhouette", Title: "Silhouette",
		Blocks: append(figures(figs), tables(pivotHTML(s, in.g, "silhouette", stat("silhouette")))...)}
}

// chooseKSection holds the selection table and the criteria pictures.
func chooseKSection(in indexInputs) htmlSection {
	sel := selectionHTML(in.s, in.sum)
	sec := htmlSection{ID: "choosek", Title: "Which k each criterion picks", Blocks: []htmlBlock{{Table: &sel}}}
	var figs []htmlFigure
	for _, f := range chooseKFigures(in.s) {
		if _, err := os.Stat(filepath.Join(in.dir, f.File)); err == nil {
			figs = append(figs, f)
		}
	}
	sec.Blocks = append(sec.Blocks, figures(figs)...)
	return sec
}

// inertiaSection holds the training inertia the elbow reads, as tables,
// and points at the elbow picture of the "Which k" section.
func inertiaSection(in indexInputs) htmlSection {
	sec := htmlSection{ID: "inertia", Title: "Inertia (the elbow)"}
	b := htmlBlock{Para: "The k-means inertia of the training rows (the sum of squared distances to the nearest centre) falls as k grows; " +
		"the elbow is where it stops falling fast. Inertias of different component counts or reducers are not comparable."}
	if _, err := os.Stat(filepath.Join(in.dir, "elbow.png")); err == nil {
		b.Href, b.LinkText = "#"+elbowID, "The elbow picture, with the knee Kneedle finds."
	}
	sec.Blocks = append([]htmlBlock{b}, tables(pivotHTML(in.s, in.g, scoreTitle("inertia"), stat("inertia")))...)
	return sec
}

// labelsSection answers whether the clusters mean the labels: accuracy
// against the baselines, then one subsection per agreement score.
func labelsSection(in indexInputs) htmlSection {
	s, g := in.s, in.g
	largest, uniform := s.Baselines(s.Sel)
	sec := htmlSection{ID: "labels", Title: "Do the clusters mean the labels?"}
	acc := htmlSection{ID: "accuracy", Title: "Accuracy", Blocks: paras(fmt.Sprintf("Each cluster is named by the most frequent true label of its training members and held-out rows are scored. "+
		"Baselines: always the largest class %.4f; a uniform guess 1/%d = %.4f. Accuracy near these means the clusters barely track the labels.",
		largest, s.Classes, uniform))}
	figs := []htmlFigure{{File: "accuracy_vs_k.png", Caption: "Majority-mapping accuracy of the held-out rows against the number of clusters, one panel per reducer; bands show the sd over folds; dashed lines are the baselines."}}
	for _, fv := range featuresValues(s) {
		figs = append(figs, htmlFigure{File: curvesFile("accuracy_vs_k", fv),
			Caption: fmt.Sprintf("Features %s: majority-mapping accuracy of the held-out rows against the number of clusters, one panel per reducer; bands show the sd over folds; dashed lines are the baselines.", fv)})
	}
	acc.Blocks = append(acc.Blocks, figures(figs)...)
	if ft, ok := featuresTable(in.sum); ok {
		acc.Blocks = append(acc.Blocks, htmlBlock{Table: &ft})
	}
	base := fmt.Sprintf(" (baselines: largest class %.4f, uniform %.4f)", largest, uniform)
	acc.Blocks = append(acc.Blocks, tables(append(pivotHTML(s, g, "majority-mapping accuracy"+base, stat("accuracy_majority")),
		pivotHTML(s, g, "one-to-one (Hungarian) accuracy"+base, stat("accuracy_onetoone"))...))...)
	sec.Subs = append(sec.Subs, acc)
	for _, sc := range []struct{ name, id, what string }{
		{"ari", "ari", "Agreement of the held-out rows' clusters with their labels, corrected for chance: 0 is chance, 1 a perfect match."},
		{"nmi", "nmi", "Mutual information between the held-out rows' clusters and labels, normalised to 0..1 (arithmetic mean, as scikit-learn's default); not corrected for chance, so it grows with k."},
		{"purity", "purity", "The share of held-out rows that carry the most frequent label of their cluster among the held-out rows; it grows with k and is 1 with one row per cluster."},
	} {
		sec.Subs = append(sec.Subs, htmlSection{ID: sc.id, Title: capitalize(scoreTitle(sc.name)),
			Blocks: append(paras(sc.what), tables(pivotHTML(s, g, scoreTitle(sc.name), stat(sc.name)))...)})
	}
	return sec
}

// cellViewSection holds the pictures of the inspected cells, one
// subsection each; their ids are the cell table's links.
func cellViewSection(in indexInputs) (htmlSection, error) {
	sec := htmlSection{ID: "cells-inspected", Title: "Inspected cells"}
	for i, v := range in.views {
		var figs []htmlFigure
		for _, p := range v.Pictures(in.s) {
			figs = append(figs, htmlFigure{File: p.File, Caption: p.Caption})
		}
		for _, f := range figs {
			if _, err := os.Stat(filepath.Join(in.dir, f.File)); err != nil {
				return sec, fmt.Errorf("index.html: missing picture %s", f.File)
			}
		}
		sec.Subs = append(sec.Subs, htmlSection{ID: cellViewID(i),
			Title:  fmt.Sprintf("Cell %s, fold %d (%s)", v.Cell.Name(), v.Cell.Fold, v.Reason),
			Blocks: figures(figs)})
	}
	return sec, nil
}

// cellViewID is the anchor of the i-th inspected cell.
func cellViewID(i int) string { return "cell" + strconv.Itoa(i) }

// dataSection describes the data: counts per label and split, notes and
// pictures.
func dataSection(in indexInputs) htmlSection {
	s, ds := in.s, in.ds
	t := htmlTable{Caption: fmt.Sprintf("%s: %d images of %dx%d pixels", filepath.Base(ds.Name), ds.Rows, ds.Side, ds.Side)}
	t.Header, t.Rows = ds.Table()
	notes := []string{
		fmt.Sprintf("Grey levels %g..%g, mean %.1f.", ds.MinPixel, ds.MaxPixel, ds.MeanPixel),
		fmt.Sprintf("Exact duplicate images (pixels repeat an earlier row): %d, of which %d carry another label.", ds.Duplicates, ds.DuplicateConflicts),
		fmt.Sprintf("Near-constant images (pixel sd below %g grey levels): %d.", nearConstantSD, ds.NearConstant),
	}
	notes = append(notes, s.DataNotes()...)
	if why := s.Data.NoImages(); why != "" {
		notes = append(notes, "No montages or sample images: "+why+".")
	}
	if len(s.Sel.Classes) > 0 && !math.IsNaN(float64(len(s.Sel.Rows))) {
		notes = append(notes, fmt.Sprintf("The sweep used %d rows (data.balance %s).", len(s.Sel.Rows), s.Config.Data.Balance))
	}
	figs := dataFigures(ds, s.Data.ImageData() != nil)
	return htmlSection{ID: "data", Title: "Data", Blocks: append([]htmlBlock{{Table: &t}, {List: notes}}, figures(figs)...)}
}

// scoreTitle is the schema's title of the named score.
func scoreTitle(name string) string {
	i := experiments.ScoreIndex(name)
	if i < 0 {
		panic(fmt.Sprintf("report: no score %q", name))
	}
	return experiments.Scores()[i].Title
}

// capitalize upper-cases the first letter of an ASCII title.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// elbowID is the anchor of the elbow picture, which the inertia section
// links to.
const elbowID = "fig-elbow"

// chooseKFigures are the pictures of the page's "Which k" section, each
// shown when it was written.
func chooseKFigures(s *experiments.Sweep) []htmlFigure {
	bars := "bars: sd over folds"
	if s.Sel.Folds < 2 {
		bars = "one fold: no bars"
	}
	return []htmlFigure{
		{File: "criteria_vs_k.png", Caption: "Each criterion against the number of clusters, one line per reducer and component count: held-out silhouette, " +
			"Calinski-Harabasz and Davies-Bouldin (" + bars + "), the gap statistic with bars ± s(k) over the reference sets, stability across folds " +
			"(bars: sd over pairs of folds), and the training inertia the elbow reads (" + bars + "). None uses the labels. Silhouettes (and CH, DB, inertia) of different component counts are not comparable."},
		{File: "elbow.png", ID: elbowID, Caption: "The elbow: mean training inertia against the number of clusters, one panel per reducer and component count; " +
			"the ring marks the knee Kneedle finds (S = 1), the elbow column of the table above."},
		{File: "stability_vs_k.png", Caption: "Stability against the number of clusters: the mean adjusted Rand index between the labellings of all selected rows by each pair of folds' models; bars: the sd over the pairs of folds."},
		{File: "scree.png", Caption: "Scree plot from variance.csv: the explained variance ratio of each component of the training rows, one line per reducer, mean over folds. Truncated SVD does not centre, so its first component mostly carries the mean image and explains little of the variance."},
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
		return []string{what, labels, w.Cell.Name(), FormatMeanSD(w.Mean, w.SD), num4(w.SE), cl}
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
			row = append(row, FormatMeanSD(stat(name)(b)), b.Cell.Name())
		}
		t.Rows = append(t.Rows, row)
	}
	return t, true
}
