package main

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sweep/report/compare"
)

// compareRuns are synthetic report directories for the compare tests.
type compareRuns struct {
	base  string // seed 3, the synthetic grid
	seed  string // seed 4: other folds and restarts
	fewer string // seed 3 without the cells of 4 clusters
}

// syntheticRuns runs the synthetic grid three times: as is, with another
// seed, and without the cells of 4 clusters.
func syntheticRuns(t *testing.T) compareRuns {
	t.Helper()
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	grids := map[string]string{
		"base":  syntheticGrid,
		"seed":  strings.Replace(syntheticGrid, "seed: 3", "seed: 4", 1),
		"fewer": strings.Replace(syntheticGrid, "clusters: {from: 2, to: 4}", "clusters: [2, 3]", 1),
	}
	for _, name := range []string{"base", "seed", "fewer"} {
		cfg := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(cfg, []byte(grids[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := runCmd(t, "-q", "-config", cfg, "-data", data, "-out", filepath.Join(dir, name)); code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, code, stderr)
		}
	}
	return compareRuns{filepath.Join(dir, "base"), filepath.Join(dir, "seed"), filepath.Join(dir, "fewer")}
}

// TestCompare runs sweep compare on synthetic reports.
func TestCompare(t *testing.T) {
	runs := syntheticRuns(t)
	t.Run("self", func(t *testing.T) { testCompareSelf(t, runs) })
	t.Run("seed", func(t *testing.T) { testCompareSeed(t, runs) })
	t.Run("missing cell", func(t *testing.T) { testCompareMissingCell(t, runs) })
	t.Run("heatmaps", func(t *testing.T) { testCompareHeatmaps(t, runs) })
	t.Run("usage", func(t *testing.T) { testCompareUsage(t, runs) })
	t.Run("tolerance", func(t *testing.T) { testCompareTolerance(t, runs) })
}

// deltas reads delta.csv and returns its delta column by "cell metric".
func deltas(t *testing.T, dir string) map[string]string {
	t.Helper()
	rows := readCSV(t, filepath.Join(dir, "delta.csv"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[col["reducer"]]+"-"+r[col["components"]]+"-"+r[col["clusters"]]+" "+r[col["metric"]]] = r[col["delta"]] + "|" + r[col["flag"]]
	}
	return out
}

func testCompareSelf(t *testing.T, runs compareRuns) {
	out := filepath.Join(t.TempDir(), "cmp")
	stdout, stderr, code := runCmd(t, "compare", "-out", out, runs.base, runs.base)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "agree: same cells, no value differs by more than tolerance 0") ||
		!strings.Contains(stdout, "cells: 12 in both, 0 only in A, 0 only in B") {
		t.Errorf("stdout:\n%s", stdout)
	}
	d := deltas(t, out)
	// 12 cells x every metric of the schema (compare.CompareMetrics: 10
	// scores and folds before AMI, 12 with it, 21 with the choose-k scores
	// of issue 16, 26 with the gmm scores of issue 15).
	if want := 12 * len(compare.CompareMetrics()); len(d) != want || want != 12*26 {
		t.Errorf("delta.csv has %d rows, want %d", len(d), want)
	}
	for k, v := range d {
		// A delta is "0" or undefined (""), never flagged.
		if v != "0|" && v != "|" {
			t.Errorf("%s: delta|flag %q, want 0 and no flag", k, v)
		}
	}
	md, err := os.ReadFile(filepath.Join(out, "delta.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "The runs agree") || strings.Contains(string(md), "| cell") {
		t.Errorf("delta.md lists differences:\n%s", md)
	}
}

func testCompareSeed(t *testing.T, runs compareRuns) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"tol 0", []string{"-tol", "0"}, 1},
		{"default tol", nil, 1},
		{"silhouette at tol 0", []string{"-metric", "silhouette", "-tol", "0"}, 1},
		// A silhouette lies in [-1, 1] (Rousseeuw 1987), so means and sds
		// differ by at most 2.
		{"silhouette at tol 2", []string{"-metric", "silhouette", "-tol", "2"}, 0},
		// The synthetic cells always have all their clusters.
		{"nonempty at tol 0", []string{"-metric", "nonempty,folds"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "cmp")
			args := append(append([]string{"compare", "-out", out}, tc.args...), runs.base, runs.seed)
			stdout, stderr, code := runCmd(t, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			if tc.code == 0 {
				return
			}
			// The summary names the cell, the column and by how much, the
			// first few, and counts the rest, once: the error only says
			// that the runs differ (issue 17 item 6).
			for _, w := range []string{"differ: ", "  pca-2-2 silhouette_mean: ", "(by ", "more (delta.md lists them)"} {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout does not contain %q:\n%s", w, stdout)
				}
			}
			if want := "sweep: compare: " + runs.base + " and " + runs.seed + " differ (listed above)\n"; stderr != want {
				t.Errorf("stderr %q, want %q", stderr, want)
			}
			nonzero := 0
			for k, v := range deltas(t, out) {
				if !strings.HasSuffix(k, " silhouette") {
					continue
				}
				d, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(v, "*"), "|"), 64)
				if err != nil {
					t.Fatalf("%s: %q", k, v)
				}
				if d != 0 {
					nonzero++
				}
			}
			if nonzero == 0 {
				t.Error("another seed changed no mean silhouette")
			}
		})
	}
}

