package experiments

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"

	"sweep/experiments/dataset"
)

// With every component kept, the explained-variance ratios of both
// reducers sum to 1 (the components span the whole space), the
// cumulative column is their running sum, and variance.csv holds one row
// per component of every (fold, reducer).
func TestExplainedVarianceSumsToOne(t *testing.T) {
	cfg := mustConfig(t, `
seed: 3
data: {scale: minmax}
grid: {reducer: [pca, svd], components: [64], clusters: [5], folds: 2}
`)
	s, err := NewSweep(cfg, blobs(t, 40))
	if err != nil {
		t.Fatal(err)
	}
	rows, notes, err := s.ExplainedVariance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2*2*64 {
		t.Fatalf("%d rows, want %d", len(rows), 2*2*64)
	}
	for _, n := range notes {
		t.Errorf("unexpected note: %s", n)
	}
	for i := 0; i < len(rows); i += 64 {
		var sum float64
		for _, r := range rows[i : i+64] {
			sum += r.Ratio
			if math.Abs(r.Cumulative-sum) > 1e-15 {
				t.Errorf("%s fold %d component %d: cumulative %v, running sum %v", r.Reducer, r.Fold, r.Component, r.Cumulative, sum)
			}
			if !r.Converged {
				t.Errorf("%s fold %d: not converged", r.Reducer, r.Fold)
			}
		}
		// The ratios sum to 1 up to rounding of 64 terms.
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("%s fold %d: ratios sum to %.15g, want 1", rows[i].Reducer, rows[i].Fold, sum)
		}
	}
	header, table := VarianceTable(s, rows)
	recs := append([][]string{header}, table...)
	want := []string{"fold", "reducer", "component", "singular_value", "explained_variance", "explained_variance_ratio", "cumulative_ratio", "iterations", "converged"}
	if len(recs) != len(rows)+1 || len(recs[0]) != len(want) {
		t.Fatalf("variance.csv: %d records of %d columns, want %d of %d", len(recs), len(recs[0]), len(rows)+1, len(want))
	}
	for i, c := range want {
		if recs[0][i] != c {
			t.Errorf("column %d is %q, want %q", i, recs[0][i], c)
		}
	}
}

// The explained-variance ratios equal scikit-learn 1.2.1's
// PCA(svd_solver='full') and TruncatedSVD explained_variance_ratio_ on the
// FER2013 folds (testdata/sklearn_fer2013.json, written by
// testdata/sklearn_fer2013.py) to 1e-6.
func TestFER2013ExplainedVariance(t *testing.T) {
	path := ferPath(t)
	ref, _ := loadSklearnFERRatios(t)
	d, err := dataset.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := mustConfig(t, `
seed: 1
data: {balance: min, scale: minmax}
grid: {reducer: [pca, svd], components: [2, 5], clusters: [5], folds: 5}
`)
	s, err := NewSweep(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	rows, notes, err := s.ExplainedVariance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) > 0 {
		t.Errorf("notes: %q", notes)
	}
	got := map[[2]any][]float64{}
	for _, r := range rows {
		k := [2]any{r.Reducer, r.Fold}
		got[k] = append(got[k], r.Ratio)
	}
	n, worst := 0, 0.0
	for _, c := range ref {
		if c.Components != 5 || c.Clusters != 5 {
			continue
		}
		g := got[[2]any{c.Reducer, c.Fold}]
		if len(g) != len(c.Ratio) {
			t.Fatalf("%s fold %d: %d ratios, scikit-learn %d", c.Reducer, c.Fold, len(g), len(c.Ratio))
		}
		for i, want := range c.Ratio {
			worst = max(worst, math.Abs(g[i]-want))
			if math.Abs(g[i]-want) > 1e-6 {
				t.Errorf("%s fold %d component %d: ratio %.12g, scikit-learn %.12g", c.Reducer, c.Fold, i+1, g[i], want)
			}
		}
		n++
	}
	t.Logf("largest difference from scikit-learn's ratios: %.3g", worst)
	if n != 10 {
		t.Errorf("compared %d (reducer, fold) pairs, want 10", n)
	}
}

// skRatios is the part of a reference cell with the explained-variance
// ratios.
type skRatios struct {
	Reducer    string    `json:"reducer"`
	Components int       `json:"components"`
	Clusters   int       `json:"clusters"`
	Fold       int       `json:"fold"`
	Ratio      []float64 `json:"explained_variance_ratio"`
}

func loadSklearnFERRatios(t *testing.T) ([]skRatios, int) {
	t.Helper()
	b, err := os.ReadFile("testdata/sklearn_fer2013.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Selected int        `json:"selected_rows"`
		Cells    []skRatios `json:"cells"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Cells, ref.Selected
}
