package experiments

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"sweep/experiments/dataset"
	"sweep/experiments/kmeans"
)

// ferPath returns FER2013_CSV, skipping the test when it is unset and
// failing it when CI is set: CI must run the real-data tests.
func ferPath(t testing.TB) string {
	t.Helper()
	p := os.Getenv("FER2013_CSV")
	if p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but FER2013_CSV (%q) is not a readable file", p)
	}
	t.Skip("FER2013_CSV not set")
	return ""
}

// skCell is one cell of testdata/sklearn_fer2013.json, written by
// testdata/sklearn_fer2013.py with scikit-learn 1.2.1 on the same rows and
// folds as Select produces.
type skCell struct {
	Reducer    string    `json:"reducer"`
	Components int       `json:"components"`
	Clusters   int       `json:"clusters"`
	Fold       int       `json:"fold"`
	Inertia    float64   `json:"inertia"`
	Seeds      []float64 `json:"inertia_seeds"`
	Silhouette float64   `json:"silhouette"`
	Accuracy   float64   `json:"accuracy_majority"`
	Singular   []float64 `json:"singular_values"`
}

func loadSklearnFER(t *testing.T) (cells []skCell, selected int) {
	t.Helper()
	b, err := os.ReadFile("testdata/sklearn_fer2013.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Version  string   `json:"sklearn_version"`
		Selected int      `json:"selected_rows"`
		Cells    []skCell `json:"cells"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference: scikit-learn %s, %d cells", ref.Version, len(ref.Cells))
	return ref.Cells, ref.Selected
}

// TestFER2013AgainstSklearn runs the seed study's pipeline (balanced to
// 547 per class, min-max, 5 folds) on the cells of the scikit-learn
// reference and compares singular values, k-means inertia and the
// PCA-2-7 silhouette.
func TestFER2013AgainstSklearn(t *testing.T) {
	path := ferPath(t)
	ref, selected := loadSklearnFER(t)
	d, err := dataset.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig([]byte(`
name: fer2013-reference
seed: 1
data: {balance: min, scale: minmax}
grid:
  reducer: [pca, svd]
  components: [2, 5]
  clusters: [5, 7, 15]
  folds: 5
`), "reference.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := NewSweep(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Sel.Rows) != selected {
		t.Fatalf("selected %d rows, scikit-learn script %d", len(sw.Sel.Rows), selected)
	}
	results, err := sw.Run(context.Background(), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]*Result{}
	for _, r := range results {
		byKey[r.Key()] = r
	}
	var sil27, skSil27, acc27, skAcc27, ratios []float64
	for _, c := range ref {
		key := Cell{Reducer: c.Reducer, Components: c.Components, Clusters: c.Clusters, Fold: c.Fold}.Key()
		r := byKey[key]
		if r == nil {
			t.Fatalf("no result for %s", key)
		}
		// The project's bound: inertia within 0.5% of scikit-learn's
		// KMeans(n_init=10), or lower. KMeans is itself random: over
		// random_state 0..10 its inertia spreads by up to 3% at k = 15 on
		// these embeddings, so each side's inertia is the median of 11
		// draws: scikit-learn's random_state 0..10, and the sweep's own
		// stream under seeds 1..11 (seed 1 is the sweep's result). Even
		// medians of 11 carry sampling noise: on the identical
		// svd-2-15/fold3 embedding the two implementations' medians over
		// 40 draws are 4352.1 and 4359.0 (0.16% apart), while 5 draws of
		// scikit-learn gave 4332.5. So a cell fails when its median is
		// more than 0.5% above scikit-learn's by more than twice the
		// standard error of the difference of the two medians; and over
		// all cells the geometric mean of the ratios must stay within 0.2%.
		ref := slices.Clone(c.Seeds)
		slices.Sort(ref)
		median := ref[len(ref)/2]
		draws := inertiaDraws(t, sw, r, len(c.Seeds))
		ours := draws[len(draws)/2]
		ratios = append(ratios, ours/median)
		if se := math.Hypot(medianSE(ref), medianSE(draws)); ours/median > 1.005 && ours-median > 2*se {
			t.Errorf("%s: median inertia %.2f over %d draws (the sweep's %.2f) is %.4f x scikit-learn's median %.2f, beyond 2 SE (%.2f) (seeds %v)",
				key, ours, len(c.Seeds), r.Inertia, ours/median, median, 2*se, c.Seeds)
		}
		if c.Components == 5 && c.Clusters == 5 {
			// Same rows, same scaling, exact decompositions on both sides: the
			// singular values agree to float64 rounding of a 3063 x 2304 product.
			e, err := sw.reduction(context.Background(), sw.variant(r.Cell), c.Fold, c.Reducer)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range c.Singular {
				if d := math.Abs(e.Model.Singular[i]-want) / want; d > 1e-9 {
					t.Errorf("%s: singular value %d = %.12g, scikit-learn %.12g", key, i, e.Model.Singular[i], want)
				}
			}
		}
		if c.Reducer == "pca" && c.Components == 2 && c.Clusters == 7 {
			sil27 = append(sil27, r.Silhouette)
			skSil27 = append(skSil27, c.Silhouette)
			acc27 = append(acc27, r.AccMajority)
			skAcc27 = append(skAcc27, c.Accuracy)
		}
	}
	logSum := 0.0
	for _, r := range ratios {
		logSum += math.Log(r)
	}
	t.Logf("median inertia of 11 draws / scikit-learn's median of 11 over %d cells: geometric mean %.5f, worst %.5f", len(ratios), math.Exp(logSum/float64(len(ratios))), slices.Max(ratios))
	if g := math.Exp(logSum / float64(len(ratios))); g > 1.002 {
		t.Errorf("median inertia / scikit-learn's median: geometric mean %.5f over %d cells, above 1.002", g, len(ratios))
	}
	mean, sd, _ := meanSD(sil27)
	skMean, skSD, _ := meanSD(skSil27)
	t.Logf("pca-2-7 silhouette over 5 folds: %.4f ± %.4f (scikit-learn on the same folds %.4f ± %.4f)", mean, sd, skMean, skSD)
	// The seed study reports about 0.33 and scikit-learn 0.340 ± 0.004 on its
	// own balanced sample; on our folds scikit-learn gets skMean. Both
	// k-means runs are local optima, so allow 0.01 (about one fold-to-fold
	// standard deviation).
	if math.Abs(mean-skMean) > 0.01 {
		t.Errorf("pca-2-7 mean silhouette %.4f, scikit-learn %.4f", mean, skMean)
	}
	accMean, accSD, _ := meanSD(acc27)
	skAccMean, skAccSD, _ := meanSD(skAcc27)
	largest, uniform := sw.Baselines(sw.Sel)
	t.Logf("pca-2-7 majority accuracy: %.4f ± %.4f (scikit-learn on the same folds %.4f ± %.4f; baselines %.4f, %.4f)",
		accMean, accSD, skAccMean, skAccSD, largest, uniform)
	// scikit-learn gets 0.169 ± 0.010 on its own sample; a different local
	// optimum moves a few held-out rows, so allow 0.01 (one fold sd).
	if math.Abs(accMean-skAccMean) > 0.01 {
		t.Errorf("pca-2-7 majority accuracy %.4f, scikit-learn %.4f", accMean, skAccMean)
	}
	// Balanced classes: both baselines are 1/7.
	if math.Abs(largest-1.0/7) > 1e-12 || math.Abs(uniform-1.0/7) > 1e-12 {
		t.Errorf("baselines %v %v, want 1/7", largest, uniform)
	}
}

// inertiaDraws returns the k-means inertias of cell r, sorted, over draws
// streams: streamRand(seed, key) for seed 1..draws on the cell's training
// embedding, with the sweep's options. The draw of the sweep's own seed
// must equal its result.
func inertiaDraws(t *testing.T, sw *Sweep, r *Result, draws int) []float64 {
	t.Helper()
	e, err := sw.reduction(context.Background(), sw.variant(r.Cell), r.Fold, r.Reducer)
	if err != nil {
		t.Fatal(err)
	}
	x := leading(e.Train, e.Dim, r.Components)
	var in []float64
	for seed := uint64(1); seed <= uint64(draws); seed++ {
		km, err := kmeans.Fit(x, r.Components, kmeans.Options{K: r.Clusters, NInit: sw.Config.KMeans.NInit,
			MaxIter: sw.Config.KMeans.MaxIter, Tol: sw.Config.KMeans.Tol}, streamRand(seed, r.classicKey()))
		if err != nil {
			t.Fatal(err)
		}
		if seed == sw.Config.Seed && km.Inertia != r.Inertia {
			t.Fatalf("%s: the draw of seed %d gives inertia %v, the sweep %v", r.Key(), seed, km.Inertia, r.Inertia)
		}
		in = append(in, km.Inertia)
	}
	slices.Sort(in)
	return in
}

// medianSE estimates the standard error of the median of the sorted
// sample v: 1.2533 sigma / sqrt(n) for a normal sample (Kendall and
// Stuart), with sigma estimated robustly as the interquartile range /
// 1.349.
func medianSE(v []float64) float64 {
	n := len(v)
	iqr := v[(3*n)/4] - v[n/4]
	return 1.2533 * (iqr / 1.349) / math.Sqrt(float64(n))
}
