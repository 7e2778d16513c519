package compare

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sweep/report/plot"
	"testing"
)

// writeRun writes a report directory holding summary (and results, when
// not empty) as summary.csv and results.csv.
func writeRun(t testing.TB, summary, results string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "summary.csv"), []byte(summary), 0o644); err != nil {
		t.Fatal(err)
	}
	if results != "" {
		if err := os.WriteFile(filepath.Join(dir, "results.csv"), []byte(results), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readRun(t testing.TB, dir string) *Run {
	t.Helper()
	r, err := ReadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const (
	summaryHeader = "reducer,components,clusters,folds,silhouette_mean,silhouette_sd,iterations_mean,best\n"
	summaryA      = summaryHeader +
		"pca,2,5,3,0.5,0.1,10,*\n" +
		"pca,2,6,3,0.4,0.1,12,\n" +
		"svd,2,5,1,0.3,,8,\n"
	// B has best as a boolean, A as the "*" of older reports: both read.
	summaryB = summaryHeader +
		"pca,2,5,3,0.8,0.1,10,true\n" +
		"pca,2,6,3,0.45,0.3,12,false\n" +
		"svd,2,6,1,0.2,,9,false\n"
)

// The deltas, standard errors and flags of summaryA -> summaryB, by hand:
//
//	pca-2-5: delta 0.8 - 0.5 = 0.3, SE sqrt(0.1²/3 + 0.1²/3) = sqrt(0.02/3) = 0.0816497, flagged (0.3 > 0.163)
//	pca-2-6: delta 0.45 - 0.4 = 0.05, SE sqrt(0.1²/3 + 0.3²/3) = sqrt(0.1/3) = 0.1825742, not flagged
//	svd-2-5 only in A, svd-2-6 only in B.
func TestCompareSummary(t *testing.T) {
	a, b := readRun(t, writeRun(t, summaryA, "")), readRun(t, writeRun(t, summaryB, ""))
	c := Compare(a, b, []string{"silhouette", "iterations"}, 0)
	if c.PerFold {
		t.Error("PerFold without results.csv")
	}
	const tol = 1e-12 // the hand values above are exact to about 1e-16
	for _, tc := range []struct {
		cell       string
		delta, se  float64
		flag       bool
		inA, inB   bool
		bestA      bool
		iterations float64 // delta of iterations_mean
	}{
		{"pca-2-5", 0.3, math.Sqrt(0.02 / 3), true, true, true, true, 0},
		{"pca-2-6", 0.05, math.Sqrt(0.1 / 3), false, true, true, false, 0},
		{"svd-2-5", math.NaN(), math.NaN(), false, true, false, false, math.NaN()},
		{"svd-2-6", math.NaN(), math.NaN(), false, false, true, false, math.NaN()},
	} {
		t.Run(tc.cell, func(t *testing.T) {
			var d *CellDelta
			for i := range c.Cells {
				if c.Cells[i].Name() == tc.cell {
					d = &c.Cells[i]
				}
			}
			if d == nil {
				t.Fatal("missing")
			}
			m := d.Metrics[0]
			if !within(m.Delta, tc.delta, tol) || !within(m.SE, tc.se, tol) || m.Flag != tc.flag {
				t.Errorf("delta %v, SE %v, flag %v; want %v, %v, %v", m.Delta, m.SE, m.Flag, tc.delta, tc.se, tc.flag)
			}
			// pca-2-5 is best in both: "*" in A, true in B.
			if d.InA != tc.inA || d.InB != tc.inB || d.BestA != tc.bestA || d.BestB != tc.bestA {
				t.Errorf("in A %v, in B %v, best in A %v, in B %v", d.InA, d.InB, d.BestA, d.BestB)
			}
			// iterations has no sd: never a standard error.
			if it := d.Metrics[1]; !within(it.Delta, tc.iterations, tol) || !math.IsNaN(it.SE) || it.Flag {
				t.Errorf("iterations %+v", it)
			}
		})
	}
	if got := fmt.Sprint(c.OnlyA(), c.OnlyB()); got != "[svd-2-5] [svd-2-6]" {
		t.Errorf("only in A, B: %s", got)
	}
	if c.Flagged() != 1 {
		t.Errorf("flagged %d, want 1", c.Flagged())
	}

	// The gate: pca-2-5 mean by 0.3, pca-2-6 mean by 0.05 and sd by 0.2.
	for _, tc := range []struct {
		tol   float64
		diffs []string
	}{
		{0, []string{"pca-2-5 silhouette_mean", "pca-2-6 silhouette_mean", "pca-2-6 silhouette_sd"}},
		{0.1, []string{"pca-2-5 silhouette_mean", "pca-2-6 silhouette_sd"}},
		{0.25, []string{"pca-2-5 silhouette_mean"}},
		{0.3 + 1e-9, nil},
	} {
		t.Run(fmt.Sprint("tol ", tc.tol), func(t *testing.T) {
			c := Compare(a, b, []string{"silhouette", "iterations"}, tc.tol)
			var got []string
			for _, d := range c.Diffs {
				got = append(got, d.Where+" "+d.Column)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.diffs) {
				t.Errorf("diffs %v, want %v", got, tc.diffs)
			}
			// The cells in one run only always fail.
			err := c.Err()
			if err == nil || !strings.Contains(err.Error(), "1 cell only in "+a.Dir+": svd-2-5; 1 cell only in "+b.Dir+": svd-2-6") {
				t.Errorf("Err() = %v", err)
			}
		})
	}
}

func within(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol
}

func TestCompareSelfIsEmpty(t *testing.T) {
	run := readRun(t, writeRun(t, summaryA, resultsA))
	c := Compare(run, run, nil, 0)
	if err := c.Err(); err != nil || len(c.Diffs) != 0 || c.Flagged() != 0 || !c.PerFold {
		t.Fatalf("Err %v, diffs %v, flagged %d, per fold %v", err, c.Diffs, c.Flagged(), c.PerFold)
	}
	if len(c.Metrics) != len(CompareMetrics()) || len(c.Cells) != 3 {
		t.Errorf("%d metrics, %d cells", len(c.Metrics), len(c.Cells))
	}
	for _, d := range c.Cells {
		for j, m := range d.Metrics {
			if !same(m.A.Mean, m.B.Mean) || !(m.Delta == 0 || math.IsNaN(m.Delta)) {
				t.Errorf("%s %s: %+v", d.Name(), c.Metrics[j], m)
			}
		}
	}
	var text bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "agree: same cells") {
		t.Errorf("text:\n%s", text.String())
	}
	dir := filepath.Join(t.TempDir(), "cmp")
	if err := c.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "delta.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "The runs agree") || strings.Contains(string(md), "| cell") {
		t.Errorf("delta.md:\n%s", md)
	}
	// Every delta 0: the diverging scale cannot be [0, 0], yet the
	// heatmap is drawn.
	checkPNG(t, filepath.Join(dir, "delta_pca.png"), plot.DefaultWidth, plot.DefaultHeight)
}

func checkPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s: %dx%d, want %dx%d", path, b.Dx(), b.Dy(), w, h)
	}
}

