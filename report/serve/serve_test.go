package serve

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"sweep/report"
)

// summaryBest reads the cell summary.csv marks best (the report's best
// silhouette), independently of the server's headline.
func summaryBest(t *testing.T, dir string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["best"]] == "true" {
			return r[col["cell"]]
		}
	}
	t.Fatalf("%s: no best cell", dir)
	return ""
}

func manifestOf(t *testing.T, dir string) report.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m report.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRunList: the list names every run with its date, cell count, best
// cell by each criterion and data sha256, from the manifest and store.
func TestRunList(t *testing.T) {
	dir, s, ts := newFixture(t, "reports", Options{})
	if got := strings.Join(s.Runs(), ","); got != "mnist-b,mnist-a" && got != "mnist-a,mnist-b" {
		t.Fatalf("runs %s, want mnist-a and mnist-b", got)
	}
	code, body := get(t, ts.URL+"/")
	if code != 200 {
		t.Fatalf("GET /: %d %s", code, body)
	}
	for _, name := range []string{"mnist-a", "mnist-b"} {
		m := manifestOf(t, filepath.Join(dir, name))
		best := summaryBest(t, filepath.Join(dir, name))
		for _, want := range []string{
			`<a href="/runs/` + name + `/">` + name + `</a>`,
			m.Started.UTC().Format("2006-01-02 15:04:05 UTC"),
			fmt.Sprintf("<td>%d</td>", m.Cells),
			`title="` + m.Data.SHA256 + `"`,
			// The silhouette winner is summary.csv's best cell.
			`silhouette: <a href="/runs/` + name + `/cell?cell=` + best + `%2Ffold0">` + best + `</a>`,
			"adjusted Rand index: <a", "majority-mapping accuracy: <a",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("run list lacks %q:\n%s", want, body)
			}
		}
	}
	if strings.Contains(body, "/predict/") {
		t.Errorf("run list links /predict/ without a predict handler")
	}
}

