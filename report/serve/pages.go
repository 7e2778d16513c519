package serve

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"slices"

	"sweep/experiments"
	"sweep/report"
)

// css is the style of the report's pages (report.PageCSS), so that the
// served pages read as index.html does, and a few rules for the forms and
// the navigation.
const css = report.PageCSS + `nav { border-bottom: 1px solid #ccc; padding-bottom: 0.5em; margin-bottom: 1em; }
nav a { margin-right: 1em; }
form { margin: 0.5em 0 1.5em; }
select, button { font-size: 0.95em; }
code { font-size: 0.9em; }
pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; font-size: 0.85em; }
.problem { color: #a00; }
ul.cells { columns: 3; }
`

var pages = template.Must(template.New("").Parse(`
{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sweep serve: {{.}}</title>
<style>` + css + `</style>
</head>
<body>
{{end}}

{{define "nav"}}<nav><a href="/">runs</a>{{if .}}<a href="/predict/">label new images</a>{{end}}</nav>
{{end}}

{{define "best"}}{{range .}}{{.Title}}: <a href="{{.URL}}">{{.Cell}}</a> {{.Value}}<br>{{end}}{{end}}

{{define "compareForm"}}<form action="/compare" method="get">
<label>Compare A <select name="a">{{range .Runs}}<option{{if eq . $.A}} selected{{end}}>{{.}}</option>{{end}}</select></label>
<label>with B <select name="b">{{range .Runs}}<option{{if eq . $.B}} selected{{end}}>{{.}}</option>{{end}}</select></label>
<button type="submit">compare</button>
</form>
{{end}}

{{define "list"}}{{template "head" "runs"}}{{template "nav" .Predict}}
<h1>Runs</h1>
<table class="text">
<caption>Report directories served, newest first. Best cells by each criterion, mean ± sd over folds, as the report's headline ranks them.</caption>
<tr><th>run</th><th>date</th><th>cells</th><th>best cell by each criterion</th><th>data sha256</th></tr>
{{range .Rows}}<tr><td><a href="/runs/{{.Name}}/">{{.Name}}</a></td><td>{{.Date}}</td><td>{{.Cells}}</td>
<td>{{if .Problem}}<span class="problem">{{.Problem}}</span>{{else}}{{template "best" .Best}}{{end}}</td>
<td><code title="{{.SHA}}">{{.ShortSHA}}</code></td></tr>
{{end}}</table>
<h2>Compare two runs</h2>
<p>The delta tables and heatmaps of <code>sweep compare</code>: B - A for every cell in both runs.</p>
{{template "compareForm" .Compare}}
{{if .Predict}}<h2>Label new images</h2><p><a href="/predict/">Upload images</a> and see the cluster and label each gets from a fitted model.</p>{{end}}
</body></html>
{{end}}

{{define "run"}}{{template "head" .Name}}{{template "nav" .Predict}}
<h1>Run {{.Name}}</h1>
<p>{{.Config}}: {{.Cells}} cells, started {{.Date}}; data <code>{{.DataPath}}</code>, sha256 <code>{{.SHA}}</code>.</p>
<p>The report: {{range .Files}}<a href="{{.}}">{{.}}</a> {{end}}</p>
<table class="text"><caption>Best cell by each criterion</caption>
<tr><th>criterion</th><th>cell</th><th>mean ± sd</th></tr>
{{range .Best}}<tr><td>{{.Title}}</td><td><a href="{{.URL}}">{{.Cell}}</a></td><td>{{.Value}}</td></tr>
{{end}}</table>
<h2 id="cells">Open any cell</h2>
<p>The pictures of a cell and fold (montages, scatter, silhouette, confusion) are drawn when first asked for, from the run's data, and kept in <code>views/</code> of the report directory.</p>
<form action="cell" method="get"><label>cell <select name="cell">{{range .Keys}}<option>{{.}}</option>{{end}}</select></label> <button type="submit">draw</button></form>
<table class="text"><tr><th>cell</th><th>mean silhouette</th><th>folds</th></tr>
{{range .Rows}}<tr{{if .Best}} class="best"{{end}}><td>{{.Name}}</td><td>{{.Silhouette}}</td><td>{{range .Folds}}<a href="cell?cell={{.Key}}">fold {{.Fold}}</a> {{end}}</td></tr>
{{end}}</table>
</body></html>
{{end}}

{{define "cell"}}{{template "head" .Key}}{{template "nav" .Predict}}
<h1><a href="/runs/{{.Run}}/">{{.Run}}</a>: cell {{.Key}}</h1>
<p>Folds: {{range .Folds}}<a href="cell?cell={{.Key}}">fold {{.Fold}}</a> {{end}}</p>
{{range .Files}}<figure><img src="{{.File}}" alt="{{.Title}}"><figcaption>{{.Title}}</figcaption></figure>
{{end}}
</body></html>
{{end}}

{{define "compare"}}{{template "head" "compare"}}{{template "nav" .Predict}}
<h1>Compare {{.A}} (A) with {{.B}} (B)</h1>
{{template "compareForm" .Form}}
{{range .Images}}<figure><img src="{{.File}}" alt="{{.Title}}"><figcaption>{{.Title}}</figcaption></figure>
{{end}}
<p>Files: {{range .Links}}<a href="{{.}}">{{.}}</a> {{end}}</p>
<pre>{{.Text}}</pre>
{{range .Tables}}<h2>{{.Metric}}</h2><p>{{.Summary}}</p>
{{if .Rows}}<table><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{end}}
</body></html>
{{end}}
`))