const (
	resultsHeader = "reducer,components,clusters,fold,silhouette,iterations,note\n"
	resultsA      = resultsHeader +
		"pca,2,5,0,0.4,10,\n" +
		"pca,2,5,1,0.5,10,\n" +
		"pca,2,5,2,0.6,10,\n" +
		"pca,2,6,0,0.3,12,\n" +
		"pca,2,6,1,0.4,12,\n" +
		"pca,2,6,2,0.5,12,\n" +
		"svd,2,5,0,0.3,8,\n"
)

// TestComparePerFold changes one fold's silhouette, drops another fold's
// value and adds a fold; the summary is unchanged.
func TestComparePerFold(t *testing.T) {
	resultsB := strings.NewReplacer("pca,2,5,2,0.6,", "pca,2,5,2,0.7,", "pca,2,6,2,0.5,", "pca,2,6,2,,").Replace(resultsA) +
		"pca,2,6,3,0.5,12,\n"
	a := readRun(t, writeRun(t, summaryA, resultsA))
	b := readRun(t, writeRun(t, summaryA, resultsB))
	c := Compare(a, b, []string{"silhouette"}, 0)
	var got []string
	for _, d := range c.Diffs {
		got = append(got, d.String())
	}
	want := []string{
		"pca-2-5/fold2 silhouette: 0.6 -> 0.7 (by 0.1)",
		"pca-2-6/fold2 silhouette: 0.5 -> (undefined) (by +Inf)",
		"pca-2-6/fold3: missing in A, present in B",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("diffs\n%q\nwant\n%q", got, want)
	}
	// n in the standard error counts the folds with a value in results.csv:
	// pca-2-6 has 3 in A, 3 in B (fold 2 undefined, fold 3 added); svd-2-5
	// has one fold in both.
	for _, d := range c.Cells {
		m := d.Metrics[0]
		wantN := map[string][2]int{"pca-2-5": {3, 3}, "pca-2-6": {3, 3}, "svd-2-5": {1, 1}}[d.Name()]
		if m.A.N != wantN[0] || m.B.N != wantN[1] {
			t.Errorf("%s: n %d, %d; want %v", d.Name(), m.A.N, m.B.N, wantN)
		}
	}
	// Without results.csv in one run, n falls back to the folds column.
	c = Compare(a, readRun(t, writeRun(t, summaryA, "")), []string{"silhouette"}, 0)
	if c.PerFold || len(c.Diffs) != 0 || c.Cells[0].Metrics[0].A.N != 3 {
		t.Errorf("per fold %v, diffs %v, n %d", c.PerFold, c.Diffs, c.Cells[0].Metrics[0].A.N)
	}
}

