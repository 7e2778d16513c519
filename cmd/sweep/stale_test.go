package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sweep/experiments/store"
	"sweep/report"
)

// reportNames lists the files of dir that a report consists of.
func reportNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if report.IsReportFile(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names
}

// sameReportFiles checks that dir holds exactly the report files a clean
// run into ref wrote.
func sameReportFiles(t *testing.T, ref, dir string) {
	t.Helper()
	if a, b := reportNames(t, ref), reportNames(t, dir); !slices.Equal(a, b) {
		t.Errorf("report files\n  %v\nwant those of a clean run\n  %v", b, a)
	}
}

// withInspect is syntheticGrid drawing an svd cell too.
var withInspect = syntheticGrid + "report:\n  inspect: [svd-3-4]\n"

// TestReportFilesListed: every file of a full report (labels, folds,
// assignments, inspected cells, a features axis) is one of
// report.ReportFiles, and every pattern there names a file a report
// writes.
func TestReportFilesListed(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	full := strings.Replace(strings.Replace(withInspect, "  folds: 3\n", "  folds: 3\n  features: [pixels, lbp]\n", 1), "svd-3-4", "svd-3-4/features=lbp", 1)
	cfg := writeConfig(t, dir, full)
	out := filepath.Join(dir, "out")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q", "-assignments"); code != 0 {
		t.Fatal(stderr)
	}
	entries, _ := os.ReadDir(out)
	used := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if name == store.File || strings.HasPrefix(name, ".") {
			continue
		}
		if !report.IsReportFile(name) {
			t.Errorf("%s is written by a report but not in report.ReportFiles", name)
		}
		for _, p := range report.ReportFiles() {
			if ok, _ := filepath.Match(p, name); ok {
				used[p] = true
			}
		}
	}
	for _, p := range report.ReportFiles() {
		if !used[p] {
			t.Errorf("pattern %q in report.ReportFiles names no file of a full report", p)
		}
	}
}

// -fresh with another config leaves only the new config's report files,
// and keeps the user's own files; index.html links nothing stale.
func TestFreshLeavesNoStaleFiles(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	out := filepath.Join(dir, "out")
	cfgA := writeConfig(t, dir, withInspect)
	if _, stderr, code := runCmd(t, "-config", cfgA, "-data", data, "-out", out, "-q", "-assignments"); code != 0 {
		t.Fatal(stderr)
	}
	for _, name := range []string{"assignments.csv", "heatmap_svd.png", "cell_svd-3-4_fold0_nearest.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Fatalf("the first run wrote no %s", name)
		}
	}
	mine := []string{"notes.txt", "heatmap_svd.png.bak", ".mine.tmp", "my_results.csv"}
	for _, name := range mine {
		if err := os.WriteFile(filepath.Join(out, name), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := strings.Replace(strings.Replace(syntheticGrid, "[pca, svd]", "[pca]", 1), "seed: 3", "seed: 4", 1)
	cfgB := writeConfig(t, dir, b)
	if _, stderr, code := runCmd(t, "-config", cfgB, "-data", data, "-out", out, "-q", "-fresh"); code != 0 {
		t.Fatal(stderr)
	}
	ref := filepath.Join(dir, "ref")
	if _, stderr, code := runCmd(t, "-config", cfgB, "-data", data, "-out", ref, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	sameReportFiles(t, ref, out)
	sameTables(t, ref, out)
	index := mustRead(t, filepath.Join(out, "index.html"))
	for _, stale := range []string{"assignments.csv", "svd"} {
		if strings.Contains(index, stale) {
			t.Errorf("index.html mentions %s", stale)
		}
	}
	for _, name := range mine {
		if got, err := os.ReadFile(filepath.Join(out, name)); err != nil || string(got) != "mine" {
			t.Errorf("the user's %s was touched: %v", name, err)
		}
	}
}

// A normal run removes the report files the current run does not write:
// assignments.csv once -assignments is off.
func TestRunRemovesUnwrittenFiles(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	out := filepath.Join(dir, "out")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q", "-assignments"); code != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out); code != 0 || !strings.Contains(stderr, "resuming: 36 of 36") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "assignments.csv")); err == nil {
		t.Error("assignments.csv of the earlier run is still there")
	}
	if strings.Contains(mustRead(t, filepath.Join(out, "index.html")), "assignments.csv") {
		t.Error("index.html links assignments.csv")
	}
}

// -assignments on a resume whose store holds no cluster labels computes
// those cells again: never a header-only assignments.csv with exit 0.
func TestAssignmentsOnResume(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	ref := filepath.Join(dir, "ref")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", ref, "-q", "-assignments"); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "out")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	_, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-assignments")
	if code != 0 || !strings.Contains(stderr, "36 stored cells have no cluster assignments (stored without -assignments); computing them again") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if a, b := mustRead(t, filepath.Join(ref, "assignments.csv")), mustRead(t, filepath.Join(out, "assignments.csv")); a != b {
		t.Errorf("assignments.csv differs from a run with -assignments from the start (%d and %d bytes)", len(a), len(b))
	}
	sameTables(t, ref, out)
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-assignments"); code != 0 || !strings.Contains(stderr, "resuming: 36 of 36") {
		t.Errorf("rerun: exit %d: %s", code, stderr)
	}
}

// merge refuses assignments.csv when a shard stored no cluster labels.
func TestMergeAssignmentsWithoutLabels(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", a, "-q", "-shard", "1/2", "-assignments"); code != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", b, "-q", "-shard", "2/2"); code != 0 {
		t.Fatal(stderr)
	}
	merged := filepath.Join(dir, "merged")
	_, stderr, code := runCmd(t, "merge", "-out", merged, a, b)
	if code != 1 || !strings.Contains(stderr, "was stored without cluster assignments; run it again with -assignments") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(merged, "assignments.csv")); err == nil {
		t.Error("merge wrote assignments.csv")
	}
}

// Temporary files a killed run left (plot.WriteAtomic's ".NAME.N.tmp")
// are removed by the next run into the directory; other hidden files stay.
func TestLeftoverTempsRemoved(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	out := filepath.Join(dir, "out")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	ours := []string{".results.csv.12345.tmp", ".cells.jsonl.7.tmp", ".heatmap_pca.png.4294967295.tmp"}
	theirs := []string{".mine.tmp", ".notes.txt.123.tmp", ".results.csv.tmp", ".results.csv.x1.tmp"}
	for _, name := range append(ours, theirs...) {
		if err := os.WriteFile(filepath.Join(out, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	for _, name := range ours {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("leftover %s not removed", name)
		}
	}
	for _, name := range theirs {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s is not a sweep's and was removed", name)
		}
	}
}
