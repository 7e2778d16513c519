package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sweep/internal/buildinfo"
	"sweep/internal/dirlock"
)

// writeSynthetic writes a small labelled CSV in FER2013's layout: per
// class, images of side x side pixels whose bright quadrant depends on the
// class, plus noise. It stands in for FER2013 where the real file is not
// needed.
func writeSynthetic(t testing.TB, dir string, perClass, side int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, 12))
	var b strings.Builder
	b.WriteString("emotion,pixels,Usage\n")
	usages := []string{"Training", "PublicTest", "PrivateTest"}
	for c := 0; c < 3; c++ {
		for i := 0; i < perClass; i++ {
			fmt.Fprintf(&b, "%d,", c)
			for r := 0; r < side; r++ {
				for q := 0; q < side; q++ {
					v := 40 + rng.IntN(30)
					if quad := (r*2/side)*2 + q*2/side; quad == c {
						v += 150
					}
					if r+q > 0 {
						b.WriteByte(' ')
					}
					fmt.Fprintf(&b, "%d", v)
				}
			}
			fmt.Fprintf(&b, ",%s\n", usages[i%3])
		}
	}
	path := filepath.Join(dir, "synthetic.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeConfig(t testing.TB, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "grid.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const syntheticGrid = `name: synthetic
seed: 3
data:
  balance: min
grid:
  reducer: [pca, svd]
  components: [2, 3]
  clusters: {from: 2, to: 4}
  folds: 3
kmeans:
  n_init: 3
`

func runCmd(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = exitCode(run(context.Background(), args, &o, &e), &e)
	return o.String(), e.String(), code
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// checkReport checks every file of a report directory: tables with the
// right rows, PNGs that decode at the plot size, a manifest that parses.
func checkReport(t *testing.T, dir string, reducers []string, cells, groups int) {
	t.Helper()
	if got := len(readCSV(t, filepath.Join(dir, "results.csv"))); got != cells+1 {
		t.Errorf("results.csv: %d lines, want %d", got, cells+1)
	}
	sum := readCSV(t, filepath.Join(dir, "summary.csv"))
	if len(sum) != groups+1 {
		t.Errorf("summary.csv: %d lines, want %d", len(sum), groups+1)
	}
	// best is a boolean column, true or false, as pandas reads one.
	best := 0
	for _, r := range sum[1:] {
		switch r[len(r)-1] {
		case "true":
			best++
		case "false":
		default:
			t.Errorf("summary.csv: best %q, want true or false", r[len(r)-1])
		}
	}
	if best != 1 {
		t.Errorf("summary.csv marks %d best cells, want 1", best)
	}
	if got := len(readCSV(t, filepath.Join(dir, "timings.csv"))); got < cells*3+1 {
		t.Errorf("timings.csv: %d lines, want at least %d", got, cells*3+1)
	}
	md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil || !bytes.Contains(md, []byte("Best cell")) {
		t.Errorf("summary.md: %v, %q", err, md)
	}
	// 960 x 540 is the report package's default plot size; the curves
	// pictures stack one 960 x 460 panel per reducer.
	pngs := map[string][2]int{"silhouette_vs_k.png": {960, 460 * len(reducers)}}
	for _, r := range reducers {
		pngs["heatmap_"+r+".png"] = [2]int{960, 540}
	}
	for name, want := range pngs {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != want[0] || b.Dy() != want[1] {
			t.Errorf("%s: %dx%d, want %dx%d", name, b.Dx(), b.Dy(), want[0], want[1])
		}
	}
	var m struct {
		Data struct {
			SHA256   string `json:"sha256"`
			Selected int    `json:"selected"`
		} `json:"data"`
		Cells   int    `json:"cells"`
		Version string `json:"version"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if m.Cells != cells || len(m.Data.SHA256) != 64 || m.Data.Selected == 0 || m.Version != buildinfo.Get().Version {
		t.Errorf("manifest: %+v", m)
	}
	checkIndex(t, dir)
	// Nothing temporary is left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != dirlock.File {
			t.Errorf("leftover temporary file %s", e.Name())
		}
	}
}

var refAttr = regexp.MustCompile(`(?i)(?:src|href)\s*=\s*"([^"]*)"`)

// checkIndex opens index.html and checks that every picture and file it
// references exists in the report directory and that nothing points to
// the network.
func checkIndex(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	refs := refAttr.FindAllStringSubmatch(string(b), -1)
	if len(refs) < 8 {
		t.Errorf("index.html references only %d files", len(refs))
	}
	// A table of contents (issue 17 item 9): links to the sections, each
	// of which exists.
	nav, _, ok := strings.Cut(string(b), "</nav>")
	if !ok || !strings.Contains(nav, `<nav`) || !strings.Contains(nav, `href="#silhouette"`) || !strings.Contains(nav, `href="#data"`) {
		t.Errorf("index.html has no table of contents linking #silhouette and #data")
	}
	seen := map[string]bool{}
	for _, m := range refs {
		ref := m[1]
		if id, ok := strings.CutPrefix(ref, "#"); ok {
			if !strings.Contains(string(b), `id="`+id+`"`) {
				t.Errorf("index.html links to #%s, which it lacks", id)
			}
			continue
		}
		seen[ref] = true
		if strings.Contains(ref, ":") || strings.HasPrefix(ref, "//") || strings.Contains(ref, "/") {
			t.Errorf("index.html references %q, not a file of the report directory", ref)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, ref)); err != nil {
			t.Errorf("index.html references missing %s", ref)
		}
	}
	for _, f := range []string{"results.csv", "summary.csv", "timings.csv", "heatmap_pca.png", "classes.png", "samples.png"} {
		if !seen[f] {
			t.Errorf("index.html does not reference %s", f)
		}
	}
	// Inline JS only (the cell table's sort and filters): no script
	// loaded from anywhere.
	for _, bad := range []string{"http:", "https:", "@import", "<script src", "<link"} {
		if strings.Contains(string(b), bad) {
			t.Errorf("index.html contains %q", bad)
		}
	}
}

// closingBest is the closing line naming the best cell of a labelled sweep.
var closingBest = regexp.MustCompile(`^best: (pca|svd)-\d+-\d+ silhouette -?\d\.\d{4}, accuracy \d\.\d{4} \(majority mapping; largest class \d\.\d{4}\)$`)

func TestSyntheticSweep(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	outs := map[string]string{}
	for _, w := range []string{"1", "4"} {
		out := filepath.Join(dir, "report-w"+w)
		stdout, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-workers", w, "-assignments")
		if code != 0 {
			t.Fatalf("workers %s: exit %d\n%s", w, code, stderr)
		}
		// The closing lines: the best cell with its accuracy, the report,
		// and the page to open.
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if len(lines) != 3 || !closingBest.MatchString(lines[0]) || !strings.HasPrefix(lines[1], "report: "+out+" (36 cells in ") ||
			lines[2] != "open "+filepath.Join(out, "index.html") {
			t.Errorf("stdout %q", stdout)
		}
		// 2 reducers x 2 components x 3 cluster counts x 3 folds.
		checkReport(t, out, []string{"pca", "svd"}, 36, 12)
		outs[w] = out
	}
	for _, name := range []string{"results.csv", "summary.csv", "summary.md", "assignments.csv"} {
		a, _ := os.ReadFile(filepath.Join(outs["1"], name))
		b, _ := os.ReadFile(filepath.Join(outs["4"], name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between -workers 1 and -workers 4", name)
		}
	}
	// Three classes, each bright in its own quadrant: k = 3 must score best.
	rows := readCSV(t, filepath.Join(outs["1"], "summary.csv"))
	k := slices.Index(rows[0], "clusters")
	for _, r := range rows[1:] {
		if r[len(r)-1] == "*" && r[k] != "3" {
			t.Errorf("best cell %v, want one with 3 clusters", r)
		}
	}
}

func TestDryRun(t *testing.T) {
	stdout, stderr, code := runCmd(t, "-config", filepath.Join("..", "..", "configs", "fer2013.yaml"), "-dry-run")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if !strings.HasPrefix(lines[0], "440 cells") || len(lines) != 441 || lines[1] != "pca-2-5/fold0" {
		t.Errorf("dry run printed %d lines, first %q, %q", len(lines), lines[0], lines[1])
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := writeConfig(t, dir, "name: x\ncolour: red\n")
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no config", nil, 2, "sweep: -config is required"},
		{"unknown flag", []string{"-colour"}, 2, "flag provided but not defined: -colour"},
		{"bad workers", []string{"-config", filepath.Join("..", "..", "configs", "quick.yaml"), "-workers", "-1"}, 2, "sweep: workers: -1 is below 0"},
		{"stray argument", []string{"-config", "x.yaml", "extra"}, 2, `sweep: unexpected argument "extra"`},
		{"bad config", []string{"-config", bad}, 1, `grid.yaml:2: colour: unknown field`},
		{"missing config", []string{"-config", filepath.Join(dir, "nope.yaml")}, 1, "no such file"},
		{"missing data", []string{"-config", filepath.Join("..", "..", "configs", "quick.yaml"), "-data", filepath.Join(dir, "fer.csv")}, 1, "Kaggle"},
		{"help", []string{"-h"}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.msg) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tc.msg)
			}
			if strings.Contains(stderr, "goroutine ") {
				t.Errorf("stack trace reached the user: %q", stderr)
			}
		})
	}
}