// TestCellDrawnOnDemand: a cell's pictures are drawn on the first
// request, once for requests at the same time, written under views/, and
// served from there afterwards, also by a new server.
func TestCellDrawnOnDemand(t *testing.T) {
	dir, s, ts := newFixture(t, "reports", Options{})
	run := filepath.Join(dir, "mnist-a")
	u := ts.URL + "/runs/mnist-a/cell?cell=" + url.QueryEscape("pca-3-5/fold1")
	var wg sync.WaitGroup
	bodies := make([]string, 4)
	for i := range bodies {
		wg.Go(func() {
			resp, err := http.Get(u)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 {
				t.Errorf("GET cell: %d %s", resp.StatusCode, b)
			}
			bodies[i] = string(b)
		})
	}
	wg.Wait()
	if n := s.drawn.Load(); n != 1 {
		t.Fatalf("4 requests at once drew the cell %d times, want 1", n)
	}
	srcs := regexp.MustCompile(`<img src="([^"]+)"`).FindAllStringSubmatch(bodies[0], -1)
	if len(srcs) != 5 {
		t.Fatalf("%d pictures, want 5 (nearest, random, scatter, silhouette, confusion):\n%s", len(srcs), bodies[0])
	}
	for _, m := range srcs {
		src := m[1]
		if !strings.HasPrefix(src, "views/") {
			t.Fatalf("picture %s is not in views/", src)
		}
		if _, err := os.Stat(filepath.Join(run, filepath.FromSlash(src))); err != nil {
			t.Errorf("picture not on disk: %v", err)
		}
		resp, err := http.Get(ts.URL + "/runs/mnist-a/" + src)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Errorf("GET %s: %d %s", src, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	for _, want := range []string{"pca-3-5_fold1_nearest.png", "pca-3-5_fold1_confusion.png", "fold 0", "fold 1"} {
		if !strings.Contains(bodies[0], want) {
			t.Errorf("cell page lacks %q", want)
		}
	}
	// Again: from the cache.
	if code, body := get(t, u); code != 200 || body != bodies[0] {
		t.Fatalf("second GET: %d, same page %v", code, body == bodies[0])
	}
	if n := s.drawn.Load(); n != 1 {
		t.Errorf("second request drew again: %d draws", n)
	}
	// A new server finds the pictures on disk.
	s2, err := New(context.Background(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", u, nil)
	rec := newRecorder()
	s2.ServeHTTP(rec, req)
	if rec.code != 200 || s2.drawn.Load() != 0 {
		t.Errorf("new server: %d, %d draws; want 200 from the cache", rec.code, s2.drawn.Load())
	}
	// The static report is untouched: only views/ was written.
	entries, _ := os.ReadDir(run)
	for _, e := range entries {
		if strings.Contains(e.Name(), "pca-3-5_fold1") {
			t.Errorf("%s written beside the report, not under views/", e.Name())
		}
	}
}

// recorder is a minimal http.ResponseWriter for calling a handler in the
// test's goroutine.
type recorder struct {
	h    http.Header
	code int
	body strings.Builder
}

func newRecorder() *recorder                    { return &recorder{h: http.Header{}, code: 200} }
func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.code = code }

// TestBadCells: hostile or wrong ?cell= values are 400 with a message
// from experiments.ParseCell or the grid check, and the server goes on.
func TestBadCells(t *testing.T) {
	_, s, ts := newFixture(t, "reports", Options{})
	for _, tc := range []struct {
		cell, msg string
	}{
		{"", "name a cell"},
		{"pca", "want reducer-components-clusters"},
		{"pca-x-5", "want reducer-components-clusters"},
		{"pca-2-0", "want reducer-components-clusters"},
		{"pca-2-5/fold-1", "is not fold<n>"},
		{"pca-2-5/fold99", "is not in the grid of run mnist-a"},
		{"pca-2-5/fold1e3", "is not fold<n>"},
		{"svd-2-5/fold0", "is not in the grid"},
		{"pca-2-5/seed=7/fold0", "is not in the grid"},
		{"pca-2-5/oops", `is not key=value`},
		{"../../../etc/passwd", "want reducer-components-clusters"},
		{"<script>alert(1)</script>-2-5", "want reducer-components-clusters"},
		{"<b>pca-2-5", "is not in the grid"},
		{strings.Repeat("a", 5000), "too long"},
	} {
		code, body := get(t, ts.URL+"/runs/mnist-a/cell?cell="+url.QueryEscape(tc.cell))
		if code != 400 || !strings.Contains(body, tc.msg) {
			t.Errorf("cell %.40q: %d %q; want 400 with %q", tc.cell, code, body, tc.msg)
		}
		if strings.Contains(body, "<script>") && !strings.HasPrefix(body, "400") {
			t.Errorf("cell %q: markup echoed", tc.cell)
		}
	}
	if n := s.drawn.Load(); n != 0 {
		t.Errorf("bad cells drew %d cells", n)
	}
	if code, _ := get(t, ts.URL+"/runs/mnist-a/"); code != 200 {
		t.Errorf("the server stopped serving: %d", code)
	}
}

// TestPathTraversal: paths that lead out of a report directory are
// refused with a message, and the server goes on serving.
func TestPathTraversal(t *testing.T) {
	dir, _, ts := newFixture(t, "reports", Options{})
	run := filepath.Join(dir, "mnist-a")
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(run, "escape")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(run, "secret.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(run, ".lock"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(ts.URL, "http://")
	for _, tc := range []struct {
		target string
		code   int
		msg    string
	}{
		{"/runs/mnist-a/../../../../etc/passwd", 400, `".." segments are not allowed`},
		{"/../etc/passwd", 400, `".." segments are not allowed`},
		{"/runs/mnist-a/%2e%2e/%2e%2e/etc/passwd", 400, `".." segments are not allowed`},
		{"/runs/mnist-a/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", 400, "encoded %2f is not allowed"},
		{"/runs/mnist-a/..%5c..%5cetc", 400, "encoded %5c is not allowed"},
		{"/runs/mnist-a/./index.html", 400, `"." segments are not allowed`},
		{"/runs/mnist-a//etc/passwd", 400, "empty segments"},
		{"/runs/mnist-a/a%00b", 400, "encoded %00"},
		{"/runs/mnist-a/escape/secret.txt", 403, "leads outside the report directory"},
		{"/runs/mnist-a/secret.txt", 403, "leads outside the report directory"},
		{"/runs/mnist-a/.lock", 404, "hidden files are not served"},
		{"/runs/mnist-a/no-such.png", 404, "no file no-such.png"},
		{"/runs/no-such-run/index.html", 404, `no run "no-such-run"`},
		{"/runs/mnist-a/views", 404, "no file views"},
	} {
		code, body := rawGet(t, addr, tc.target)
		if code != tc.code || !strings.Contains(body, tc.msg) {
			t.Errorf("GET %s: %d %q; want %d with %q", tc.target, code, body, tc.code, tc.msg)
		}
		if strings.Contains(body, "SECRET") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: served a file from outside: %q", tc.target, body)
		}
		// The server goes on.
		if code, body := rawGet(t, addr, "/runs/mnist-a/index.html"); code != 200 || !strings.Contains(body, "<html") {
			t.Fatalf("after %s: index.html %d", tc.target, code)
		}
	}
}

// TestViewsSymlinkRefused: a views folder that is a symlink out of the
// report directory is not written through.
func TestViewsSymlinkRefused(t *testing.T) {
	dir, s, ts := newFixture(t, "reports", Options{})
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "mnist-a", "views")); err != nil {
		t.Fatal(err)
	}
	code, body := get(t, ts.URL+"/runs/mnist-a/cell?cell=pca-2-3/fold0")
	if code != 500 || !strings.Contains(body, "is not a folder (a symlink?)") {
		t.Errorf("cell through a views symlink: %d %q", code, body)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 || s.drawn.Load() != 0 {
		t.Errorf("wrote %d entries outside the report directory", len(entries))
	}
	if code, _ := get(t, ts.URL+"/runs/mnist-b/cell?cell=pca-2-3/fold0"); code != 200 {
		t.Errorf("another run's cell: %d", code)
	}
}

// TestDataProblems: a run whose data file is gone or changed answers its
// cells with a message naming the file, not a panic or a wrong picture.
func TestDataProblems(t *testing.T) {
	data := filepath.Join(fixtures, "data", "images.gz")
	keep, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.WriteFile(data, keep, 0o644) })
	for _, tc := range []struct {
		name   string
		change func(t *testing.T)
		msg    string
	}{
		{"missing", func(t *testing.T) { os.Remove(data) }, "images.gz cannot be read"},
		{"changed", func(t *testing.T) { regzip(t, data) }, "images.gz has changed (sha256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(data, keep, 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, ts := newFixture(t, "moved", Options{})
			tc.change(t)
			code, body := get(t, ts.URL+"/runs/mnist-moved/cell?cell=pca-2-5/fold1")
			if code != 409 || !strings.Contains(body, tc.msg) {
				t.Errorf("%d %q; want 409 with %q", code, body, tc.msg)
			}
			if code, _ := get(t, ts.URL+"/"); code != 200 {
				t.Errorf("run list after: %d", code)
			}
		})
	}
}

