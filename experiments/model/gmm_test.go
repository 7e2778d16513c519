package model

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"sweep/experiments"
	"sweep/experiments/dataset"
)

// spread returns 8x8 images of two classes with different spreads (class
// 0 tight, class 1 wide) and sizes (2n and n rows), so that a Gaussian
// mixture's responsibilities and the nearest cluster mean disagree on some
// rows, for every covariance type.
func spread(n int) *dataset.Dataset {
	const side = 8
	rng := rand.New(rand.NewPCG(5, 6))
	d := &dataset.Dataset{Name: "spread", Side: side, Dim: side * side, HasLabels: true}
	for c := range 2 {
		for range n * (2 - c) { // 2n rows of class 0, n of class 1: unequal weights

			for y := range side {
				for x := range side {
					v := 100.0
					if (y/4)*2+x/4 == 0 {
						v += 15 * float64(c)
					}
					v += rng.NormFloat64() * []float64{4, 30}[c]
					d.Pixels = append(d.Pixels, float32(min(max(v, 0), 255)))
				}
			}
			d.Labels = append(d.Labels, c)
			d.Usage = append(d.Usage, dataset.Training)
			d.Line = append(d.Line, len(d.Line)+1)
		}
	}
	return d
}

// TestFitPredictGMM: a gmm cell's model predicts as the sweep labels the
// cell's rows, by the highest responsibility (GaussianMixture.predict), for
// every covariance type, also after Save and Load; on this data that
// differs from the nearest cluster mean on some rows, so a model that
// predicted by the nearest mean would fail.
func TestFitPredictGMM(t *testing.T) {
	d := spread(60)
	for _, cov := range []string{"full", "tied", "diag", "spherical"} {
		t.Run(cov, func(t *testing.T) {
			cfg, err := experiments.ParseConfig([]byte("name: t\nseed: 3\ngrid:\n  reducer: [pca]\n  components: [3]\n  clusters: [2]\n  folds: 1\n  algorithm: [gmm]\ngmm: {covariance: "+cov+", n_init: 3}\n"), "t.yaml")
			if err != nil {
				t.Fatal(err)
			}
			s, err := experiments.NewSweep(cfg, d)
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.RunCell(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			name := s.Cells[0].Name()
			m, err := Fit(context.Background(), cfg, d, name)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "m.json")
			if err := m.Save(path); err != nil {
				t.Fatal(err)
			}
			loaded, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]int, d.N())
			for i, row := range r.TrainRows {
				want[row] = r.TrainLabels[i]
			}
			for _, mm := range []*Model{m, loaded} {
				if !slices.Equal(clusters(t, mm, d), want) {
					t.Fatalf("%s: predictions differ from the sweep's labels", name)
				}
			}
			// The nearest cluster mean disagrees somewhere: the test can fail.
			nearest := *m
			nearest.GMM = nil
			if slices.Equal(clusters(t, &nearest, d), want) {
				t.Errorf("%s: the nearest mean gives the gmm labels on every row; the data cannot tell the two apart", cov)
			}
		})
	}
}

// clusters returns m's cluster for each row of d.
func clusters(t *testing.T, m *Model, d *dataset.Dataset) []int {
	t.Helper()
	p, err := m.Predict(d)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int, len(p))
	for i, q := range p {
		out[i] = q.Cluster
	}
	return out
}