// ferPath returns FER2013_CSV, skipping the test when it is unset, and
// failing it when CI is set: CI must run the real-data tests.
func ferPath(t testing.TB) string {
	t.Helper()
	p := os.Getenv("FER2013_CSV")
	if p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but FER2013_CSV (%q) is not a readable file", p)
	}
	t.Skip("FER2013_CSV not set")
	return ""
}

// TestQuickFER2013 runs configs/quick.yaml on FER2013 end to end, at one
// and at four workers, and checks every report file.
func TestQuickFER2013(t *testing.T) {
	data := ferPath(t)
	dir := t.TempDir()
	cfg := filepath.Join("..", "..", "configs", "quick.yaml")
	var results [][]byte
	for _, w := range []string{"1", "4"} {
		out := filepath.Join(dir, "w"+w)
		_, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-workers", w)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		// 2 reducers x 2 components x 3 cluster counts x 3 folds.
		checkReport(t, out, []string{"pca", "svd"}, 36, 12)
		checkHeadline(t, out)
		b, err := os.ReadFile(filepath.Join(out, "results.csv"))
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, b)
	}
	if !bytes.Equal(results[0], results[1]) {
		t.Error("results.csv differs between -workers 1 and -workers 4")
	}
}

// cancelOn is a writer that cancels a context once the text written to it
// contains marker.
type cancelOn struct {
	bytes.Buffer
	marker string
	cancel context.CancelFunc
}

