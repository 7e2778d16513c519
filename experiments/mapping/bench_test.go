package mapping

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkHungarian15x15 is the largest one-to-one problem of a sweep
// (15 clusters) made square.
func BenchmarkHungarian15x15(b *testing.B) { benchHungarian(b, 15, 15) }

// BenchmarkHungarian7x15 is OneToOne's problem for FER2013's 7 classes.
func BenchmarkHungarian7x15(b *testing.B) { benchHungarian(b, 7, 15) }

// benchHungarian solves a rows×cols problem with integer costs uniform in
// [0, 1000).
func benchHungarian(b *testing.B, rows, cols int) {
	rng := rand.New(rand.NewPCG(1, 2))
	cost := randomCost(rows, cols, func() float64 { return float64(rng.IntN(1000)) })
	b.ReportAllocs()
	for b.Loop() {
		Hungarian(cost)
	}
}

// BenchmarkOneToOne35887 maps 15 clusters to the 7 FER2013 classes over all
// 35,887 rows, tie rule included.
func BenchmarkOneToOne35887(b *testing.B) { benchOneToOne(b, 35887, 15, 7) }

// BenchmarkMajority35887 is Majority on the same rows.
func BenchmarkMajority35887(b *testing.B) { benchMajority(b, 35887, 15, 7) }

// randomRows returns n rows with uniform clusters in [0, k) and labels in
// [0, classes).
func randomRows(n, k, classes int) (clusters, labels []int) {
	rng := rand.New(rand.NewPCG(3, 4))
	clusters = make([]int, n)
	labels = make([]int, n)
	for i := range clusters {
		clusters[i] = rng.IntN(k)
		labels[i] = rng.IntN(classes)
	}
	return clusters, labels
}

func benchOneToOne(b *testing.B, n, k, classes int) {
	clusters, labels := randomRows(n, k, classes)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OneToOne(clusters, labels, k, classes); err != nil {
			b.Fatal(err)
		}
	}
}

func benchMajority(b *testing.B, n, k, classes int) {
	clusters, labels := randomRows(n, k, classes)
	b.ReportAllocs()
	for b.Loop() {
		Majority(clusters, labels, k, classes)
	}
}