func TestCompareErrMessage(t *testing.T) {
	var rows strings.Builder
	rows.WriteString(summaryHeader)
	for k := 2; k <= 9; k++ {
		fmt.Fprintf(&rows, "pca,2,%d,3,0.%d,0.1,10,\n", k, k)
	}
	a := readRun(t, writeRun(t, rows.String(), ""))
	b := readRun(t, writeRun(t, strings.ReplaceAll(rows.String(), ",0.1,10,", ",0.2,10,"), ""))
	err := Compare(a, b, []string{"silhouette"}, 0).Err()
	// 8 sds differ by 0.1; the first 5 are named and the rest counted.
	want := "8 values differ by more than 0: pca-2-2 silhouette_sd: 0.1 -> 0.2 (by 0.1); pca-2-3 silhouette_sd"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), "pca-2-6 silhouette_sd: 0.1 -> 0.2 (by 0.1); and 3 more") {
		t.Errorf("Err() = %v", err)
	}
}

func TestCompareWriteFiles(t *testing.T) {
	a, b := readRun(t, writeRun(t, summaryA, "")), readRun(t, writeRun(t, summaryB, ""))
	c := Compare(a, b, nil, 0)
	dir := filepath.Join(t.TempDir(), "cmp")
	if err := c.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		w, h int
	}{
		{"delta_pca.png", plot.DefaultWidth, plot.DefaultHeight}, // no delta_svd.png: TestCompareNoDeltaWithoutCommonCells
		{"heatmaps_pca.png", 2 * plot.DefaultWidth, plot.DefaultHeight},
		{"heatmaps_svd.png", 2 * plot.DefaultWidth, plot.DefaultHeight},
	} {
		checkPNG(t, filepath.Join(dir, tc.name), tc.w, tc.h)
	}
	b2, err := os.ReadFile(filepath.Join(dir, "delta.csv"))
	if err != nil {
		t.Fatal(err)
	}
	csv := string(b2)
	for _, want := range []string{
		"reducer,components,clusters,in,metric,a_mean,a_sd,a_n,b_mean,b_sd,b_n,delta,se,flag\n",
		// 0.8 - 0.5 and sqrt(0.02/3) in float64, shortest form.
		"pca,2,5,both,silhouette,0.5,0.1,3,0.8,0.1,3,0.30000000000000004,0.08164965809277261,*\n",
		"svd,2,5,a,silhouette,0.3,,1,,,,,,\n",
		"svd,2,6,b,silhouette,,,,0.2,,1,,,\n",
	} {
		if !strings.Contains(csv, want) {
			t.Errorf("delta.csv does not contain %q:\n%s", want, csv)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "delta.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**The runs differ**", "- only in A: svd-2-5", "- only in B: svd-2-6",
		"| pca-2-5 | 0.5 ± 0.1 | 0.8 ± 0.1  |  +0.3 |  0.1633 | *    |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("delta.md does not contain %q:\n%s", want, md)
		}
	}
	var text bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cells: 2 in both, 1 only in A, 1 only in B", "only in A: svd-2-5", "only in B: svd-2-6",
		"per-fold values (results.csv): not compared"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text does not contain %q:\n%s", want, text.String())
		}
	}
}

func TestCompareSingleFold(t *testing.T) {
	s := summaryHeader + "pca,2,5,1,0.5,,10,*\n"
	a := readRun(t, writeRun(t, s, ""))
	b := readRun(t, writeRun(t, strings.Replace(s, "0.5", "0.9", 1), ""))
	c := Compare(a, b, []string{"silhouette"}, 0)
	if m := c.Cells[0].Metrics[0]; !math.IsNaN(m.SE) || m.Flag {
		t.Errorf("one fold: %+v", m)
	}
	var text bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "n/a (1 fold)") || !strings.Contains(text.String(), "folds = 1: ") {
		t.Errorf("text:\n%s", text.String())
	}
}

