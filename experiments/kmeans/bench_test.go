package kmeans

import (
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
