package experiments

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sweep/experiments/dataset"
)

// dupRow is one line of a hand-made FER2013-layout file: a label, an
// image named by a seed (equal seeds give identical pixels) and a usage.
type dupRow struct {
	label, image int
	usage        string
}

// dupData writes rows as a 4x4-pixel CSV, shuffled by order (0 keeps
// the order given), and reads it back.
func dupData(t testing.TB, rows []dupRow, order uint64) *dataset.Dataset {
	t.Helper()
	var lines []string
	for _, r := range rows {
		rng := rand.New(rand.NewPCG(uint64(r.image), 77))
		px := make([]string, 16)
		for j := range px {
			px[j] = fmt.Sprint(rng.IntN(256))
		}
		lines = append(lines, fmt.Sprintf("%d,%s,%s", r.label, strings.Join(px, " "), r.usage))
	}
	if order != 0 {
		rng := rand.New(rand.NewPCG(order, order))
		rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	}
	d, err := dataset.Read(strings.NewReader("emotion,pixels,Usage\n"+strings.Join(lines, "\n")+"\n"), "dups.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// handDups is the hand-made case: 4 classes of 10 distinct images each,
// plus copies of some of them: a triple in class 0 (one copy in another
// usage), a pair in class 1 with different usages, a pair whose copies
// carry labels 2 and 3 and different usages, and a triple labelled 0, 0
// and 1. Image numbers name the pixels: equal numbers, identical pixels.
func handDups() []dupRow {
	usages := []string{"Training", "PublicTest", "PrivateTest"}
	var rows []dupRow
	for c := 0; c < 4; c++ {
		for i := 0; i < 10; i++ {
			rows = append(rows, dupRow{c, 100*c + i, usages[i%3]})
		}
	}
	return append(rows,
		dupRow{0, 0, "Training"}, dupRow{0, 0, "PublicTest"}, // class 0 image 0: 3 copies
		dupRow{1, 100, "PrivateTest"}, // class 1 image 100: 2 copies, 2 usages
		dupRow{3, 200, "PrivateTest"}, // image 200: labels 2 and 3, 2 usages
		dupRow{0, 900, "Training"}, dupRow{0, 900, "Training"}, dupRow{1, 900, "PublicTest"},
	)
}

// imageKey is row r's grey levels as a string: equal for identical images.
func imageKey(d *dataset.Dataset, r int) string {
	b := make([]byte, 0, 4*d.Dim)
	for _, v := range d.Row(r) {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return string(b)
}

// splitCopies returns, for each image that Select put in more than one
// fold, a description of its copies.
func splitCopies(d *dataset.Dataset, sel *Selection) []string {
	folds := map[string]map[int]bool{}
	for i, r := range sel.Rows {
		k := imageKey(d, r)
		if folds[k] == nil {
			folds[k] = map[int]bool{}
		}
		folds[k][sel.Fold[i]] = true
	}
	var out []string
	for k, f := range folds {
		if len(f) > 1 {
			out = append(out, fmt.Sprintf("%x... in folds %v", k[:16], slices.Sorted(mapKeys(f))))
		}
	}
	slices.Sort(out)
	return out
}

func mapKeys(m map[int]bool) func(func(int) bool) {
	return func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// foldBound is the bound Select's doc states on the spread of a class
// over the folds, computed here from the data alone: for class c,
// max - min of its rows per fold is at most g + m, where g is the most
// rows of c in one group of identical images that all carry label c (1
// when c has no such copies) and m counts the rows of c in groups whose
// copies carry more than one label.
func foldBound(d *dataset.Dataset, sel *Selection) map[int]int {
	groups := map[string][]int{}
	for _, r := range sel.Rows {
		k := imageKey(d, r)
		groups[k] = append(groups[k], d.Labels[r])
	}
	g, m := map[int]int{}, map[int]int{}
	for _, ls := range groups {
		n := map[int]int{}
		for _, l := range ls {
			n[l]++
		}
		for l, k := range n {
			if len(n) > 1 {
				m[l] += k
			} else {
				g[l] = max(g[l], k)
			}
		}
	}
	out := map[int]int{}
	for l := range g {
		out[l] = g[l] + m[l]
	}
	for l := range m {
		out[l] = max(1, g[l]) + m[l]
	}
	return out
}

// spreads returns max - min of each class's rows per fold.
func spreads(d *dataset.Dataset, sel *Selection) map[int]int {
	count := map[int][]int{}
	for i, r := range sel.Rows {
		l := d.Labels[r]
		if count[l] == nil {
			count[l] = make([]int, sel.Folds)
		}
		count[l][sel.Fold[i]]++
	}
	out := map[int]int{}
	for l, c := range count {
		out[l] = slices.Max(c) - slices.Min(c)
	}
	return out
}

// checkGrouped fails t if identical images fall in different folds or a
// class spreads over the folds by more than foldBound.
func checkGrouped(t *testing.T, d *dataset.Dataset, sel *Selection) {
	t.Helper()
	if s := splitCopies(d, sel); len(s) > 0 {
		t.Errorf("%d images have copies in different folds, e.g. %v", len(s), s[:min(3, len(s))])
	}
	bound := foldBound(d, sel)
	for l, s := range spreads(d, sel) {
		if s > bound[l] {
			t.Errorf("class %d: fold counts spread by %d, more than the bound %d", l, s, bound[l])
		}
	}
}

// selection returns sel as content: label, usage, pixels and fold of each
// selected row, in selection order.
func selection(d *dataset.Dataset, sel *Selection) []string {
	var out []string
	for i, r := range sel.Rows {
		out = append(out, fmt.Sprintf("%d/%v/%v/%d", d.Labels[r], d.Usage[r], d.Row(r), sel.Fold[i]))
	}
	return out
}

// Identical images share a fold, whatever their label or usage, and the
// folds stay stratified within the bound; the file's order changes
// nothing.
func TestSelectKeepsCopiesInOneFold(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		rows       int
	}{
		{"all rows, 3 folds", "seed: 1\ngrid: {components: [2], clusters: [2], folds: 3}\n", 47},
		{"all rows, 5 folds", "seed: 2\ngrid: {components: [2], clusters: [2], folds: 5}\n", 47},
		{"balanced, 3 folds", "seed: 3\ndata: {balance: 10}\ngrid: {components: [2], clusters: [2], folds: 3}\n", 40},
		{"balanced min, 4 folds", "seed: 4\ndata: {balance: min}\ngrid: {components: [2], clusters: [2], folds: 4}\n", 4 * 10},
		{"training only, 2 folds", "seed: 5\ndata: {usage: [Training]}\ngrid: {components: [2], clusters: [2], folds: 2}\n", 19},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustConfig(t, tc.yaml)
			var first []string
			for _, order := range []uint64{0, 1, 2, 3} {
				d := dupData(t, handDups(), order)
				sel, err := Select(d, &cfg)
				if err != nil {
					t.Fatal(err)
				}
				if len(sel.Rows) != tc.rows {
					t.Fatalf("order %d: %d rows, want %d", order, len(sel.Rows), tc.rows)
				}
				checkGrouped(t, d, sel)
				got := selection(d, sel)
				if first == nil {
					first = got
				} else if !reflect.DeepEqual(got, first) {
					t.Fatalf("order %d: a different selection from order 0", order)
				}
			}
		})
	}
}

// Property: on random files with many copies (of one label or several),
// no image is split over folds, and every class keeps within the bound.
func TestSelectCopiesProperty(t *testing.T) {
	for trial := uint64(1); trial <= 40; trial++ {
		rng := rand.New(rand.NewPCG(trial, 3))
		usages := []string{"Training", "PublicTest", "PrivateTest"}
		var rows []dupRow
		for i := 0; i < 60+rng.IntN(60); i++ {
			image := rng.IntN(80) // about one row in three is a copy
			label := image % 5
			if rng.IntN(8) == 0 {
				label = rng.IntN(5) // a copy with another label
			}
			rows = append(rows, dupRow{label, image, usages[rng.IntN(3)]})
		}
		d := dupData(t, rows, trial)
		folds := 2 + rng.IntN(4)
		cfg := mustConfig(t, fmt.Sprintf("seed: %d\ngrid: {components: [2], clusters: [2], folds: %d}\n", trial, folds))
		sel, err := Select(d, &cfg)
		if err != nil {
			continue // too few distinct images of a class for the folds
		}
		checkGrouped(t, d, sel)
	}
}

// Without identical images, the folds are those of dealing each class's
// rows, in seeded hash order, to folds 0, 1, ..., K-1 in turn (the rule
// before copies were grouped), so such data keeps its results.
func TestSelectWithoutCopiesDealsInTurn(t *testing.T) {
	d := synthetic(t, []int{20, 12, 15, 9}, 0)
	cfg := mustConfig(t, "seed: 7\ngrid: {components: [2], clusters: [2], folds: 4}\n")
	sel, err := Select(d, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]int{}
	for i, r := range sel.Rows {
		l := d.Labels[r]
		if want := seen[l] % 4; sel.Fold[i] != want {
			t.Fatalf("row %d (class %d, member %d): fold %d, want %d", r, l, seen[l], sel.Fold[i], want)
		}
		seen[l]++
	}
}

// A fold that copies would leave empty is an error naming grid.folds.
func TestSelectTooFewDistinctImages(t *testing.T) {
	var rows []dupRow
	for i := 0; i < 6; i++ {
		rows = append(rows, dupRow{i % 2, i % 2, "Training"}) // 2 images, 3 copies each
	}
	d := dupData(t, rows, 0)
	cfg := mustConfig(t, "grid: {components: [2], clusters: [2], folds: 3}\n")
	_, err := Select(d, &cfg)
	want := "grid.folds: 3 folds need at least 3 distinct images, and the 6 rows hold 2 (identical images share a fold)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

// On FER2013, with the seed study's selection (configs/fer2013.yaml), the
// CI golden run's (configs/ci.yaml) and with 5 folds over all 35,887 rows,
// no image has copies in two folds.
func TestSelectFER2013CopiesInOneFold(t *testing.T) {
	path := ferPath(t)
	d, err := dataset.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	study, err := os.ReadFile("../configs/fer2013.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile("../configs/ci.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		yaml []byte
		rows int
	}{
		{"configs/fer2013.yaml", study, 7 * 547},
		{"configs/ci.yaml", ci, 7 * 60},
		{"all rows", []byte("seed: 1\ngrid: {components: [2], clusters: [2], folds: 5}\n"), 35887},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig(tc.yaml, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			sel, err := Select(d, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(sel.Rows) != tc.rows {
				t.Fatalf("%d rows, want %d", len(sel.Rows), tc.rows)
			}
			copies := map[string]int{}
			for _, r := range sel.Rows {
				copies[imageKey(d, r)]++
			}
			n := 0
			for _, k := range copies {
				if k > 1 {
					n += k
				}
			}
			if n == 0 {
				t.Fatal("no identical images selected: the case tests nothing")
			}
			checkGrouped(t, d, sel)
			t.Logf("%d rows have an identical image in the selection; per-class spread over folds %v (bound %v)",
				n, spreads(d, sel), foldBound(d, sel))
		})
	}
}

// BenchmarkSelectFER2013 selects all 35,887 rows of FER2013 into 5 folds:
// the seeded hash order, then the groups of identical images and their
// folds.
func BenchmarkSelectFER2013(b *testing.B) {
	d, err := dataset.Load(ferPath(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg := mustConfig(b, "seed: 1\ngrid: {components: [2], clusters: [2], folds: 5}\n")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Select(d, &cfg); err != nil {
			b.Fatal(err)
		}
	}
}
