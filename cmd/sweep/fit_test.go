package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sweep/experiments"
)

// fit then predict on the training rows reproduces the sweep's assignments
// of that cell exactly.
func TestFitPredictReproducesAssignments(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, strings.Replace(syntheticGrid, "folds: 3", "folds: 1", 1))
	out := filepath.Join(dir, "report")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-assignments"); code != 0 {
		t.Fatal(stderr)
	}
	model := filepath.Join(dir, "model.json")
	if _, stderr, code := runCmd(t, "fit", "-config", cfg, "-data", data, "-cell", "svd-3-4", "-o", model); code != 0 {
		t.Fatal(stderr)
	}
	preds := filepath.Join(dir, "pred.csv")
	if _, stderr, code := runCmd(t, "predict", "-model", model, "-data", data, "-o", preds); code != 0 {
		t.Fatal(stderr)
	}
	// assignments.csv: cell,fold,row,line,split,cluster; predictions: row,source,cluster,distance,label.
	want := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(out, "assignments.csv"))[1:] {
		if r[0] == "svd-3-4" {
			want[r[2]] = r[5]
		}
	}
	if len(want) != 90 {
		t.Fatalf("%d assignments for svd-3-4, want 90", len(want))
	}
	got := 0
	for _, r := range readCSV(t, preds)[1:] {
		if c, ok := want[r[0]]; ok {
			got++
			if r[2] != c {
				t.Errorf("row %s: predicted cluster %s, the sweep assigned %s", r[0], r[2], c)
			}
			if r[4] == "" {
				t.Errorf("row %s: no mapped label", r[0])
			}
		}
	}
	if got != len(want) {
		t.Errorf("%d predictions matched, want %d", got, len(want))
	}
}

func TestPredictRefuses(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	model := filepath.Join(dir, "model.json")
	if _, stderr, code := runCmd(t, "fit", "-config", cfg, "-data", data, "-cell", "pca-2-3", "-o", model); code != 0 {
		t.Fatal(stderr)
	}
	small := filepath.Join(t.TempDir(), "small")
	if err := os.MkdirAll(small, 0o755); err != nil {
		t.Fatal(err)
	}
	other := writeSynthetic(t, small, 5, 6) // 6x6 images
	b, _ := os.ReadFile(model)
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, []byte(strings.Replace(string(b), `"version": 1`, `"version": 0`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	// A model file past experiments.MaxModelBytes (sparse: no disk used).
	huge := filepath.Join(dir, "huge.json")
	if f, err := os.Create(huge); err != nil || f.Truncate(experiments.MaxModelBytes+1) != nil || f.Close() != nil {
		t.Fatal("cannot make a sparse file")
	}
	neg := filepath.Join(dir, "neg.json")
	if err := os.WriteFile(neg, []byte(strings.Replace(string(b), `"side": 8`, `"side": -8`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"model too large", []string{"predict", "-model", huge, "-data", data}, 1, "sweep: read model: " + huge + " is larger than 64 MiB, the limit for a model file\n"},
		{"negative side", []string{"predict", "-model", neg, "-data", data}, 1, "sweep: " + neg + ": side -8 out of range 1..2048\n"},
		{"wrong size", []string{"predict", "-model", model, "-data", other}, 1, "images are 6x6, the model was fitted on 8x8"},
		{"old version", []string{"predict", "-model", old, "-data", data}, 1, "model version 0; this sweep reads version 1"},
		{"not a model", []string{"predict", "-model", cfg, "-data", data}, 1, "not a sweep model"},
		{"unknown cell", []string{"fit", "-config", cfg, "-data", data, "-cell", "pca-9-9", "-o", model}, 1, `-cell: "pca-9-9" is not a cell of the grid`},
		{"no cell", []string{"fit", "-config", cfg, "-o", model}, 2, "fit: -cell is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, %q; want %d and %q", code, stderr, tc.code, tc.msg)
			}
		})
	}
}
