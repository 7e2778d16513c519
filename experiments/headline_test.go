package experiments

import (
	"math"
	"reflect"
	"testing"
)

// summaryOf builds a summary of cell with the given (mean, sd, n) per
// score; every other score is NaN.
func summaryOf(c Cell, pooled string, stats map[string][3]float64) Summary {
	s := Summary{Cell: c, Pooled: pooled, Stats: make([]Stat, len(scores))}
	for i := range s.Stats {
		s.Stats[i] = Stat{Mean: math.NaN(), SD: math.NaN(), Min: math.NaN()}
	}
	for name, v := range stats {
		s.Stats[mustScore(name)] = Stat{Mean: v[0], SD: v[1], Min: v[0], N: int(v[2])}
	}
	return s
}

func TestHeadline(t *testing.T) {
	a := Cell{Reducer: "pca", Components: 2, Clusters: 5}
	b := Cell{Reducer: "pca", Components: 5, Clusters: 14}
	c := Cell{Reducer: "svd", Components: 5, Clusters: 7}
	seeded := func(x Cell, seed string) Cell {
		x.Axes = Axes{}.With(AxisValue{Key: "seed", Value: seed})
		return x
	}
	tests := []struct {
		name    string
		sum     []Summary
		pooled  string
		winners map[string]Cell   // score -> winner
		close   map[string][]Cell // score -> cells within 2 SE
		labels  map[string]bool
		byComp  []Cell
		notes   int
	}{{
		// Silhouette 0.5 ± 0.1 over 4 folds: SE 0.05, so 0.41 is within
		// 2 SE (0.40) and 0.39 is not.
		name: "unlabelled",
		sum: []Summary{
			summaryOf(a, "", map[string][3]float64{"silhouette": {0.5, 0.1, 4}}),
			summaryOf(b, "", map[string][3]float64{"silhouette": {0.41, 0.01, 4}}),
			summaryOf(c, "", map[string][3]float64{"silhouette": {0.39, 0.01, 4}}),
		},
		winners: map[string]Cell{"silhouette": a},
		close:   map[string][]Cell{"silhouette": {b}},
		labels:  map[string]bool{"silhouette": false},
		byComp:  []Cell{a, b},
		notes:   1,
	}, {
		// The labels pick other cells than the silhouette, and say so.
		name: "labelled",
		sum: []Summary{
			summaryOf(a, "", map[string][3]float64{"silhouette": {0.44, 0.01, 5}, "ari": {0.003, 0.001, 5}, "accuracy_majority": {0.155, 0.01, 5}}),
			summaryOf(b, "", map[string][3]float64{"silhouette": {0.2, 0.01, 5}, "ari": {0.2, 0.02, 5}, "accuracy_majority": {0.539, 0.02, 5}}),
			summaryOf(c, "", map[string][3]float64{"silhouette": {0.25, 0.01, 5}, "ari": {0.19, 0.02, 5}, "accuracy_majority": {0.4, 0.02, 5}}),
		},
		winners: map[string]Cell{"silhouette": a, "ari": b, "accuracy_majority": b},
		close:   map[string][]Cell{"ari": {c}},
		labels:  map[string]bool{"silhouette": false, "ari": true, "accuracy_majority": true},
		byComp:  []Cell{a, c},
		notes:   2,
	}, {
		// One fold: no standard error, nothing is declared close.
		name: "one fold",
		sum: []Summary{
			summaryOf(a, "", map[string][3]float64{"silhouette": {0.5, math.NaN(), 1}}),
			summaryOf(b, "", map[string][3]float64{"silhouette": {0.5, math.NaN(), 1}}),
		},
		winners: map[string]Cell{"silhouette": a},
		labels:  map[string]bool{"silhouette": false},
		byComp:  []Cell{a, b},
		notes:   1,
	}, {
		// With a seed axis the pooled summaries (seeds x folds) rank.
		name: "pooled",
		sum: []Summary{
			summaryOf(seeded(a, "1"), "", map[string][3]float64{"silhouette": {0.9, 0.1, 3}}),
			summaryOf(seeded(b, "1"), "", map[string][3]float64{"silhouette": {0.1, 0.1, 3}}),
			summaryOf(a, "seed", map[string][3]float64{"silhouette": {0.3, 0.1, 6}}),
			summaryOf(b, "seed", map[string][3]float64{"silhouette": {0.4, 0.1, 6}}),
		},
		pooled:  "seed",
		winners: map[string]Cell{"silhouette": b},
		// 0.4 - 2·0.1/√6 = 0.318 > 0.3: a is distinguishable.
		labels: map[string]bool{"silhouette": false},
		byComp: []Cell{a, b},
		notes:  1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHeadline(tt.sum)
			if h.Pooled != tt.pooled {
				t.Errorf("pooled %q, want %q", h.Pooled, tt.pooled)
			}
			if len(h.Winners) != len(tt.winners) {
				t.Fatalf("%d winners, want %d: %+v", len(h.Winners), len(tt.winners), h.Winners)
			}
			for _, w := range h.Winners {
				if w.Cell != tt.winners[w.Score] {
					t.Errorf("%s: winner %s, want %s", w.Score, w.Cell.Name(), tt.winners[w.Score].Name())
				}
				if w.Labels != tt.labels[w.Score] {
					t.Errorf("%s: labels %v, want %v", w.Score, w.Labels, tt.labels[w.Score])
				}
				if !reflect.DeepEqual(w.Close, tt.close[w.Score]) {
					t.Errorf("%s: close %v, want %v", w.Score, w.Close, tt.close[w.Score])
				}
				if want := w.SD / math.Sqrt(float64(w.N)); !(math.Abs(w.SE-want) <= 1e-15) && !(math.IsNaN(w.SE) && math.IsNaN(want)) {
					t.Errorf("%s: SE %v, want %v", w.Score, w.SE, want)
				}
			}
			var by []Cell
			for _, w := range h.SilhouetteByComponents {
				by = append(by, w.Cell)
			}
			if !reflect.DeepEqual(by, tt.byComp) {
				t.Errorf("silhouette by components %v, want %v", by, tt.byComp)
			}
			if len(h.Notes) != tt.notes {
				t.Errorf("%d notes, want %d: %q", len(h.Notes), tt.notes, h.Notes)
			}
		})
	}
}
