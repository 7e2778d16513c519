package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sweep/experiments/dataset"
	"sweep/experiments/features"
)

// writeFaces writes a labelled CSV of 3 classes x perClass 16x16 images
// (emotion and pixels, no Usage column: a .npy has no splits) and returns
// its path.
func writeFaces(t testing.TB, dir string, perClass int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(14, 2))
	var b strings.Builder
	b.WriteString("emotion,pixels\n")
	for c := 0; c < 3; c++ {
		for i := 0; i < perClass; i++ {
			px := make([]string, 256)
			for j := range px {
				r, q := j/16, j%16
				v := 40 + rng.IntN(60)
				if (c == 0 && r/4 == 2) || (c == 1 && q/4 == 1) || (c == 2 && (r-q)/3 == 0) {
					v += 120
				}
				px[j] = fmt.Sprint(v)
			}
			fmt.Fprintf(&b, "%d,%s\n", c, strings.Join(px, " "))
		}
	}
	path := filepath.Join(dir, "faces.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeNPYPair writes the pixels and labels of the CSV at csvPath as
// x.npy, y.npy and xy.npz (members x.npy and y.npy) in dir.
func writeNPYPair(t testing.TB, dir, csvPath string) (x, y, npz string) {
	t.Helper()
	d, err := dataset.Open(dataset.Source{Path: csvPath})
	if err != nil {
		t.Fatal(err)
	}
	x, y, npz = filepath.Join(dir, "x.npy"), filepath.Join(dir, "y.npy"), filepath.Join(dir, "xy.npz")
	if err := dataset.WriteNPY(x, d.Pixels, d.N(), d.Dim); err != nil {
		t.Fatal(err)
	}
	if err := dataset.WriteLabelsNPY(y, d.Labels); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range [][2]string{{"x.npy", x}, {"y.npy", y}} {
		w, err := zw.Create(m[0])
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(m[1])
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(npz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return x, y, npz
}

const npyGrid = `name: npy
grid: {reducer: [pca, svd], components: [2, 3], clusters: [2, 3, 4], folds: 3}
features: {hog: {pixels_per_cell: [4, 4]}, lbp: {grid_x: 2, grid_y: 2}}
kmeans: {n_init: 2}
`

// TestSameDataAsNPY: the pixels of a CSV file given as a .npy matrix with
// a .npy labels vector, or as a .npz archive, give the CSV's results.csv
// byte for byte; and with data.images naming the CSV, a grid over pixels,
// hog and lbp does too.
func TestSameDataAsNPY(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeFaces(t, dir, 20)
	x, y, npz := writeNPYPair(t, dir, csvPath)
	for _, grid := range []struct{ name, config string }{
		{"pixels", npyGrid},
		{"features", strings.Replace(npyGrid, "folds: 3}", "folds: 3, features: [pixels, hog, lbp]}", 1)},
	} {
		t.Run(grid.name, func(t *testing.T) {
			sub := filepath.Join(dir, grid.name)
			cfg := writeConfig(t, t.TempDir(), grid.config)
			var ref []byte
			for _, src := range []struct {
				name string
				args []string // flags, then overrides
			}{
				{"csv", []string{"-data", csvPath}},
				{"npy", []string{"-data", x, "-labels", y, "data.images=" + csvPath}},
				{"npz", []string{"-data", npz, "data.images=" + csvPath}},
			} {
				out := filepath.Join(sub, src.name)
				args := append([]string{"-config", cfg, "-out", out, "-q"}, src.args...)
				if _, stderr, code := runCmd(t, args...); code != 0 {
					t.Fatalf("%s: exit %d: %s", src.name, code, stderr)
				}
				b, err := os.ReadFile(filepath.Join(out, "results.csv"))
				if err != nil {
					t.Fatal(err)
				}
				if ref == nil {
					ref = b
				} else if !bytes.Equal(ref, b) {
					t.Errorf("%s: results.csv differs from the CSV file's", src.name)
				}
			}
			if lines := bytes.Count(ref, []byte{'\n'}); grid.name == "features" && lines != 1+3*36 {
				t.Errorf("%d lines in results.csv, want 1 + 108", lines)
			}
		})
	}
}

// TestFeaturesCommand: sweep features writes the features of every image
// in data order, as Extract computes them, and the labels beside them;
// numpy-compatible files that ReadNPY reads back.
func TestFeaturesCommand(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeFaces(t, dir, 10)
	d, err := dataset.Open(dataset.Source{Path: csvPath})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"hog", "lbp", "pixels"} {
		out := filepath.Join(dir, name, "f.npy")
		os.MkdirAll(filepath.Dir(out), 0o755)
		stdout, stderr, code := runCmd(t, "features", "-data", csvPath, "-features", name, "-o", out, "-workers", "2",
			"features.hog.pixels_per_cell=[4,4]")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		p := features.DefaultParams()
		p.HOG.PixelsPerCell = [2]int{4, 4}
		e, err := features.New(name, p, 16, 16)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]float32, d.N()*e.Dim())
		features.ExtractRows(e, want, d.Pixels)
		got, rows, cols, labels, err := dataset.ReadNPY(out, filepath.Join(dir, name, "labels.npy"))
		if err != nil {
			t.Fatal(err)
		}
		if rows != d.N() || cols != e.Dim() || !slices.Equal(got, want) || !slices.Equal(labels, d.Labels) {
			t.Errorf("%s: %dx%d, labels %v; want %dx%d as Extract computes them", name, rows, cols, labels[:3], d.N(), e.Dim())
		}
		if wantOut := fmt.Sprintf("%s: 30 x %d float32 (%s of %s)\n%s: 30 labels\n", out, e.Dim(), name, csvPath, filepath.Join(dir, name, "labels.npy")); stdout != wantOut {
			t.Errorf("stdout %q, want %q", stdout, wantOut)
		}
	}
	writeNPYPair(t, dir, csvPath)
	for _, tc := range []struct {
		args []string // flags, then overrides
		code int
		msg  string
	}{
		{[]string{"-features", "sift"}, 2, `sweep: -features: unknown features "sift" (want pixels, hog or lbp)`},
		{[]string{"features.hog.orientations=0"}, 2, "sweep: features.hog: orientations 0 out of range 1..360"},
		{[]string{"-data", "$DIR/x.npy"}, 1, "sweep: features hog: $DIR/x.npy is a NumPy matrix without images: name the matching images (a CSV file, an image folder or an IDX file, in the same row order) in data.images"},
	} {
		args := []string{"features", "-data", csvPath, "-o", filepath.Join(dir, "bad.npy")}
		for _, a := range tc.args {
			args = append(args, strings.ReplaceAll(a, "$DIR", dir))
		}
		_, stderr, code := runCmd(t, args...)
		if got := strings.TrimSpace(strings.ReplaceAll(stderr, dir, "$DIR")); code != tc.code || got != tc.msg {
			t.Errorf("%v: exit %d %q, want %d %q", tc.args, code, got, tc.code, tc.msg)
		}
		if _, err := os.Stat(filepath.Join(dir, "bad.npy")); err == nil {
			t.Errorf("%v: bad.npy written by a failed run", tc.args)
		}
	}
}

