package experiments

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"sweep/experiments/dataset"
)

// synthetic builds a labelled dataset in FER2013's layout: per class, 6x6
// images bright in a class-specific corner, plus noise. sizes gives the
// rows per class; the rows are written in a shuffled order decided by
// order.
func synthetic(t testing.TB, sizes []int, order uint64) *dataset.Dataset {
	t.Helper()
	const side = 6
	rng := rand.New(rand.NewPCG(5, 6))
	var lines []string
	usages := []string{"Training", "PublicTest", "PrivateTest"}
	for c, n := range sizes {
		for i := 0; i < n; i++ {
			px := make([]string, side*side)
			for j := range px {
				v := 30 + rng.IntN(40)
				if (j/side < side/2) == (c%2 == 0) && (j%side < side/2) == (c/2%2 == 0) {
					v += 160
				}
				px[j] = fmt.Sprint(v)
			}
			lines = append(lines, fmt.Sprintf("%d,%s,%s", c, strings.Join(px, " "), usages[i%3]))
		}
	}
	if order != 0 {
		r := rand.New(rand.NewPCG(order, order))
		r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	}
	d, err := dataset.Read(strings.NewReader("emotion,pixels,Usage\n"+strings.Join(lines, "\n")+"\n"), "synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustConfig(t testing.TB, y string) Config {
	t.Helper()
	c, err := ParseConfig([]byte(y), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const smallGrid = `
seed: 9
data: {balance: min}
grid: {reducer: [pca, svd], components: [2, 3], clusters: [2, 3, 4], folds: 3}
kmeans: {n_init: 2}
`

// Row order in the file changes neither the selection (as content) nor
// any result.
func TestSelectIndependentOfRowOrder(t *testing.T) {
	cfg := mustConfig(t, smallGrid)
	var prev []string
	for _, order := range []uint64{0, 1, 2} {
		d := synthetic(t, []int{20, 12, 15, 9}, order)
		sel, err := Select(d, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		// Balanced to the smallest class: 4 classes x 9 rows.
		if len(sel.Rows) != 36 {
			t.Fatalf("selected %d rows, want 36", len(sel.Rows))
		}
		var got []string
		for i, r := range sel.Rows {
			got = append(got, fmt.Sprintf("%d/%v/%d", d.Labels[r], d.Row(r), sel.Fold[i]))
		}
		if prev != nil && !reflect.DeepEqual(got, prev) {
			t.Fatalf("order %d: a different selection", order)
		}
		prev = got
		// Stratified: every fold has 3 rows of each class.
		count := map[[2]int]int{}
		for i, r := range sel.Rows {
			count[[2]int{sel.Fold[i], d.Labels[r]}]++
		}
		for k, n := range count {
			if n != 3 {
				t.Errorf("fold %d class %d: %d rows, want 3", k[0], k[1], n)
			}
		}
	}
}

func TestSelectErrors(t *testing.T) {
	d := synthetic(t, []int{20, 4, 15}, 0)
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"balance above class", "data: {balance: 10}\ngrid: {components: [2], clusters: [2]}\n", "data.balance: class 1 has 4 rows, fewer than the 10 asked for"},
		{"folds above class", "data: {balance: min}\ngrid: {components: [2], clusters: [2], folds: 5}\n", "grid.folds: 5 is more than the 4 rows of class 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustConfig(t, tc.yaml)
			_, err := Select(d, &cfg)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestNewSweepChecksGridAgainstData(t *testing.T) {
	d := synthetic(t, []int{10, 10}, 0)
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"components above pixels", "grid: {components: [40], clusters: [2]}\n", "grid.components: 40 is more than the 36 pixels of an image"},
		{"clusters above rows", "grid: {components: [2], clusters: [30]}\n", "grid.clusters: 30 is more than the 20 training rows of a fold"},
		{"clusters above fold rows", "grid: {components: [2], clusters: [15], folds: 2}\n", "grid.clusters: 15 is more than the 10 training rows of a fold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSweep(mustConfig(t, tc.yaml), d)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRunDeterministicAcrossWorkers(t *testing.T) {
	d := synthetic(t, []int{20, 12, 15, 9}, 0)
	var ref []*Result
	for _, w := range []int{1, 2, 8} {
		sw, err := NewSweep(mustConfig(t, smallGrid), d)
		if err != nil {
			t.Fatal(err)
		}
		res, err := sw.Run(context.Background(), w, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			r.KMeansSeconds, r.SilhouetteSeconds, r.Seconds = 0, 0, 0
		}
		// Compare printed forms: NaN scores are equal there, unlike in DeepEqual.
		if ref != nil && fmt.Sprintf("%+v", deref(res)) != fmt.Sprintf("%+v", deref(ref)) {
			t.Fatalf("workers %d: results differ from workers 1", w)
		}
		ref = res
	}
	if len(ref) != 2*2*3*3 {
		t.Fatalf("%d results", len(ref))
	}
	for _, r := range ref {
		if r.Silhouette < -1 || r.Silhouette > 1 {
			t.Errorf("%s: silhouette %v outside [-1, 1]", r.Key(), r.Silhouette)
		}
	}
}

func deref(rs []*Result) []Result {
	out := make([]Result, len(rs))
	for i, r := range rs {
		out[i] = *r
	}
	return out
}

func TestRunCancel(t *testing.T) {
	d := synthetic(t, []int{20, 12, 15, 9}, 0)
	sw, err := NewSweep(mustConfig(t, smallGrid), d)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	seen := 0
	res, err := sw.Run(ctx, 1, func(*Result) {
		if seen++; seen == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if n := Finished(res); n < 3 || n >= len(sw.Cells) {
		t.Fatalf("%d of %d cells finished", n, len(sw.Cells))
	}
}

func TestSummarize(t *testing.T) {
	mk := func(k, fold int, sil float64) *Result {
		return &Result{Cell: Cell{Reducer: "pca", Components: 2, Clusters: k, Fold: fold}, Silhouette: sil, Inertia: 1, NonEmpty: k}
	}
	sum := Summarize([]*Result{mk(2, 0, 0.5), mk(2, 1, 0.7), mk(3, 0, 0.6), mk(3, 1, 0.6)})
	if len(sum) != 2 {
		t.Fatalf("%d groups", len(sum))
	}
	// Hand computation: mean(0.5, 0.7) = 0.6, sd = sqrt(((-0.1)^2 + 0.1^2)/1) = 0.1414.
	if d := sum[0].Stat("silhouette").Mean - 0.6; d > 1e-12 || d < -1e-12 {
		t.Errorf("mean %v", sum[0].Stat("silhouette").Mean)
	}
	if d := sum[0].Stat("silhouette").SD - 0.14142135623730953; d > 1e-12 || d < -1e-12 {
		t.Errorf("sd %v", sum[0].Stat("silhouette").SD)
	}
	// A tie (0.6 and 0.6) goes to the first cell in order.
	if !sum[0].Best || sum[1].Best {
		t.Errorf("best marks %v %v", sum[0].Best, sum[1].Best)
	}
}

// A manual mapping is scored on its cell and fold only, as the share of
// held-out rows whose mapped cluster equals the true label.
func TestManualMapping(t *testing.T) {
	d := synthetic(t, []int{20, 12, 15, 9}, 0)
	cfg := mustConfig(t, smallGrid+`
mapping:
  - cell: pca-2-4
    fold: 1
    clusters: {0: Angry, 1: 1, 2: fear, 3: Happy}
`)
	sw, err := NewSweep(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sw.Run(context.Background(), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	scored := 0
	for _, r := range res {
		if r.Key() != "pca-2-4/fold1" {
			if !math.IsNaN(r.AccManual) {
				t.Errorf("%s: manual accuracy %v, want NaN", r.Key(), r.AccManual)
			}
			continue
		}
		scored++
		// Independent count: cluster c maps to label c (Angry=0, 1, fear=2, Happy=3).
		hit := 0
		for i, row := range r.TestRows {
			if r.TestLabels[i] == d.Labels[row] {
				hit++
			}
		}
		if want := float64(hit) / float64(len(r.TestRows)); math.Abs(r.AccManual-want) > 1e-15 {
			t.Errorf("manual accuracy %v, want %v", r.AccManual, want)
		}
	}
	if scored != 1 {
		t.Fatalf("%d cells scored", scored)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"mapping: [{cell: pca-2-4, clusters: {0: Joy}}]", `mapping[0].clusters[0]: parse label "Joy"`},
		{"mapping: [{cell: pca-2-4, clusters: {7: Happy}}]", "mapping[0].clusters: cluster 7 is not below k = 4"},
		{"mapping: [{cell: pca-9-4, clusters: {0: Happy}}]", `mapping[0].cell: "pca-9-4" is not a cell of the grid`},
	} {
		c, err := ParseConfig([]byte(smallGrid+tc.yaml+"\n"), "m.yaml")
		if err == nil {
			_, err = NewSweep(c, d)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

// Min-max scaling follows scikit-learn's MinMaxScaler, fitted on each
// fold's training rows: x' = (x - min) / (max - min), and a constant
// feature keeps scale 1 so it maps to 0.
func TestMinMaxScaling(t *testing.T) {
	csv := "emotion,pixels\n" +
		"0,7 0 10 20\n" + // pixel 0 is constant 7
		"0,7 100 30 20\n" +
		"1,7 50 20 20\n" +
		"1,7 25 40 20\n"
	d, err := dataset.Read(strings.NewReader(csv), "scale.csv")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := NewSweep(mustConfig(t, "grid: {components: [1], clusters: [2]}\n"), d)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := sw.scaling(context.Background(), sw.variant(sw.Cells[0]), 0)
	if err != nil {
		t.Fatal(err)
	}
	// Hand computation: pixel 1 spans 0..100, pixel 2 10..40, pixels 0 and 3 are constant.
	for j, want := range []struct{ offset, scale float64 }{{7, 1}, {0, 1.0 / 100}, {10, 1.0 / 30}, {20, 1}} {
		if math.Abs(fs.offset[j]-want.offset) > 1e-12 || math.Abs(fs.scale[j]-want.scale) > 1e-12 {
			t.Errorf("pixel %d: offset %v scale %v, want %v %v", j, fs.offset[j], fs.scale[j], want.offset, want.scale)
		}
		for _, r := range fs.train {
			x := (float64(d.Row(r)[j]) - fs.offset[j]) * fs.scale[j]
			if x < 0 || x > 1 || ((j == 0 || j == 3) && math.Abs(x) > 1e-15) {
				t.Errorf("row %d pixel %d scales to %v", r, j, x)
			}
		}
	}
}

// rowHashes, four rows at a time, equals rowHash (hash/fnv) row by row,
// for every count of rows around the interleaving of four.
func TestRowHashes(t *testing.T) {
	d := synthetic(t, []int{5, 4, 3}, 1)
	for n := 0; n <= d.N(); n++ {
		idx := make([]int, n)
		for k := range idx {
			idx[k] = (k * 5) % d.N()
		}
		got := rowHashes(d, idx, 42)
		for k, i := range idx {
			if want := rowHash(d, i, 42); got[k] != want {
				t.Fatalf("n=%d: row %d hash %x, want %x", n, i, got[k], want)
			}
		}
	}
}
