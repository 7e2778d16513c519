package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"sweep/experiments/dataset"
	"sweep/experiments/features"
)

// faces builds a labelled 16x16 dataset in FER2013's layout: per class a
// bright bar in a class-specific direction, plus noise, so that HOG and
// LBP have edges to see.
func faces(t testing.TB, perClass int) *dataset.Dataset {
	t.Helper()
	const side = 16
	rng := rand.New(rand.NewPCG(14, 16))
	var lines []string
	for c := 0; c < 3; c++ {
		for i := 0; i < perClass; i++ {
			px := make([]string, side*side)
			for j := range px {
				r, col := j/side, j%side
				v := 40 + rng.IntN(60)
				if (c == 0 && r/4 == 2) || (c == 1 && col/4 == 1) || (c == 2 && (r-col)/3 == 0) {
					v += 120
				}
				px[j] = fmt.Sprint(v)
			}
			lines = append(lines, fmt.Sprintf("%d,%s,Training", c, strings.Join(px, " ")))
		}
	}
	d, err := dataset.Read(strings.NewReader("emotion,pixels,Usage\n"+strings.Join(lines, "\n")+"\n"), "faces.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// featuresGrid is a small grid over the features axis, with HOG cells of
// 4x4 pixels to fit 16x16 images.
const featuresGrid = `
seed: 3
data: {balance: min}
grid: {features: [pixels, hog, lbp], reducer: [pca], components: [2, 3], clusters: [2, 3], folds: 3}
features: {hog: {pixels_per_cell: [4, 4]}, lbp: {grid_x: 2, grid_y: 2}}
kmeans: {n_init: 2}
`

func TestFeaturesAxisConfig(t *testing.T) {
	for _, tc := range []struct {
		name, grid string
		axes       string   // the resolved axes, as key=values
		cells      []string // the first cell names
	}{
		{"default", "grid: {components: [2], clusters: [3]}", "", []string{"pca-2-3"}},
		{"pixels alone is no axis", "grid: {features: [pixels], components: [2], clusters: [3]}", "", []string{"pca-2-3"}},
		{"pixels as a scalar", "grid: {features: pixels, components: [2], clusters: [3]}", "", []string{"pca-2-3"}},
		{"hog alone", "grid: {features: [hog], components: [2], clusters: [3]}", "features=[hog]", []string{"pca-2-3/features=hog"}},
		{"three", "grid: {features: [pixels, hog, lbp], components: [2], clusters: [3]}", "features=[pixels hog lbp]",
			[]string{"pca-2-3/features=pixels", "pca-2-3/features=hog", "pca-2-3/features=lbp"}},
		{"in declaration order", "grid: {seed: [1, 2], features: [hog, lbp], components: [2], clusters: [3]}", "seed=[1 2] features=[hog lbp]",
			[]string{"pca-2-3/seed=1/features=hog", "pca-2-3/seed=1/features=lbp", "pca-2-3/seed=2/features=hog"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustConfig(t, tc.grid)
			var axes []string
			for _, ax := range c.Grid.Axes {
				axes = append(axes, fmt.Sprintf("%s=%v", ax.Key, ax.Values))
			}
			if got := strings.Join(axes, " "); got != tc.axes {
				t.Errorf("axes %q, want %q", got, tc.axes)
			}
			cells := c.Cells()
			for i, want := range tc.cells {
				if got := cells[i].Name(); got != want {
					t.Errorf("cell %d: %s, want %s", i, got, want)
				}
				// ParseCell reads the name back to the same cell.
				p, _, err := ParseCell(want)
				if err != nil || p != cells[i] {
					t.Errorf("ParseCell(%s) = %+v, %v", want, p, err)
				}
				v, err := c.Variant(cells[i].Axes)
				if err != nil {
					t.Fatal(err)
				}
				f, _ := cells[i].Axes.Get(FeaturesAxis)
				if f == "" {
					f = features.Pixels
				}
				if v.Features.Kind() != f {
					t.Errorf("cell %s: variant reads %s", want, v.Features.Kind())
				}
			}
			// The config survives the results store's JSON.
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			var back Config
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if err := back.resolveAxes("json"); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(back.Cells()) != fmt.Sprint(cells) || back.Features != c.Features {
				t.Errorf("JSON round trip changed the config: %s", b)
			}
		})
	}
}

func TestFeaturesConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown features", "grid: {features: [pixels, sift]}", `test.yaml:1: grid.features[1]: unknown features "sift" (want pixels, hog or lbp)`},
		{"twice", "grid: {features: [hog, hog]}", `test.yaml:1: grid.features: hog listed twice`},
		{"empty", "grid: {features: []}", `test.yaml:1: grid.features: empty`},
		{"nested", "grid: {features: [[hog]]}", `test.yaml:1: grid.features[0]: want a features name`},
		{"unknown parameter", "features: {hog: {orientation: 9}}", `test.yaml:1: features.hog.orientation: unknown field (did you mean orientations?)`},
		{"use is not a key", "features: {use: hog}", `test.yaml:1: features.use: unknown field (want one of: hog, lbp)`},
		{"bad parameter", "features: {hog: {orientations: 0}}\ngrid: {components: [2], clusters: [3]}", `test.yaml:1: features.hog: orientations 0 out of range 1..360`},
		{"bad block_norm", "features: {hog: {block_norm: L3}}\ngrid: {components: [2], clusters: [3]}", `test.yaml:1: features.hog: block_norm "L3" unknown (want L1, L1-sqrt, L2 or L2-Hys)`},
		{"bad lbp", "features: {lbp: {P: 17}}\ngrid: {components: [2], clusters: [3]}", `test.yaml:1: features.lbp: P 17 out of range 1..16`},
		{"float parameter", "features: {hog: {orientations: 9.5}}", `test.yaml:1: features.hog.orientations: 9.5 is not an integer`},
		{"parameter axis value", "grid: {features.hog.orientations: [9, 0], components: [2], clusters: [3]}", `test.yaml:1: grid.features.hog.orientations[1]: features.hog: orientations 0 out of range 1..360`},
		{"images for csv", "data: {format: csv, images: x.csv}\ngrid: {components: [2], clusters: [3]}", `test.yaml:1: data.images: only for npy data; csv data are images themselves`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml), "test.yaml")
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v\nwant  %s", err, tc.want)
			}
		})
	}
	// Overrides set the axis as the file does.
	c, err := ParseConfig([]byte("grid: {components: [2], clusters: [3]}"), "test.yaml", "grid.features=[pixels,hog]", "features.hog.orientations=12")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.FeaturesList(); !slices.Equal(got, []string{"pixels", "hog"}) || c.Features.HOG.Orientations != 12 {
		t.Errorf("overrides: features %v, orientations %d", got, c.Features.HOG.Orientations)
	}
	if _, err := ParseConfig([]byte("name: x"), "test.yaml", "grid.features=[sift]"); err == nil || err.Error() != `override 1: grid.features[0]: unknown features "sift" (want pixels, hog or lbp)` {
		t.Errorf("override error %v", err)
	}
}

