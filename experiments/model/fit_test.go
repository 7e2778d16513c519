package model

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"sweep/experiments"
	"sweep/experiments/dataset"
)

// synthetic returns n 8x8 images of each of three classes, each class
// bright in its own quadrant over noise, so that three clusters find them.
func synthetic(n int) *dataset.Dataset {
	const side = 8
	rng := rand.New(rand.NewPCG(1, 2))
	d := &dataset.Dataset{Name: "synthetic", Side: side, Dim: side * side, HasLabels: true}
	for c := range 3 {
		for range n {
			for y := range side {
				for x := range side {
					v := 40 + rng.IntN(30)
					if (y/4)*2+x/4 == c {
						v += 150
					}
					d.Pixels = append(d.Pixels, float32(v))
				}
			}
			d.Labels = append(d.Labels, c)
			d.Usage = append(d.Usage, dataset.Training)
			d.Line = append(d.Line, len(d.Line)+1)
		}
	}
	return d
}

// TestFitNearest: each cluster keeps at most NearestPerCluster training
// images, nearest first, and Predict puts each back in its cluster at the
// distance stored with it (the two compute it by the same arithmetic, to
// rounding: 1e-9).
func TestFitNearest(t *testing.T) {
	d := synthetic(10)
	cfg, err := experiments.ParseConfig([]byte("name: t\nseed: 3\ngrid:\n  reducer: [pca]\n  components: [2]\n  clusters: [3]\n  folds: 1\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Fit(context.Background(), cfg, d, "pca-2-3")
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != Version || len(m.Nearest) != 3 {
		t.Fatalf("version %d, %d exemplar lists; want %d and 3", m.Version, len(m.Nearest), Version)
	}
	for c, ex := range m.Nearest {
		if len(ex) != NearestPerCluster {
			t.Errorf("cluster %d: %d exemplars, want %d (each cluster has 10 rows)", c, len(ex), NearestPerCluster)
		}
		img := &dataset.Dataset{Name: "exemplars", Side: m.Side, Dim: m.Side * m.Side}
		for i, e := range ex {
			if i > 0 && e.Distance < ex[i-1].Distance {
				t.Errorf("cluster %d: exemplar %d at %g is nearer than exemplar %d at %g", c, i, e.Distance, i-1, ex[i-1].Distance)
			}
			if want := d.Row(e.Line - 1); float32(e.Pixels[0]) != want[0] || float32(e.Pixels[63]) != want[63] || e.Label != d.Labels[e.Line-1] {
				t.Errorf("cluster %d: exemplar %d is not row %d of the data", c, i, e.Line-1)
			}
			for _, v := range e.Pixels {
				img.Pixels = append(img.Pixels, float32(v))
			}
			img.Labels = append(img.Labels, -1)
		}
		preds, err := m.Predict(img)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range preds {
			if p.Cluster != c || math.Abs(p.Distance-ex[i].Distance) > 1e-9 {
				t.Errorf("cluster %d, exemplar %d: predicted cluster %d at %g, stored at %g", c, i, p.Cluster, p.Distance, ex[i].Distance)
			}
		}
	}
}