func TestReadRunErrors(t *testing.T) {
	for _, tc := range []struct {
		name, summary, results, want string
	}{
		{"empty", "", "", "summary.csv: empty file"},
		{"no reducer", "components,clusters\n2,5\n", "", `line 1: no column "reducer"`},
		{"repeated column", "reducer,components,clusters,clusters\n", "", `line 1: column "clusters" repeats`},
		{"bad count", summaryHeader + "pca,two,5,3,0.5,0.1,10,\n", "", `line 2: components: "two" is not a count`},
		{"negative count", summaryHeader + "pca,2,-5,3,0.5,0.1,10,\n", "", `line 2: clusters: "-5" is not a count`},
		{"empty reducer", summaryHeader + ",2,5,3,0.5,0.1,10,\n", "", "line 2: empty reducer"},
		{"bad number", summaryHeader + "pca,2,5,3,high,0.1,10,\n", "", `line 2: silhouette_mean: "high" is not a number`},
		{"repeated cell", summaryA + "pca,2,6,3,0.4,0.1,12,\n", "", "line 5: pca-2-6 repeats line 3"},
		{"short row", summaryHeader + "pca,2,5\n", "", "wrong number of fields"},
		{"results without fold", summaryA, "reducer,components,clusters,silhouette\npca,2,5,0.4\n", `results.csv: line 1: no column "fold"`},
		{"results bad value", summaryA, resultsHeader + "pca,2,5,0,0.4x,10,\n", `results.csv: line 2: silhouette: "0.4x" is not a number`},
		{"results repeated fold", summaryA, resultsA + "pca,2,5,1,0.5,10,\n", "line 9: pca-2-5/fold1 repeats line 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeRun(t, tc.summary, tc.results)
			_, err := ReadRun(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "read "+dir) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := ReadRun(filepath.Join(t.TempDir(), "nope")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing directory: %v", err)
	}
}

func TestComparePanics(t *testing.T) {
	run := &Run{}
	for _, tc := range []struct {
		name    string
		metrics []string
		tol     float64
		want    string
	}{
		{"unknown metric", []string{"colour"}, 0, `compare: unknown metric "colour"`},
		{"repeated metric", []string{"ari", "ari"}, 0, `compare: metric "ari" repeats`},
		{"negative tol", nil, -1, "compare: tolerance -1 is not >= 0"},
		{"NaN tol", nil, math.NaN(), "compare: tolerance NaN is not >= 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); fmt.Sprint(r) != tc.want {
					t.Errorf("panic %v, want %q", r, tc.want)
				}
			}()
			Compare(run, run, tc.metrics, tc.tol)
		})
	}
}

func FuzzParseTable(f *testing.F) {
	f.Add(summaryA, false)
	f.Add(resultsA, true)
	f.Add("reducer,components,clusters\n\"a\nb\",1,2\n", false)
	f.Add(summaryHeader+"pca,2,5,3,NaN,Inf,-0,\n", false)
	f.Fuzz(func(t *testing.T, text string, perFold bool) {
		rows, err := parseTable(strings.NewReader(text), perFold)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for i := range rows {
			r := &rows[i]
			if seen[r.Key()] {
				t.Fatalf("key %s twice", r.Key())
			}
			seen[r.Key()] = true
			for _, m := range metricTable() {
				for _, c := range []string{m.mean, m.sd, m.fold} {
					if perFold == (c == m.fold) {
						r.value(c) // parseTable checked the numbers: no panic.
					}
				}
			}
		}
		run := &Run{Dir: "x", Summary: rows}
		if perFold {
			run = &Run{Dir: "x", Folds: rows}
		}
		if c := Compare(run, run, nil, 0); c.Err() != nil {
			t.Fatalf("a run differs from itself: %v", c.Err())
		}
	})
}

