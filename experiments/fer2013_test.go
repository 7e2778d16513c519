package experiments

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"sweep/experiments/dataset"
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
		// random_state 0..4 its inertia spreads by up to 2.2% at k = 15 on
		// these embeddings, so "scikit-learn's inertia" is the median over
		// those five seeds (one seed alone is a draw, not a reference).
		ref := slices.Clone(c.Seeds)
		slices.Sort(ref)
		median := ref[len(ref)/2]
		ratios = append(ratios, r.Inertia/median)
		if ratio := r.Inertia / median; ratio > 1.005 {
			t.Errorf("%s: inertia %.2f is %.4f x scikit-learn's median %.2f (seeds %v)", key, r.Inertia, ratio, median, c.Seeds)
		}
		if c.Components == 5 && c.Clusters == 5 {
			// Same rows, same scaling, exact decompositions on both sides: the
			// singular values agree to float64 rounding of a 3063 x 2304 product.
			e, err := sw.reduction(context.Background(), sw.variant(r.Cell), c.Fold, c.Reducer)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range c.Singular {
				if d := math.Abs(e.model.Singular[i]-want) / want; d > 1e-9 {
					t.Errorf("%s: singular value %d = %.12g, scikit-learn %.12g", key, i, e.model.Singular[i], want)
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
	t.Logf("inertia / scikit-learn median over %d cells: geometric mean %.5f, worst %.5f", len(ratios), math.Exp(logSum/float64(len(ratios))), slices.Max(ratios))
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
