package experiments

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sweep/experiments/dataset"
	"sweep/experiments/kmeans"
	"sweep/metrics"
)

// notebookRef mirrors testdata/notebook_ref.json, written by
// testdata/notebook_ref.py (NumPy 1.24.2) with the fixture
// testdata/notebook_fixture.csv.
type notebookRef struct {
	BalanceFirst []struct {
		N     int      `json:"n"`
		Usage []string `json:"usage"`
		Rows  []int    `json:"rows"`
	} `json:"balance_first"`
	ImageMinMax [][]float64 `json:"image_minmax"`
}

func loadNotebookRef(t *testing.T) (*dataset.Dataset, notebookRef) {
	t.Helper()
	d, err := dataset.Load(filepath.Join("testdata", "notebook_fixture.csv"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "notebook_ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref notebookRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.ImageMinMax) != d.N() || len(ref.BalanceFirst) == 0 {
		t.Fatalf("reference: %d scaled rows for %d rows, %d balancing cases", len(ref.ImageMinMax), d.N(), len(ref.BalanceFirst))
	}
	return d, ref
}

// balance_take first keeps exactly the rows the study's balancingscript.py
// keeps (per class, the first N in file order; notebook_ref.py's
// balance_first) on a file whose classes are shuffled; the default, hash,
// keeps others.
func TestBalanceTakeFirstMatchesReference(t *testing.T) {
	d, ref := loadNotebookRef(t)
	differs := false
	for _, tc := range ref.BalanceFirst {
		y := "grid: {components: [2], clusters: [2]}\ndata: {balance: " + strconv.Itoa(tc.N) + ", balance_take: first"
		if len(tc.Usage) > 0 {
			y += ", usage: [" + strings.Join(tc.Usage, ", ") + "]"
		}
		y += "}\n"
		cfg := mustConfig(t, y)
		sel, err := Select(d, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Sorted(slices.Values(sel.Rows)); !slices.Equal(got, tc.Rows) {
			t.Errorf("n %d usage %v: rows %v, balancingscript.py keeps %v", tc.N, tc.Usage, got, tc.Rows)
		}
		cfg.Data.BalanceTake = "hash"
		hashed, err := Select(d, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		differs = differs || !slices.Equal(slices.Sorted(slices.Values(hashed.Rows)), tc.Rows)
	}
	if !differs {
		t.Error("balance_take hash keeps the same rows as first in every case; the fixture cannot tell them apart")
	}
}

// ImageMinMax is NumPy's (x - x.min()) / (x.max() - x.min()) per row, a
// constant row 0 (notebook_ref.py's image_minmax); the same float64
// operations, so equal to the last bit, checked to 1e-15.
func TestImageMinMaxMatchesNumPy(t *testing.T) {
	d, ref := loadNotebookRef(t)
	buf := make([]float64, d.Dim)
	for i := 0; i < d.N(); i++ {
		ImageMinMax(buf, d.Row(i))
		for j, want := range ref.ImageMinMax[i] {
			if math.Abs(buf[j]-want) > 1e-15 {
				t.Fatalf("row %d pixel %d: %v, NumPy %v", i, j, buf[j], want)
			}
		}
	}
	// The sweep's shared stage holds the same values as float32, for the
	// selected rows.
	cfg := mustConfig(t, "grid: {components: [2], clusters: [2], folds: 2}\ndata: {scale: image}\n")
	sw, err := NewSweep(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := sw.scaling(context.Background(), sw.variant(sw.Cells[0]), 0)
	if err != nil {
		t.Fatal(err)
	}
	for k, r := range fs.train {
		got := fs.x[fs.xtrain[k]*d.Dim : (fs.xtrain[k]+1)*d.Dim]
		for j, want := range ref.ImageMinMax[r] {
			if got[j] != float32(want) {
				t.Fatalf("stage row %d pixel %d: %v, want float32(%v)", r, j, got[j], want)
			}
		}
	}
	for _, off := range fs.offset {
		if off != 0 {
			t.Fatal("image scaling left a per-pixel offset")
		}
	}
}

// On images that are not contrast-stretched (the fixture's span random
// sub-ranges of 0..255), per-image and per-pixel min-max give different
// data and different cells; on stretched images (every image spans 0..255,
// as in the JPEG release of FER2013) per-image min-max is x/255.
func TestImageScaleDiffersFromPixelScale(t *testing.T) {
	d, _ := loadNotebookRef(t)
	cfg := mustConfig(t, "grid: {reducer: [pca], components: [2], clusters: [3], data.scale: [minmax, image]}\nkmeans: {n_init: 2}\n")
	sw, err := NewSweep(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sw.Run(context.Background(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	fsPixel, err := sw.scaling(context.Background(), sw.variant(res[0].Cell), 0)
	if err != nil {
		t.Fatal(err)
	}
	fsImage, err := sw.scaling(context.Background(), sw.variant(res[1].Cell), 0)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for k, r := range fsPixel.train {
		a := fsImage.x[fsImage.xtrain[k]*d.Dim:]
		for j, x := range d.Row(r) {
			per := (float64(x) - fsPixel.offset[j]) * fsPixel.scale[j]
			worst = max(worst, math.Abs(per-float64(a[j])))
		}
	}
	if worst < 0.2 {
		t.Errorf("per-pixel and per-image min-max differ by at most %v on unstretched images", worst)
	}
	if res[0].Silhouette == res[1].Silhouette || res[0].Inertia == res[1].Inertia {
		t.Errorf("minmax and image give the same cell: silhouette %v, inertia %v", res[0].Silhouette, res[0].Inertia)
	}
	stretched := []float32{0, 17, 255, 128}
	buf := make([]float64, 4)
	ImageMinMax(buf, stretched)
	for j, x := range stretched {
		if math.Abs(buf[j]-float64(x)/255) > 1e-15 {
			t.Errorf("stretched image: pixel %d scaled to %v, want %v", j, buf[j], float64(x)/255)
		}
	}
}

// A hold-out split: one fold, training and held-out rows disjoint and
// covering the selection, the held-out share as asked (per class when
// stratified), identical images on one side, and a new split per seed.
func TestHoldoutSplit(t *testing.T) {
	d := dupData(t, handDups(), 3)
	for _, tc := range []struct {
		name     string
		stratify string
		frac     float64
	}{{"stratified", "", 0.25}, {"unstratified", ", holdout_stratify: false", 0.25}, {"small", ", holdout_stratify: false", 0.1}} {
		t.Run(tc.name, func(t *testing.T) {
			y := "seed: 4\ngrid: {components: [2], clusters: [2], holdout: " + strconv.FormatFloat(tc.frac, 'g', -1, 64) + tc.stratify + "}\n"
			cfg := mustConfig(t, y)
			sel, err := Select(d, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			tr, te := sel.Train(0), sel.Test(0)
			if !sel.Split() || sel.Folds != 1 || len(tr)+len(te) != len(sel.Rows) {
				t.Fatalf("split %v folds %d: %d + %d rows of %d", sel.Split(), sel.Folds, len(tr), len(te), len(sel.Rows))
			}
			all := slices.Sorted(slices.Values(append(slices.Clone(tr), te...)))
			if !slices.Equal(all, slices.Sorted(slices.Values(sel.Rows))) {
				t.Fatal("training and held-out rows do not partition the selection")
			}
			if s := splitCopies(d, sel); len(s) > 0 {
				t.Errorf("%d images have copies on both sides, e.g. %v", len(s), s[0])
			}
			// Targets: ceil(frac*n) held out, per class when stratified; a
			// group of copies that does not fit goes to training, so the
			// held-out side never passes its target.
			count := func(rows []int) map[int]int {
				m := map[int]int{}
				for _, r := range rows {
					m[d.Labels[r]]++
				}
				return m
			}
			n, held := count(sel.Rows), count(te)
			if tc.stratify == "" {
				for l, k := range n {
					if want := int(math.Ceil(tc.frac * float64(k))); held[l] > want || held[l] < want-3 {
						t.Errorf("class %d: %d of %d held out, want about %d", l, held[l], k, want)
					}
				}
			} else if want := int(math.Ceil(tc.frac * float64(len(sel.Rows)))); len(te) > want || len(te) < want-3 {
				t.Errorf("%d of %d held out, want about %d", len(te), len(sel.Rows), want)
			}
			cfg.Seed = 5
			other, err := Select(d, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Equal(slices.Sorted(slices.Values(other.Test(0))), slices.Sorted(slices.Values(te))) {
				t.Error("seeds 4 and 5 hold out the same rows")
			}
		})
	}
	// Without copies the targets are met exactly.
	syn := synthetic(t, []int{20, 12, 15, 9}, 0)
	for _, strat := range []bool{true, false} {
		cfg := mustConfig(t, "grid: {components: [2], clusters: [2], holdout: 0.1, holdout_stratify: "+strconv.FormatBool(strat)+"}\n")
		sel, err := Select(syn, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := 7 // ceil(0.1*56) = 6 unstratified; 2+2+2+1 stratified
		if !strat {
			want = 6
		}
		if n := len(sel.Test(0)); n != want {
			t.Errorf("stratify %v: %d held out, want %d", strat, n, want)
		}
	}
	// Too small a fraction of too few rows holds out nothing: an error
	// naming the field.
	cfg := mustConfig(t, "grid: {components: [2], clusters: [2], holdout: 0.5}\ndata: {balance: 2}\n")
	few := dupData(t, []dupRow{{0, 1, "Training"}, {0, 1, "Training"}, {1, 1, "Training"}, {1, 1, "Training"}}, 0)
	if _, err := Select(few, &cfg); err == nil || !strings.Contains(err.Error(), "grid.holdout:") {
		t.Errorf("four copies of one image: error %v, want one naming grid.holdout", err)
	}
}

// With a hold-out, a cell is fold 0, fitted on the training rows and
// labelling the held-out rows; silhouette.rows picks the rows scored:
// test, train or all (training rows first), each the exact silhouette of
// those rows' embedding under the cell's labels.
func TestSilhouetteRows(t *testing.T) {
	d := synthetic(t, []int{20, 12, 15, 9}, 0)
	base := "seed: 3\ndata: {balance: min}\ngrid: {reducer: [pca], components: [2], clusters: [3], holdout: 0.2}\nkmeans: {n_init: 2}\n"
	var got [3]float64
	for i, rows := range []string{"test", "train", "all"} {
		sw, err := NewSweep(mustConfig(t, base+"silhouette: {rows: "+rows+"}\n"), d)
		if err != nil {
			t.Fatal(err)
		}
		if len(sw.Cells) != 1 || sw.Cells[0].Fold != 0 {
			t.Fatalf("cells %v, want one at fold 0", sw.Cells)
		}
		r, err := sw.RunCell(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.TrainRows) == 0 || len(r.TestRows) == 0 || len(r.TestLabels) != len(r.TestRows) || slices.Equal(r.TrainRows, r.TestRows) {
			t.Fatalf("%s: %d training and %d held-out rows", rows, len(r.TrainRows), len(r.TestRows))
		}
		e, err := sw.reduction(context.Background(), sw.variant(r.Cell), 0, "pca")
		if err != nil {
			t.Fatal(err)
		}
		xtr, xte := leading(e.Train, e.Dim, 2), leading(e.Test, e.Dim, 2)
		x, labels := map[string][]float64{"test": xte, "train": xtr, "all": append(slices.Clone(xtr), xte...)}[rows],
			map[string][]int{"test": r.TestLabels, "train": r.TrainLabels, "all": append(slices.Clone(r.TrainLabels), r.TestLabels...)}[rows]
		want, err := metrics.Silhouette(x, 2, labels)
		if err != nil {
			t.Fatal(err)
		}
		// The batch sums distances in another order than metrics.Silhouette.
		if math.Abs(r.Silhouette-want) > 1e-12 {
			t.Errorf("rows %s: silhouette %v, want %v", rows, r.Silhouette, want)
		}
		got[i] = r.Silhouette
	}
	if got[0] == got[1] || got[1] == got[2] || got[0] == got[2] {
		t.Errorf("test, train and all rows score %v", got)
	}
}

// kmeans.init random runs kmeans.Fit with InitRandom on the cell's
// training embedding and its own stream: the same result as calling it.
func TestKMeansInitRandomCell(t *testing.T) {
	d := synthetic(t, []int{20, 12, 15, 9}, 0)
	sw, err := NewSweep(mustConfig(t, "seed: 3\ngrid: {reducer: [svd], components: [3], clusters: [4]}\nkmeans: {n_init: 3, init: random}\n"), d)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sw.RunCell(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := sw.reduction(context.Background(), sw.variant(r.Cell), 0, "svd")
	if err != nil {
		t.Fatal(err)
	}
	want, err := kmeans.Fit(leading(e.Train, e.Dim, 3), 3, kmeans.Options{K: 4, NInit: 3, MaxIter: 300, Tol: 1e-4, Init: kmeans.InitRandom},
		streamRand(3, r.classicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if r.Inertia != want.Inertia || !slices.Equal(r.TrainLabels, want.Labels) {
		t.Errorf("cell inertia %v, kmeans.Fit with InitRandom %v", r.Inertia, want.Inertia)
	}
}