// TestFeatureCurves: with a features axis the report draws the silhouette
// and accuracy curves of each features value apart, beside the curves of
// all cells, and index.html shows them; without one it draws no such
// file.
func TestFeatureCurves(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeFaces(t, dir, 20)
	for _, grid := range []struct {
		name     string
		config   string
		features []string
	}{
		{"features", strings.Replace(npyGrid, "folds: 3}", "folds: 3, features: [pixels, hog, lbp]}", 1), []string{"pixels", "hog", "lbp"}},
		{"pixels", npyGrid, nil},
	} {
		t.Run(grid.name, func(t *testing.T) {
			out := filepath.Join(dir, grid.name)
			cfg := writeConfig(t, t.TempDir(), grid.config)
			if _, stderr, code := runCmd(t, "-config", cfg, "-data", csvPath, "-out", out, "-q"); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			index := mustRead(t, filepath.Join(out, "index.html"))
			var want []string
			for _, f := range grid.features {
				for _, base := range []string{"silhouette_vs_k", "accuracy_vs_k"} {
					want = append(want, base+"_features="+f+".png")
				}
			}
			for _, name := range want {
				if _, err := os.Stat(filepath.Join(out, name)); err != nil {
					t.Errorf("no %s: %v", name, err)
				}
				if !strings.Contains(index, `src="`+name+`"`) {
					t.Errorf("index.html does not show %s", name)
				}
			}
			got, _ := filepath.Glob(filepath.Join(out, "*_vs_k_*.png"))
			if len(got) != len(want) {
				t.Errorf("%d per-features curves %v, want %d", len(got), got, len(want))
			}
		})
	}
}