// TestComparePage: the comparison shows sweep compare's summary, its
// delta tables and heatmaps, drawn into views/compare/ of run A.
func TestComparePage(t *testing.T) {
	dir, _, ts := newFixture(t, "reports", Options{})
	code, body := get(t, ts.URL+"/compare?a=mnist-a&b=mnist-b")
	if code != 200 {
		t.Fatalf("GET /compare: %d %s", code, body)
	}
	for _, want := range []string{
		"Compare mnist-a (A) with mnist-b (B)",
		"A: mnist-a (4 cells)", "cells: 4 in both, 0 only in A, 0 only in B",
		"<h2>silhouette</h2>", "<th>delta</th>", "<td>pca-2-3</td>",
		"delta_pca.png", "heatmaps_pca.png", "delta.csv",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("compare page lacks %q", want)
		}
	}
	srcs := regexp.MustCompile(`<img src="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(srcs) != 2 {
		t.Fatalf("%d pictures, want the delta and the side by side", len(srcs))
	}
	for _, m := range srcs {
		if !strings.HasPrefix(m[1], "/runs/mnist-a/views/compare/mnist-b-") {
			t.Errorf("picture %s is not under run A's views/compare/", m[1])
		}
		resp, err := http.Get(ts.URL + m[1])
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Errorf("GET %s: %d", m[1], resp.StatusCode)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "mnist-a", "views", "compare", "mnist-b-*", "delta.csv")); len(m) != 1 {
		t.Errorf("delta.csv under views/compare: %v", m)
	}
	for _, tc := range []struct {
		query string
		code  int
		msg   string
	}{
		{"a=mnist-a", 400, "name two runs"},
		{"a=mnist-a&b=nope", 404, `no run "nope"`},
		{"a=..%2F..%2Fetc&b=mnist-a", 404, `no run "../../etc"`},
	} {
		code, body := get(t, ts.URL+"/compare?"+tc.query)
		if code != tc.code || !strings.Contains(body, tc.msg) {
			t.Errorf("compare?%s: %d %q; want %d with %q", tc.query, code, body, tc.code, tc.msg)
		}
	}
}

// TestRunPage: a run's page links its report and every cell and fold.
func TestRunPage(t *testing.T) {
	_, _, ts := newFixture(t, "reports", Options{})
	code, body := get(t, ts.URL+"/runs/mnist-a/")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	for _, want := range []string{`<a href="index.html">index.html</a>`, `href="cell?cell=pca-3-5%2ffold1"`, "<option>pca-2-3/fold0</option>"} {
		if !strings.Contains(body, want) {
			t.Errorf("run page lacks %q:\n%s", want, body)
		}
	}
	if code, body := get(t, ts.URL+"/runs/mnist-a/index.html"); code != 200 || !strings.Contains(body, "sweep: ci-mnist") {
		t.Errorf("index.html: %d", code)
	}
}

// TestPredictMount: a predict handler gets the page at "/" and the API at
// "/api/predict", and the run list links it.
func TestPredictMount(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "%s %s", r.Method, r.URL.Path) })
	_, _, ts := newFixture(t, "reports", Options{Predict: h})
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/predict/", "GET /"},
		{"GET", "/predict/app.js", "GET /app.js"},
		{"POST", "/api/predict", "POST /api/predict"},
		{"GET", "/predict", "GET /"}, // redirected
	} {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader(""))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != tc.want {
			t.Errorf("%s %s: handler saw %q, want %q", tc.method, tc.path, b, tc.want)
		}
	}
	if _, body := get(t, ts.URL+"/"); !strings.Contains(body, `href="/predict/"`) {
		t.Errorf("run list does not link /predict/")
	}
}

// TestNewErrors: a directory without reports, or none, is refused.
func TestNewErrors(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		dirs []string
		msg  string
	}{
		{nil, "no directory given"},
		{[]string{empty}, "no report directory (a folder with manifest.json"},
		{[]string{filepath.Join(empty, "nope")}, "no such file or directory"},
	} {
		_, err := New(context.Background(), tc.dirs, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("New(%v): %v; want %q", tc.dirs, err, tc.msg)
		}
	}
}