func benchCompare(b *testing.B, cells, folds int) {
	var sum, res strings.Builder
	sum.WriteString("reducer,components,clusters,folds,silhouette_mean,silhouette_sd,inertia_mean,inertia_sd,ari_mean,ari_sd,best\n")
	res.WriteString("reducer,components,clusters,fold,silhouette,inertia,ari,note\n")
	for i := range cells {
		red, m, k := []string{"pca", "svd"}[i%2], 2+i/2%4, 5+i/8
		fmt.Fprintf(&sum, "%s,%d,%d,%d,0.%d,0.01,%d,1,0.1,0.01,\n", red, m, k, folds, i, 1000+i)
		for f := range folds {
			fmt.Fprintf(&res, "%s,%d,%d,%d,0.%d,%d,0.1,\n", red, m, k, f, i+f, 1000+i)
		}
	}
	a := readRun(b, writeRun(b, sum.String(), res.String()))
	c := readRun(b, writeRun(b, strings.ReplaceAll(sum.String(), ",0.01,", ",0.02,"), res.String()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Compare(a, c, nil, 0)
	}
}

// The FER2013 grid: 2 reducers x 4 component counts x 11 cluster counts.
func BenchmarkCompare88x5(b *testing.B) { benchCompare(b, 88, 5) }

// TestCompareNoiseFloor: by default (CompareNoise) differences within
// floating-point noise, relative 1e-9, are counted apart from real ones;
// with tolerance 0 and no noise floor every difference counts (issue 17
// item 6). 0.5 -> 0.5000000000124 is 2.49e-11 relative; 0.4 -> 0.45 real.
func TestCompareNoiseFloor(t *testing.T) {
	a := readRun(t, writeRun(t, summaryHeader+"pca,2,5,3,0.5,0.1,10,true\npca,2,6,3,0.4,0.1,12,false\n", ""))
	b := readRun(t, writeRun(t, summaryHeader+"pca,2,5,3,0.5000000000124,0.1,10,true\npca,2,6,3,0.45,0.1,12,false\n", ""))
	c := CompareNoise(a, b, []string{"silhouette"}, 0, NoiseFloor)
	if len(c.Diffs) != 1 || c.Diffs[0].Where != "pca-2-6" || c.Noise != 1 {
		t.Errorf("noise floor: diffs %v, noise %d; want pca-2-6 only and 1 within noise", c.Diffs, c.Noise)
	}
	exact := Compare(a, b, []string{"silhouette"}, 0)
	if len(exact.Diffs) != 2 || exact.Noise != 0 {
		t.Errorf("tol 0: diffs %v, noise %d; want 2 and 0", exact.Diffs, exact.Noise)
	}
	var out strings.Builder
	if err := c.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if want := "best: pca-2-5 in A (silhouette 0.5000), pca-2-5 in B (silhouette 0.5000): the same cell"; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	if !strings.Contains(out.String(), "1 value differs only by floating-point noise (relative 1e-09), not counted") {
		t.Errorf("no noise line in:\n%s", out.String())
	}
}

// TestCompareNoDeltaWithoutCommonCells: a reducer with no cell in both
// runs gets no delta picture (it would be all hatched).
func TestCompareNoDeltaWithoutCommonCells(t *testing.T) {
	a, b := readRun(t, writeRun(t, summaryA, "")), readRun(t, writeRun(t, summaryB, ""))
	dir := filepath.Join(t.TempDir(), "cmp")
	if err := Compare(a, b, nil, 0).WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "delta_svd.png")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("delta_svd.png: %v, want none: svd has no cell in both runs", err)
	}
	checkPNG(t, filepath.Join(dir, "delta_pca.png"), plot.DefaultWidth, plot.DefaultHeight)
}

// Runs for the delta pictures' noise floor (issue 17 item 6). noiseA and
// noiseB differ in silhouette only by noise: 0.5 -> 0.5000000000124 is
// 2.5e-11 relative, 1000 -> 1000.0000004 is 4e-10 relative (|delta| 4e-7);
// pca-3-5 is in A only, so its cell is hatched. realB changes pca-2-6 by
// 1e-8, 2.5e-8 relative: a real difference, smaller than the noise of
// pca-2-5.
const (
	noiseA = summaryHeader +
		"pca,2,5,3,1000,0.1,10,true\n" +
		"pca,2,6,3,0.4,0.1,12,false\n" +
		"pca,3,5,3,0.5,0.1,12,false\n"
	noiseB = summaryHeader +
		"pca,2,5,3,1000.0000004,0.1,10,true\n" +
		"pca,2,6,3,0.4000000000001,0.1,12,false\n"
	realB = summaryHeader +
		"pca,2,5,3,1000.0000004,0.1,10,true\n" +
		"pca,2,6,3,0.40000001,0.1,12,false\n"
)

