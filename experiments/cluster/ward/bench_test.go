package ward

import (
	"math/rand/v2"
	"testing"
)

// feLike returns n rows in dim dimensions from 7 overlapping gaussian groups
// with spread falling with the dimension, like PCA scores of face images.
func feLike(rng *rand.Rand, n, dim int) []float64 {
	centres := make([]float64, 7*dim)
	for i := range centres {
		centres[i] = rng.NormFloat64() * 3
	}
	x := make([]float64, n*dim)
	for i := range n {
		g := rng.IntN(7)
		for j := range dim {
			x[i*dim+j] = (centres[g*dim+j] + rng.NormFloat64()*3) / float64(j+1)
		}
	}
	return x
}

// BenchmarkWard3063 is one balanced FER2013 sweep cell: the hierarchy and
// the cuts for the 11 values of k of the seed grid (target: 60 ms).
func BenchmarkWard3063(b *testing.B) {
	for _, dim := range []int{2, 5} {
		b.Run("dim"+string(rune('0'+dim)), func(b *testing.B) { benchWard(b, 3063, dim) })
	}
}

// BenchmarkWard35887 is all of FER2013 (target: 15 s on one core).
func BenchmarkWard35887(b *testing.B) {
	if testing.Short() {
		b.Skip("35,887 rows take seconds")
	}
	benchWard(b, 35887, 5)
}

func benchWard(b *testing.B, n, dim int) {
	x := feLike(rand.New(rand.NewPCG(1, 2)), n, dim)
	b.ReportAllocs()
	for b.Loop() {
		tree, err := Build(x, dim)
		if err != nil {
			b.Fatal(err)
		}
		for k := 2; k <= 12; k++ {
			if _, err := tree.Cut(k); err != nil {
				b.Fatal(err)
			}
		}
	}
}
