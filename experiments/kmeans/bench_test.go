package kmeans

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkKMeans3063 is the size of one balanced FER2013 sweep cell.
func BenchmarkKMeans3063(b *testing.B)  { benchKMeans(b, 3063, 5, 7, true) }
func BenchmarkKMeans28709(b *testing.B) { benchKMeans(b, 28709, 5, 15, true) }

// The plain-Lloyd variants measure what Hamerly's bounds save.
func BenchmarkKMeansLloyd3063(b *testing.B)  { benchKMeans(b, 3063, 5, 7, false) }
func BenchmarkKMeansLloyd28709(b *testing.B) { benchKMeans(b, 28709, 5, 15, false) }

// benchKMeans fits k clusters with NInit 10 to n points in dim dimensions
// drawn from k overlapping gaussian blobs (centres in [-4, 4]^dim, sd 2).
func benchKMeans(b *testing.B, n, dim, k int, hamerly bool) {
	x, _ := blobs(rand.New(rand.NewPCG(1, 2)), n, dim, k, 4, 2)
	opt := Options{K: k, NInit: 10}
	src := rand.NewPCG(3, 4)
	rng := rand.New(src)
	b.ReportAllocs()
	for b.Loop() {
		src.Seed(3, 4) // the same work in every iteration
		if _, err := fit(x, dim, opt, rng, hamerly); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitGrid fits the k-means cells of one fold and one reducer of
// configs/fer2013.yaml: 3,063 training points (4/5 of 3,829 balanced
// images), 2 to 5 components, 5 to 15 clusters, NInit 10; asm with the
// vector passes where this build and CPU have them, go with the scalar
// passes. The pair measures what the assembly saves on the hot path.
func BenchmarkFitGrid(b *testing.B) {
	for _, c := range []struct {
		name   string
		vector bool
	}{{"asm", true}, {"go", false}} {
		b.Run(c.name, func(b *testing.B) {
			var xs [6][]float64
			for dim := 2; dim <= 5; dim++ {
				xs[dim], _ = blobs(rand.New(rand.NewPCG(1, uint64(dim))), 3063, dim, 10, 4, 2)
			}
			src := rand.NewPCG(3, 4)
			rng := rand.New(src)
			b.ReportAllocs()
			for b.Loop() {
				for dim := 2; dim <= 5; dim++ {
					for k := 5; k <= 15; k++ {
						src.Seed(3, uint64(k))
						opt := Options{K: k, NInit: 10}
						if _, err := fitWith(context.Background(), xs[dim], dim, opt, rng, true, c.vector); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
		})
	}
}

// BenchmarkGapReferenceFits is the gap statistic's work for one (fold,
// embedding) group of configs/fer2013.yaml: 10 uniform reference sets of
// 2,450 points in 3 dimensions, each fitted with one restart at k = 5..15
// through one Points per set, k changing from fit to fit as in gapScores.
func BenchmarkGapReferenceFits(b *testing.B) {
	rng := rand.New(rand.NewPCG(16, 2))
	refs := make([][]float64, 10)
	for i := range refs {
		refs[i] = make([]float64, 2450*3)
		for j := range refs[i] {
			refs[i][j] = rng.Float64()
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, z := range refs {
			p, err := NewPoints(z, 3)
			if err != nil {
				b.Fatal(err)
			}
			for k := 5; k <= 15; k++ {
				if _, err := p.Fit(context.Background(), Options{K: k, NInit: 1}, rand.New(rand.NewPCG(uint64(k), 1))); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
