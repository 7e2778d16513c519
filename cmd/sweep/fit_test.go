package main

import (
	"fmt"
	"image"
	"image/color"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sweep/experiments/model"
	"testing"
	"unicode/utf8"
)

// fit then predict on the training rows reproduces the sweep's assignments
// of that cell exactly, with each kind of scaling (per-image min-max is
// applied to new images before the model's shift and scale).
func TestFitPredictReproducesAssignments(t *testing.T) {
	for _, scale := range []string{"minmax", "unit", "image"} {
		t.Run(scale, func(t *testing.T) { fitPredict(t, scale, "svd-3-4") })
	}
	// Overrides after the flags reach fit as they reach the sweep, so that
	// a cell of an overridden grid can be fitted.
	t.Run("overrides", func(t *testing.T) {
		fitPredict(t, "minmax", "svd-3-6/seed=5", "grid.clusters=[6]", "grid.seed=[4, 5]")
	})
}

func fitPredict(t *testing.T, scale, cell string, overrides ...string) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	grid := strings.Replace(syntheticGrid, "folds: 3", "folds: 1", 1)
	grid = strings.Replace(grid, "balance: min", "balance: min\n  scale: "+scale, 1)
	cfg := writeConfig(t, dir, grid)
	out := filepath.Join(dir, "report")
	if _, stderr, code := runCmd(t, append([]string{"-config", cfg, "-data", data, "-out", out, "-assignments"}, overrides...)...); code != 0 {
		t.Fatal(stderr)
	}
	model := filepath.Join(dir, "model.json")
	if _, stderr, code := runCmd(t, append([]string{"fit", "-config", cfg, "-data", data, "-cell", cell, "-o", model}, overrides...)...); code != 0 {
		t.Fatal(stderr)
	}
	preds := filepath.Join(dir, "pred.csv")
	if _, stderr, code := runCmd(t, "predict", "-model", model, "-data", data, "-o", preds); code != 0 {
		t.Fatal(stderr)
	}
	// assignments.csv: cell,fold,row,line,split,cluster; predictions: row,source,cluster,distance,label.
	want := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(out, "assignments.csv"))[1:] {
		if r[0] == cell {
			want[r[2]] = r[5]
		}
	}
	if len(want) != 90 {
		t.Fatalf("%d assignments for %s, want 90", len(want), cell)
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
	modelPath := filepath.Join(dir, "model.json")
	if _, stderr, code := runCmd(t, "fit", "-config", cfg, "-data", data, "-cell", "pca-2-3", "-o", modelPath); code != 0 {
		t.Fatal(stderr)
	}
	small := filepath.Join(t.TempDir(), "small")
	if err := os.MkdirAll(small, 0o755); err != nil {
		t.Fatal(err)
	}
	other := writeSynthetic(t, small, 5, 6) // 6x6 images
	b, _ := os.ReadFile(modelPath)
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, []byte(strings.Replace(string(b), `"version": 3`, `"version": 1`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	// A model file past model.MaxBytes (sparse: no disk used).
	huge := filepath.Join(dir, "huge.json")
	if f, err := os.Create(huge); err != nil || f.Truncate(model.MaxBytes+1) != nil || f.Close() != nil {
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
		{"wrong size", []string{"predict", "-model", modelPath, "-data", other}, 1, "images are 6x6, the model was fitted on 8x8"},
		{"old version", []string{"predict", "-model", old, "-data", data}, 1, "model file is version 1; this sweep reads version 3: refit with sweep fit"},
		{"not a model", []string{"predict", "-model", cfg, "-data", data}, 1, "not a sweep model"},
		{"unknown cell", []string{"fit", "-config", cfg, "-data", data, "-cell", "pca-9-9", "-o", modelPath}, 1, `-cell: "pca-9-9" is not a cell of the grid`},
		{"no cell", []string{"fit", "-config", cfg, "-o", modelPath}, 2, "fit: -cell is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, %q; want %d and %q", code, stderr, tc.code, tc.msg)
			}
		})
	}
}

func TestNameField(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain.png", "plain.png"},
		{`a,b "c"` + "\nd", `a,b "c"` + "\nd"}, // valid UTF-8: raw; encoding/csv quotes it
		{`back\slash`, `back\slash`},           // valid: a backslash stays one
		{"Überraschung", "Überraschung"},
		{"\uFFFD", "\uFFFD"}, // a valid U+FFFD is not an invalid byte
		{"x\xffy", `x\xffy`},
		{"\xc3", `\xc3`}, // a truncated sequence
		{"a\\b\x80", `a\\b\x80`},
		{"é\xe9", `é\xe9`},
	} {
		if got := nameField(tc.in); got != tc.want {
			t.Errorf("nameField(%q) = %q, want %q", tc.in, got, tc.want)
		}
		// The escape is Go's: unquoting it gives the bytes back.
		if got, err := strconv.Unquote(`"` + strings.NewReplacer("\n", `\n`, `"`, `\"`).Replace(nameField(tc.in)) + `"`); !utf8.ValidString(tc.in) && (err != nil || got != tc.in) {
			t.Errorf("unquoting nameField(%q) gives %q, %v", tc.in, got, err)
		}
	}
}

