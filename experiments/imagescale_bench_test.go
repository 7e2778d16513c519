package experiments

import (
	"context"
	"math/rand/v2"
	"testing"

	"sweep/experiments/dataset"
)

// benchImageData is n seeded 48x48 images of whole grey levels, each in a
// random sub-range of 0..255 (not contrast-stretched).
func benchImageData(n int) *dataset.Dataset {
	const dim = 48 * 48
	rng := rand.New(rand.NewPCG(19, 19))
	d := &dataset.Dataset{Name: "bench", Dim: dim, Side: 48, Pixels: make([]float32, n*dim),
		Labels: make([]int, n), Usage: make([]dataset.Usage, n), Line: make([]int, n), HasLabels: true}
	for i := range n {
		lo := rng.IntN(128)
		for j := range dim {
			d.Pixels[i*dim+j] = float32(lo + rng.IntN(128))
		}
		d.Labels[i] = i % 7
		d.Line[i] = i + 2
	}
	return d
}

// BenchmarkImageScaleStage times data.scale image's shared stage on the
// seed study's 3,829 rows (547 per class): one float32 copy of the rows,
// each min-max scaled over its own pixels. Compare the per-pixel scaling
// stage (BenchmarkPixelScaleStage), which computes column statistics only.
func BenchmarkImageScaleStage(b *testing.B) { benchScaleStage(b, "image") }

// BenchmarkPixelScaleStage times data.scale minmax's scaling of the same
// rows.
func BenchmarkPixelScaleStage(b *testing.B) { benchScaleStage(b, "minmax") }

func benchScaleStage(b *testing.B, scale string) {
	d := benchImageData(3829)
	cfg, err := ParseConfig([]byte("grid: {components: [2], clusters: [7]}\ndata: {scale: "+scale+"}\n"), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		sw, err := NewSweep(cfg, d)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := sw.scaling(context.Background(), sw.variant(sw.Cells[0]), 0); err != nil {
			b.Fatal(err)
		}
	}
}
