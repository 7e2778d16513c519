package experiments

import (
	"context"
	"math"
	"testing"

	"sweep/experiments/dataset"
)

// TestFER2013Features runs configs/fer2013-features.yaml on FER2013 (the
// seed grid: 3,829 balanced faces, 5 folds, PCA and SVD 2-5, k 5-15) over
// pixels and HOG, and checks issue 14's claims about HOG against the
// pixels: the best held-out ARI (the largest mean over folds of any cell)
// at least 3 times the pixels', and the best majority accuracy at least
// 0.21. The scikit-image notebook measured 0.022 against 0.004
// and 0.230; the README gives this run's values. LBP, which the issue
// found no better than pixels, is left out to halve the time.
func TestFER2013Features(t *testing.T) {
	path := ferPath(t)
	if testing.Short() {
		t.Skip("1,000 cells of FER2013")
	}
	cfg, err := LoadConfig("../configs/fer2013-features.yaml", "grid.features=[pixels,hog]")
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Open(dataset.Source{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := NewSweep(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sw.Run(context.Background(), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	best := map[string]map[string]float64{}
	for _, s := range Summarize(res) {
		f, _ := s.Cell.Axes.Get(FeaturesAxis)
		if best[f] == nil {
			best[f] = map[string]float64{}
		}
		for _, score := range []string{"ari", "accuracy_majority"} {
			if m := s.Stat(score).Mean; !math.IsNaN(m) && m > best[f][score] {
				best[f][score] = m
			}
		}
	}
	t.Logf("best held-out ARI: pixels %.4f, hog %.4f (%.2fx); best majority accuracy: pixels %.4f, hog %.4f",
		best["pixels"]["ari"], best["hog"]["ari"], best["hog"]["ari"]/best["pixels"]["ari"],
		best["pixels"]["accuracy_majority"], best["hog"]["accuracy_majority"])
	if best["pixels"]["ari"] <= 0 || best["hog"]["ari"] < 3*best["pixels"]["ari"] {
		t.Errorf("HOG's best held-out ARI %.4f is less than 3x the pixels' %.4f", best["hog"]["ari"], best["pixels"]["ari"])
	}
	if best["hog"]["accuracy_majority"] < 0.21 {
		t.Errorf("HOG's best majority accuracy %.4f is below 0.21", best["hog"]["accuracy_majority"])
	}
}
