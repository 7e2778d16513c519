package experiments

import (
	"context"
	"math/rand/v2"
	"testing"

	"sweep/experiments/dataset"
	"sweep/experiments/features"
)

// ferLike returns n seeded FER-like 48x48 images (a shading ramp, a
// bright blob and noise, integers 0..255) as a Dataset, so that the
// features benchmarks run without FER2013.
func ferLike(n int) *dataset.Dataset {
	const side = 48
	rng := rand.New(rand.NewPCG(14, 48))
	d := &dataset.Dataset{Name: "ferlike", Side: side, Dim: side * side, Pixels: make([]float32, n*side*side),
		Labels: make([]int, n), Usage: make([]dataset.Usage, n), Line: make([]int, n)}
	for k := 0; k < n; k++ {
		img := d.Pixels[k*side*side : (k+1)*side*side]
		base, slope := 40+80*rng.Float64(), rng.Float64()*2-1
		cr, cc := 12+rng.IntN(24), 12+rng.IntN(24)
		for r := 0; r < side; r++ {
			for c := 0; c < side; c++ {
				v := base + slope*float64(r+c) + 12*rng.NormFloat64()
				if (r-cr)*(r-cr)+(c-cc)*(c-cc) < 60 {
					v += 70
				}
				img[r*side+c] = float32(min(255, max(0, int(v+0.5))))
			}
		}
		d.Labels[k], d.Line[k] = k%7, k+1
	}
	return d
}

// benchFeatureStage is the features stage on 35,887 FER-sized images
// (FER2013's count) with 2 workers: the targets are 1.0 s wall
// for HOG and 0.6 s for LBP on 2 cores (s/op, one op = all images).
func benchFeatureStage(b *testing.B, name string) {
	d := ferLike(35887)
	b.ReportAllocs()
	cpu0, ok := cpuSeconds()
	for b.Loop() {
		if _, err := ExtractFeatures(context.Background(), name, features.DefaultParams(), d, nil, 2); err != nil {
			b.Fatal(err)
		}
	}
	// CPU seconds of all threads per op: with both cores free, wall is
	// about half of it; a loaded machine inflates wall, not this.
	if cpu1, ok1 := cpuSeconds(); ok && ok1 {
		b.ReportMetric((cpu1-cpu0)/float64(b.N), "cpu-s/op")
	}
}

func BenchmarkFeatureStageHOG(b *testing.B) { benchFeatureStage(b, features.HOG) }
func BenchmarkFeatureStageLBP(b *testing.B) { benchFeatureStage(b, features.LBP) }