func testCompareMissingCell(t *testing.T, runs compareRuns) {
	for _, tc := range []struct {
		name   string
		a, b   string
		stdout string
		stderr string
	}{
		{"only in A", runs.base, runs.fewer, "only in A: pca-2-4, pca-3-4, svd-2-4, svd-3-4",
			"sweep: compare: " + runs.base + " and " + runs.fewer + " differ (listed above)\n"},
		{"only in B", runs.fewer, runs.base, "only in B: pca-2-4, pca-3-4, svd-2-4, svd-3-4",
			"sweep: compare: " + runs.fewer + " and " + runs.base + " differ (listed above)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "cmp")
			// Flags after the directories work too.
			stdout, stderr, code := runCmd(t, "compare", tc.a, tc.b, "-out", out, "-tol", "0.5")
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, tc.stdout) || !strings.Contains(stdout, "cells: 8 in both") {
				t.Errorf("stdout:\n%s", stdout)
			}
			if stderr != tc.stderr {
				t.Errorf("stderr %q, want %q", stderr, tc.stderr)
			}
			md, err := os.ReadFile(filepath.Join(out, "delta.md"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(md), "## Cells in one run only") || !strings.Contains(string(md), "pca-2-4") {
				t.Errorf("delta.md:\n%s", md)
			}
		})
	}
}

func testCompareHeatmaps(t *testing.T, runs compareRuns) {
	out := filepath.Join(t.TempDir(), "cmp")
	if stdout, stderr, code := runCmd(t, "compare", "-out", out, runs.base, runs.seed); code != 1 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, tc := range []struct {
		name string
		w, h int
	}{
		// 960 x 540 is the report package's default heatmap size; the
		// side-by-side picture holds two of them.
		{"delta_pca.png", 960, 540},
		{"delta_svd.png", 960, 540},
		{"heatmaps_pca.png", 2 * 960, 540},
		{"heatmaps_svd.png", 2 * 960, 540},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join(out, tc.name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
				t.Errorf("%dx%d, want %dx%d", b.Dx(), b.Dy(), tc.w, tc.h)
			}
		})
	}
}

func testCompareUsage(t *testing.T, runs compareRuns) {
	missing := filepath.Join(t.TempDir(), "nope")
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no directories", nil, 2, "compare needs two report directories, got 0"},
		{"one directory", []string{runs.base}, 2, "got 1"},
		{"three directories", []string{runs.base, runs.base, runs.base}, 2, "got 3"},
		{"negative tol", []string{"-tol", "-1", runs.base, runs.base}, 2, "-tol -1: want a number >= 0"},
		{"NaN tol", []string{"-tol", "NaN", runs.base, runs.base}, 2, "-tol NaN"},
		{"unknown metric", []string{"-metric", "silhouette,colour", runs.base, runs.base}, 2, `unknown metric "colour"`},
		{"unknown flag", []string{"-colour", runs.base, runs.base}, 2, "flag provided but not defined: -colour"},
		{"missing directory", []string{"-out", filepath.Join(t.TempDir(), "cmp"), runs.base, missing}, 1,
			"read " + filepath.Join(missing, "summary.csv")},
		{"help", []string{"-h"}, 0, ""}, // the usage goes to stdout: TestHelp
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, append([]string{"compare"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.msg) || (tc.msg == "" && stderr != "") {
				t.Errorf("exit %d, want %d; stderr %q, want it to contain %q", code, tc.code, stderr, tc.msg)
			}
		})
	}
}

// testCompareTolerance checks the gate against the largest difference
// sweep compare reports: a tolerance just above it passes, just below it
// fails.
func testCompareTolerance(t *testing.T, runs compareRuns) {
	// The largest difference of a compared silhouette value: the summary's
	// mean and sd, and each fold's value.
	largest := 0.0
	for _, tc := range []struct {
		file string
		key  int // leading columns naming the row
		cols []string
	}{
		{"summary.csv", 3, []string{"silhouette_mean", "silhouette_sd"}},
		{"results.csv", 4, []string{"silhouette"}},
	} {
		a := readCSV(t, filepath.Join(runs.base, tc.file))
		b := readCSV(t, filepath.Join(runs.seed, tc.file))
		bRows := map[string][]string{}
		for _, r := range b[1:] {
			bRows[strings.Join(r[:tc.key], ",")] = r
		}
		for _, col := range tc.cols {
			j := slices.Index(a[0], col)
			if j < 0 || b[0][j] != col {
				t.Fatalf("%s: column %s", tc.file, col)
			}
			for _, ra := range a[1:] {
				rb := bRows[strings.Join(ra[:tc.key], ",")]
				x, errA := strconv.ParseFloat(ra[j], 64)
				y, errB := strconv.ParseFloat(rb[j], 64)
				if errA != nil || errB != nil {
					t.Fatalf("%s %v: %q, %q", tc.file, ra[:tc.key], ra[j], rb[j])
				}
				largest = math.Max(largest, math.Abs(y-x))
			}
		}
	}
	if largest == 0 {
		t.Fatal("another seed changed no silhouette")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		tol  float64
		code int
	}{{largest * 1.001, 0}, {largest * 0.999, 1}} {
		_, stderr, code := runCmd(t, "compare", "-metric", "silhouette", "-tol", strconv.FormatFloat(tc.tol, 'g', -1, 64),
			"-out", dir, runs.base, runs.seed)
		if code != tc.code {
			t.Errorf("-tol %g (largest difference %g): exit %d, want %d\n%s", tc.tol, largest, code, tc.code, stderr)
		}
	}
}
