package metrics

import (
	"math/rand/v2"
	"testing"
)

// benchChooseK is the size of the choose-k benchmarks: about a held-out fold
// of FER2013 balanced to 3,000 rows.
const benchChooseK = 3000

// benchInternal scores one k-means labeling (k = 7) of benchChooseK points.
func benchInternal(b *testing.B, f func([]float64, int, []int) (float64, error)) {
	rng := rand.New(rand.NewPCG(4, benchChooseK))
	x := blobPoints(rng, benchChooseK, benchDim)
	labels := kmeansLabels(rng, x, benchDim, 7)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f(x, benchDim, labels); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCalinskiHarabasz3000(b *testing.B) { benchInternal(b, CalinskiHarabasz) }
func BenchmarkDaviesBouldin3000(b *testing.B)    { benchInternal(b, DaviesBouldin) }

// BenchmarkAdjustedMutualInfo3000 compares 7 classes with 15 clusters, the
// sweep's largest k; the expected mutual information dominates.
func BenchmarkAdjustedMutualInfo3000(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, benchChooseK))
	truth := make([]int, benchChooseK)
	pred := make([]int, benchChooseK)
	for i := range truth {
		truth[i] = rng.IntN(7)
		pred[i] = rng.IntN(15)
	}
	b.ReportAllocs()
	for b.Loop() {
		AdjustedMutualInfo(truth, pred)
	}
}

// BenchmarkAdjustedMutualInfo35887 is the same on all of FER2013's rows.
func BenchmarkAdjustedMutualInfo35887(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 35887))
	truth := make([]int, 35887)
	pred := make([]int, 35887)
	for i := range truth {
		truth[i] = rng.IntN(7)
		pred[i] = rng.IntN(15)
	}
	b.ReportAllocs()
	for b.Loop() {
		AdjustedMutualInfo(truth, pred)
	}
}

// BenchmarkGapReference3000 draws the default 10 reference sets.
func BenchmarkGapReference3000(b *testing.B) {
	rng := rand.New(rand.NewPCG(6, benchChooseK))
	x := blobPoints(rng, benchChooseK, benchDim)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GapReference(x, benchDim, 10, rng); err != nil {
			b.Fatal(err)
		}
	}
}
