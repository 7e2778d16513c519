package gmm

import (
	"math/rand/v2"
	"testing"

	"sweep/experiments/kmeans"
)

// benchData returns n rows in 5 dimensions from 7 overlapping gaussian
// groups with spread falling with the dimension, like PCA scores.
func benchData(n int) []float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	centres := make([]float64, 7*5)
	for i := range centres {
		centres[i] = rng.NormFloat64() * 3
	}
	x := make([]float64, n*5)
	for i := range n {
		g := rng.IntN(7)
		for j := range 5 {
			x[i*5+j] = (centres[g*5+j] + rng.NormFloat64()*3) / float64(j+1)
		}
	}
	return x
}

// BenchmarkGMMFull3063 fits one balanced FER2013 cell (k=7, n_init 10);
// compare with BenchmarkKMeans3063 below (target: at most 4x).
func BenchmarkGMMFull3063(b *testing.B) {
	for _, c := range []Covariance{Full, Diag} {
		b.Run(string(c), func(b *testing.B) {
			x := benchData(3063)
			src := rand.NewPCG(3, 4)
			rng := rand.New(src)
			b.ReportAllocs()
			for b.Loop() {
				src.Seed(3, 4)
				if _, err := Fit(x, 5, Options{K: 7, Covariance: c, NInit: 10}, rng); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkKMeans3063 is the k-means fit at the same n_init, for the ratio.
func BenchmarkKMeans3063(b *testing.B) {
	x := benchData(3063)
	src := rand.NewPCG(3, 4)
	rng := rand.New(src)
	b.ReportAllocs()
	for b.Loop() {
		src.Seed(3, 4)
		if _, err := kmeans.Fit(x, 5, kmeans.Options{K: 7, NInit: 10}, rng); err != nil {
			b.Fatal(err)
		}
	}
}
