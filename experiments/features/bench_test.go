package features

import (
	"math/rand/v2"
	"testing"
)

// FER2013 has 35,887 images of 48x48 pixels. The targets of issue 14 (HOG
// of all of them in 1.0 s on 2 cores, LBP in 0.6 s) are 55.7 µs and
// 33.4 µs per image on one core; the benchmarks report ns/op per image and
// the extrapolated "s/fer2013-2cores" (ns/op * 35887 / 2), and the CPU
// time per image (cpu-ns/op), which a loaded machine does not inflate.
const ferImages = 35887

// benchImages returns n seeded FER-like 48x48 images: a shading ramp,
// blobs and noise, rounded to integers 0..255 like FER2013's pixels.
func benchImages(n int) [][]float32 {
	rng := rand.New(rand.NewPCG(14, 48))
	out := make([][]float32, n)
	for k := range out {
		img := make([]float32, 48*48)
		base, slope := 40+80*rng.Float64(), rng.Float64()*2-1
		for r := range 48 {
			for c := range 48 {
				v := base + slope*float64(r+c) + 60*rng.NormFloat64()*0.2
				if (r-16)*(r-16)+(c-24)*(c-24) < 60 {
					v += 70
				}
				img[r*48+c] = float32(min(255, max(0, int(v+0.5))))
			}
		}
		out[k] = img
	}
	return out
}

func benchExtract(b *testing.B, name string) { benchExtractor(b, name, nil) }

func benchExtractor(b *testing.B, name string, setup func(Extractor)) {
	e, err := New(name, DefaultParams(), 48, 48)
	if err != nil {
		b.Fatal(err)
	}
	if setup != nil {
		setup(e)
	}
	imgs := benchImages(64)
	dst := make([]float32, e.Dim())
	b.ReportAllocs()
	i := 0
	cpu0, ok := cpuSeconds()
	for b.Loop() {
		e.Extract(dst, imgs[i%len(imgs)])
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)*ferImages/2/1e9, "s/fer2013-2cores")
	if cpu1, ok1 := cpuSeconds(); ok && ok1 {
		b.ReportMetric((cpu1-cpu0)*1e9/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkHOG48 is one 48x48 image with the default parameters
// (900 features).
func BenchmarkHOG48(b *testing.B) { benchExtract(b, HOG) }

// BenchmarkLBP48 is one 48x48 image with the default parameters
// (4x4 cells of 10 bins).
func BenchmarkLBP48(b *testing.B) { benchExtract(b, LBP) }

// BenchmarkLBP48Rows and BenchmarkLBP48Plain are BenchmarkLBP48 through
// the general kernels that the fused P=8, R=1 kernel (lbp8Run) stands in
// for: the row-wise one (lbpRows) and the per-pixel reference (lbp), so
// that one run compares them under the same load.
func BenchmarkLBP48Rows(b *testing.B) {
	benchExtractor(b, LBP, func(e Extractor) { e.(*LBPExtractor).fused = nil })
}

func BenchmarkLBP48Plain(b *testing.B) {
	benchExtractor(b, LBP, func(e Extractor) { e.(*LBPExtractor).fused, e.(*LBPExtractor).rows = nil, nil })
}