func (w *cancelOn) Write(p []byte) (int, error) {
	n, err := w.Buffer.Write(p)
	if strings.Contains(w.String(), w.marker) {
		w.cancel()
	}
	return n, err
}

func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	out := filepath.Join(dir, "report")
	for _, tt := range []struct {
		name, marker, want string
	}{
		// As if Ctrl-C came before the first cell finished: the line
		// "36 cells on N workers" comes after the store is open.
		{"cells", "cells on", "sweep: interrupted: 0 of 36 cells are stored in " + filepath.Join(out, "cells.jsonl") + "; run the same command again to resume\n"},
		// As if Ctrl-C came while the data was read.
		{"load", "", "sweep: interrupted: while reading " + data + "; nothing was stored\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var o bytes.Buffer
			e := &cancelOn{marker: tt.marker, cancel: cancel}
			if tt.marker == "" {
				cancel()
			}
			code := exitCode(run(ctx, []string{"-config", cfg, "-data", data, "-out", out, "-fresh"}, &o, e), e)
			if code != 130 || !strings.HasSuffix(e.String(), tt.want) {
				t.Fatalf("exit %d, stderr %q; want 130, %q", code, e.String(), tt.want)
			}
			if _, err := os.Stat(filepath.Join(out, "results.csv")); !os.IsNotExist(err) {
				t.Errorf("results.csv exists after an interrupted run: %v", err)
			}
		})
	}
}

func TestInspectCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "bad.csv")
	text := "emotion,pixels,Usage\n0,1 2 3 4,Training\n1,1 2 3,Training\n0,1 2 3 4,PublicTest\n2,9 8 7 6,PrivateTest\n"
	if err := os.WriteFile(data, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	stdout, stderr, code := runCmd(t, "inspect", "-data", data, "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"3 images of 2x2 pixels",
		"exact duplicates (pixels repeat an earlier row): 1",
		"rows rejected: 1",
		"line 3: pixels: 3 values, want 4 (as line 2)",
		"|     0 | Angry |        1 |          1 |           0 |     2 |",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"data.md", "classes.png", "samples.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
}