// predict writes RFC 4180 CSV: folder (label) and file names holding
// commas, quotes, line breaks, backslashes and bytes that are not UTF-8
// read back through encoding/csv as the names, the last with \xNN.
func TestPredictCSVNames(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "img")
	classes := []string{"a,b", `say "hi"`, "two\nlines"}
	special := []string{"x\xff\\y.png", `c,d "e".png`, "new\nline.png"}
	rng := rand.New(rand.NewPCG(5, 6))
	wantSrc := map[string]bool{}
	for c, class := range classes {
		for i := range 6 {
			m := image.NewGray(image.Rect(0, 0, 8, 8))
			for y := range 8 {
				for x := range 8 {
					v := 40 + rng.IntN(30)
					if (y/4)*2+x/4 == c {
						v += 150
					}
					m.SetGray(x, y, color.Gray{Y: uint8(v)})
				}
			}
			name := fmt.Sprintf("%d.png", i)
			if i == 0 {
				name = special[c]
			}
			path := filepath.Join(root, class, name)
			writePNG(t, path, m)
			wantSrc[strings.ReplaceAll(path, "x\xff\\y", `x\xff\\y`)] = true
		}
	}
	cfg := writeConfig(t, dir, `name: names
seed: 3
data:
  format: images
  size: 8
grid:
  reducer: [pca]
  components: [2]
  clusters: [3]
  folds: 1
`)
	model := filepath.Join(dir, "model.json")
	if _, stderr, code := runCmd(t, "fit", "-config", cfg, "-data", root, "-cell", "pca-2-3", "-o", model); code != 0 {
		t.Fatal(stderr)
	}
	preds := filepath.Join(dir, "pred.csv")
	if _, stderr, code := runCmd(t, "predict", "-model", model, "-data", root, "-o", preds); code != 0 {
		t.Fatal(stderr)
	}
	stdout, stderr, code := runCmd(t, "predict", "-model", model, "-data", root)
	if code != 0 {
		t.Fatal(stderr)
	}
	if stdout != mustRead(t, preds) {
		t.Error("predict writes other bytes to standard output than to -o")
	}
	rows := readCSV(t, preds) // encoding/csv: an error if not RFC 4180
	if !slices.Equal(rows[0], []string{"row", "source", "cluster", "distance", "label"}) || len(rows) != 1+len(wantSrc) {
		t.Fatalf("header %q and %d rows, want %d", rows[0], len(rows)-1, len(wantSrc))
	}
	gotSrc, gotLabels := map[string]bool{}, map[string]bool{}
	for _, r := range rows[1:] {
		gotSrc[r[1]] = true
		gotLabels[r[4]] = true
	}
	if !maps.Equal(gotSrc, wantSrc) {
		t.Errorf("sources read back %q, want %q", slices.Sorted(maps.Keys(gotSrc)), slices.Sorted(maps.Keys(wantSrc)))
	}
	// Three well-separated classes, three clusters: each cluster maps to
	// its own class.
	if want := slices.Sorted(slices.Values(classes)); !slices.Equal(slices.Sorted(maps.Keys(gotLabels)), want) {
		t.Errorf("labels read back %q, want %q", slices.Sorted(maps.Keys(gotLabels)), want)
	}
}

// FuzzNameField: the field is valid UTF-8, a valid name is unchanged, and
// an escaped one unquotes (as a Go string literal) to the name's bytes.
func FuzzNameField(f *testing.F) {
	for _, s := range []string{"", "a,b", "x\xff\\y", "\xc3", "é\xe9\n\"", `\x41`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := nameField(s)
		switch {
		case !utf8.ValidString(got):
			t.Fatalf("nameField(%q) = %q is not UTF-8", s, got)
		case utf8.ValidString(s):
			if got != s {
				t.Fatalf("nameField(%q) = %q changed a valid name", s, got)
			}
		default:
			quoted := `"` + strings.NewReplacer("\n", `\n`, `"`, `\"`).Replace(got) + `"`
			if back, err := strconv.Unquote(quoted); err != nil || back != s {
				t.Fatalf("nameField(%q) = %q unquotes to %q, %v", s, got, back, err)
			}
		}
	})
}