// TestDeltaScale: the delta pictures' colour scale reaches the largest
// |delta| beyond the noise floor, not the largest |delta|; 0 when every
// difference is noise. Expected values by hand from the runs above.
func TestDeltaScale(t *testing.T) {
	a := readRun(t, writeRun(t, noiseA, ""))
	for _, tc := range []struct {
		name    string
		b       string
		rel     float64
		want    float64
		pixRel  float64 // the pictures' floor
		gateRel float64
	}{
		{"noise only", noiseB, NoiseFloor, 0, NoiseFloor, NoiseFloor},
		{"real beside larger noise", realB, NoiseFloor, 0.40000001 - 0.4, NoiseFloor, NoiseFloor},
		// Without a floor every delta is real: the noise of pca-2-5 leads.
		{"no floor", realB, 0, 1000.0000004 - 1000, NoiseFloor, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := CompareNoise(a, readRun(t, writeRun(t, tc.b, "")), []string{"silhouette"}, 0, tc.gateRel)
			// 1e-6 relative: the deltas are differences of parsed decimals.
			if got := c.deltaScale(tc.rel); !within(got, tc.want, 1e-6*tc.want) {
				t.Errorf("deltaScale(%g) = %g, want %g", tc.rel, got, tc.want)
			}
			if got := c.pictureRel(); got != tc.pixRel {
				t.Errorf("pictureRel() = %g, want %g", got, tc.pixRel)
			}
		})
	}
	if got := relText(NoiseFloor); got != "1e-9" {
		t.Errorf("relText(NoiseFloor) = %q, want 1e-9", got)
	}
	var k missingKinds
	for _, d := range []*CellDelta{{InA: true}, nil, {InA: true, InB: true, Metrics: []MetricDelta{{Delta: math.NaN()}}}} {
		k.add(d)
	}
	if got, want := k.label(), "in one run only, or undefined in A or B, or in neither run"; got != want {
		t.Errorf("missing label %q, want %q", got, want)
	}
}

// TestDeltaPictureNoise draws delta_pca.png of noiseA against noiseB,
// once with the default floor and once as the exact gate (-tol 0): no
// pixel is a saturated red or blue, though 0.5 -> 0.5000000000124 used to
// fill the scale; against realB the real difference is saturated. The
// cell in A only gets the hatched legend swatch in the bottom strip.
func TestDeltaPictureNoise(t *testing.T) {
	a := readRun(t, writeRun(t, noiseA, ""))
	saturated := func(c color.Color) bool {
		r, _, b, _ := c.RGBA()
		r, b = r>>8, b>>8
		return r > b+100 || b > r+100 // SmoothBlueRed's ends (180,4,38), (59,76,192)
	}
	for _, tc := range []struct {
		name      string
		b         string
		rel       float64
		saturated bool
	}{
		{"noise", noiseB, NoiseFloor, false},
		{"noise, exact gate", noiseB, 0, false},
		{"real", realB, NoiseFloor, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cmp")
			if err := CompareNoise(a, readRun(t, writeRun(t, tc.b, "")), []string{"silhouette"}, 0, tc.rel).WriteFiles(dir); err != nil {
				t.Fatal(err)
			}
			img := decodePNG(t, filepath.Join(dir, "delta_pca.png"))
			b := img.Bounds()
			// The cells: left of the colour bar (its strip is under 250 px).
			cells := image.Rect(0, 0, b.Dx()-250, b.Dy())
			n, hatch := 0, 0
			for y := cells.Min.Y; y < cells.Max.Y; y++ {
				for x := cells.Min.X; x < cells.Max.X; x++ {
					if saturated(img.At(x, y)) {
						n++
					}
				}
			}
			if tc.saturated != (n > 0) {
				t.Errorf("%d saturated pixels among the cells, want some: %v", n, tc.saturated)
			}
			// pca-2-5 is noise in every case: its cell, top left, spans
			// about x 45-400 and y 25-245 (with or without a colour bar),
			// its text at its centre; (150, 80) is inside, off the text.
			if r, g, bl, _ := img.At(150, 80).RGBA(); r>>8 != 0xff || g>>8 != 0xff || bl>>8 != 0xff {
				t.Errorf("noise cell pca-2-5 at (150, 80) is %v, want white", img.At(150, 80))
			}
			for y := b.Dy() - 30; y < b.Dy(); y++ { // the legend strip
				for x := range b.Dx() {
					if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 == 0xe8 && g>>8 == 0xe8 && bl>>8 == 0xe8 {
						hatch++
					}
				}
			}
			// The hatched swatch, 40 x 18 px, is mostly fill: over 300.
			if hatch < 300 {
				t.Errorf("legend strip has %d pixels of the hatch fill, want a hatched swatch", hatch)
			}
		})
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