// TestFeaturesStage runs a grid over [pixels, hog, lbp]: the pixels cells
// equal a pixels-only sweep's, the features are computed once per kind
// (one stage each) and equal features.ExtractRows row by row, the hog and
// lbp cells differ from the pixels ones, and nothing depends on the
// number of workers.
func TestFeaturesStage(t *testing.T) {
	d := faces(t, 12)
	cfg := mustConfig(t, featuresGrid)
	var ref string
	for _, w := range []int{1, 3} {
		cfg.Workers = w
		sw, err := NewSweep(cfg, d)
		if err != nil {
			t.Fatal(err)
		}
		res, err := sw.Run(context.Background(), w, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(valuesOf(res))
		if ref != "" && got != ref {
			t.Fatalf("workers %d: results differ from workers 1", w)
		}
		ref = got
		stages := map[string]int{}
		for _, st := range sw.Timings() {
			stages[strings.SplitN(st.Stage, "/", 2)[0]]++
		}
		// Per kind: one features stage (hog, lbp), 3 fold scalings, 3 reductions.
		if want := map[string]int{"features": 2, "scale": 9, "reduce": 9}; fmt.Sprint(stages) != fmt.Sprint(want) {
			t.Errorf("stages %v, want %v", stages, want)
		}
		per := len(res) / 3
		plain, err := NewSweep(mustConfig(t, strings.Replace(featuresGrid, "features: [pixels, hog, lbp], ", "", 1)), d)
		if err != nil {
			t.Fatal(err)
		}
		want, err := plain.Run(context.Background(), 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(valuesOf(res[:per])) != fmt.Sprint(valuesOf(want)) {
			t.Errorf("the pixels cells differ from a pixels-only sweep")
		}
		for k, name := range []string{"pixels", "hog", "lbp"} {
			if v, _ := res[k*per].Axes.Get(FeaturesAxis); v != name {
				t.Fatalf("variant %d is %s, want %s", k, v, name)
			}
			if k > 0 && fmt.Sprint(valuesOf(res[k*per:(k+1)*per])) == fmt.Sprint(valuesOf(want)) {
				t.Errorf("%s cells equal the pixels cells", name)
			}
		}
		for _, v := range sw.variants {
			fs := v.data.feat
			if fs == nil {
				continue
			}
			m, err := sw.features(context.Background(), fs)
			if err != nil {
				t.Fatal(err)
			}
			e, err := features.New(fs.name, cfg.Features.Params(), 16, 16)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs.rows) != len(v.data.sel.Rows) || len(m.x) != len(fs.rows)*e.Dim() {
				t.Fatalf("%s: %d rows of %d values", fs.key, len(fs.rows), len(m.x))
			}
			row := make([]float32, e.Dim())
			for k, r := range fs.rows {
				e.Extract(row, d.Row(r))
				if !slices.Equal(row, m.x[k*e.Dim():(k+1)*e.Dim()]) {
					t.Fatalf("%s: row %d differs from Extract", fs.key, r)
				}
			}
		}
	}
}

func TestFeaturesStageErrors(t *testing.T) {
	d := faces(t, 40)
	for _, tc := range []struct{ name, yaml, want string }{
		{"components above lbp", strings.Replace(featuresGrid, "components: [2, 3]", "components: [50]", 1),
			"features=lbp: grid.components: 50 is more than the 40 lbp features of an image"},
		{"image too small for a block", strings.Replace(featuresGrid, "pixels_per_cell: [4, 4]", "pixels_per_cell: [16, 16]", 1),
			"features=hog: features.hog: a 16x16 image has 1x1 cells of 16x16 pixels, fewer than one block of 2x2 cells"},
		{"unit scale", strings.Replace(featuresGrid, "balance: min", "balance: min, scale: unit", 1),
			"features=hog: data.scale: unit divides grey levels by 255, and hog features are not grey levels (use minmax or none)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSweep(mustConfig(t, tc.yaml), d)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v\nwant  %s", err, tc.want)
			}
		})
	}
	// A matrix without images has no hog.
	m := &dataset.Dataset{Name: "x.npy", Matrix: true, Dim: d.Dim, Side: d.Side, Pixels: d.Pixels, Labels: d.Labels, Usage: d.Usage, Line: d.Line, HasLabels: true}
	_, err := NewSweep(mustConfig(t, featuresGrid), m)
	want := "features=hog: grid.features: hog needs images, and x.npy is a NumPy matrix without images: name the matching images (a CSV file, an image folder or an IDX file, in the same row order) in data.images"
	if err == nil || err.Error() != want {
		t.Errorf("matrix: error %v\nwant  %s", err, want)
	}
	// With its images, it computes the same features as the images' own sweep.
	m.Images = d
	msw, err := NewSweep(mustConfig(t, featuresGrid), m)
	if err != nil {
		t.Fatal(err)
	}
	dsw, err := NewSweep(mustConfig(t, featuresGrid), d)
	if err != nil {
		t.Fatal(err)
	}
	a, err := msw.Run(context.Background(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := dsw.Run(context.Background(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(valuesOf(a)) != fmt.Sprint(valuesOf(b)) {
		t.Errorf("a matrix of the same pixels with its images gives other results")
	}
}

// TestMatrixSelection: a matrix of values that are not grey levels
// (embeddings) is told apart by its float32 values, so that rows equal as
// bytes (byte(0.25) == byte(0.5)) are neither grouped as copies nor all
// hashed alike; rows that are equal (0 and -0 included) still are.
func TestMatrixSelection(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, dim = 60, 4
	d := &dataset.Dataset{Name: "emb.npy", Matrix: true, NotGrey: true, Dim: dim, Pixels: make([]float32, n*dim),
		Labels: make([]int, n), Usage: make([]dataset.Usage, n), Line: make([]int, n), HasLabels: true}
	for i := range d.Pixels {
		d.Pixels[i] = float32(rng.Float64()*0.9) - 0.45
	}
	for i := range d.Labels {
		d.Labels[i], d.Line[i] = i%3, i+1
	}
	copy(d.Row(7), d.Row(3)) // one copy
	d.Row(7)[0], d.Row(3)[0] = 0, float32(math.Copysign(0, -1))
	groups := copyGroups(d, slices.Collect(func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}))
	if len(groups) != n-1 {
		t.Errorf("%d groups of identical rows among %d rows with one copy, want %d", len(groups), n, n-1)
	}
	hashes := pixelHashes(d, []int{0, 1, 2, 3, 7})
	if hashes[0] == hashes[1] || hashes[1] == hashes[2] || hashes[3] != hashes[4] {
		t.Errorf("hashes %x: want distinct rows apart and the copy (0 and -0) together", hashes)
	}
	for _, i := range []int{0, 1, 2, 3, 7} {
		if h := rowHashes(d, []int{i}, 5)[0]; h != rowHash(d, i, 5) {
			t.Errorf("row %d: rowHashes %x, rowHash %x", i, h, rowHash(d, i, 5))
		}
	}
}