// render executes the named template into a buffer first, so that a
// failed page is an error and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		s.fail(w, r, fmt.Errorf("page %s: %w", name, err))
		return
	}
	securityHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// bestLink is one headline winner, linked to its cell's pictures.
type bestLink struct {
	Title, Cell, URL, Value string
}

// bestLinks lists the run's headline winners: the best cell by each
// criterion (experiments.NewHeadline), at fold 0.
func bestLinks(rn *run) []bestLink {
	var out []bestLink
	for _, w := range rn.Headline.Winners {
		c := w.Cell
		c.Fold = 0
		out = append(out, bestLink{Title: w.Title, Cell: w.Cell.Name(), Value: report.FormatMeanSD(w.Mean, w.SD),
			URL: "/runs/" + rn.Name + "/cell?cell=" + template.URLQueryEscaper(c.Key())})
	}
	return out
}

type compareForm struct {
	Runs []string
	A, B string
}

type listRow struct {
	Name, Date, SHA, ShortSHA, Problem string
	Cells                              int
	Best                               []bestLink
}

// handleList is the run list, /. It looks for new and changed runs first.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	if err := s.scan(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.mu.Lock()
	names := slices.Clone(s.names)
	runs := make([]*run, len(names))
	for i, n := range names {
		runs[i] = s.runs[n]
	}
	s.mu.Unlock()
	data := struct {
		Rows    []listRow
		Compare compareForm
		Predict bool
	}{Compare: compareForm{Runs: names}, Predict: s.opt.Predict != nil}
	if len(names) > 1 {
		data.Compare.A, data.Compare.B = names[1], names[0] // the newest against the one before
	}
	for _, rn := range runs {
		sha := rn.Manifest.Data.SHA256
		row := listRow{Name: rn.Name, Date: rn.date(), SHA: sha, ShortSHA: sha[:min(12, len(sha))], Problem: rn.Problem,
			Cells: rn.Manifest.Cells, Best: bestLinks(rn)}
		data.Rows = append(data.Rows, row)
	}
	s.render(w, r, "list", data)
}

type foldLink struct {
	Key  string
	Fold int
}

// folds links the folds of cell c in the run's grid.
func folds(rn *run, c experiments.Cell) []foldLink {
	var out []foldLink
	for _, x := range rn.Cells {
		if x.Name() == c.Name() {
			out = append(out, foldLink{x.Key(), x.Fold})
		}
	}
	return out
}

// handleRun is a run's page, /runs/<run>/: its report's files, its best
// cells, and every cell and fold to draw.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	rn, err := s.lookup(r.PathValue("run"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rn.Problem != "" {
		s.fail(w, r, errorf(http.StatusConflict, "run %s cannot be read: %s", rn.Name, rn.Problem))
		return
	}
	type row struct {
		Name, Silhouette string
		Best             bool
		Folds            []foldLink
	}
	data := struct {
		Name, Date, SHA, Config, DataPath string
		Cells                             int
		Files, Keys                       []string
		Best                              []bestLink
		Rows                              []row
		Predict                           bool
	}{Name: rn.Name, Date: rn.date(), SHA: rn.Header.DataSHA256, Config: rn.Header.Config.Name, DataPath: rn.Header.Config.Data.Path,
		Cells: len(rn.Cells), Best: bestLinks(rn), Predict: s.opt.Predict != nil}
	entries, _ := os.ReadDir(rn.Dir)
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && report.IsReportFile(n) && filepath.Ext(n) != ".png" {
			data.Files = append(data.Files, n)
		}
	}
	slices.SortStableFunc(data.Files, func(a, b string) int { return boolCmp(a != "index.html", b != "index.html") })
	sums := map[string]*experiments.Summary{}
	for i := range rn.Summary {
		if sm := &rn.Summary[i]; sm.Pooled == "" {
			sums[sm.Cell.Name()] = sm
		}
	}
	for _, c := range rn.Cells {
		data.Keys = append(data.Keys, c.Key())
		if c.Fold != 0 {
			continue
		}
		rw := row{Name: c.Name(), Silhouette: "n/a", Folds: folds(rn, c)}
		if sm := sums[c.Name()]; sm != nil {
			st := sm.Stat("silhouette")
			rw.Silhouette, rw.Best = report.FormatMeanSD(st.Mean, st.SD), sm.Best
		}
		data.Rows = append(data.Rows, rw)
	}
	s.render(w, r, "run", data)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// handleCell is a cell's page, /runs/<run>/cell?cell=pca-2-5/fold1: its
// pictures, drawn on demand.
func (s *Server) handleCell(w http.ResponseWriter, r *http.Request) {
	rn, err := s.lookup(r.PathValue("run"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := parseCell(rn, r.URL.Query().Get("cell"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, v, err := s.views(rn, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type fig struct{ Title, File string }
	data := struct {
		Run, Key string
		Folds    []foldLink
		Files    []fig
		Predict  bool
	}{Run: rn.Name, Key: c.Key(), Folds: folds(rn, c), Predict: s.opt.Predict != nil}
	for _, f := range v.Files {
		data.Files = append(data.Files, fig{f.Title, "views/" + rn.fingerprint() + "/" + f.File})
	}
	s.render(w, r, "cell", data)
}
