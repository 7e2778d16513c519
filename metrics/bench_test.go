package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// benchDim is the embedding dimension of the benchmarks (the sweep reduces to
// 2-5 components).
const benchDim = 5

// blobPoints returns n seeded points of dimension dim scattered (normal, sd
// 0.3) around ten centres drawn uniformly from [-1, 1]^dim.
func blobPoints(rng *rand.Rand, n, dim int) []float64 {
	const blobs, sd = 10, 0.3
	centres := make([]float64, blobs*dim)
	for i := range centres {
		centres[i] = 2*rng.Float64() - 1
	}
	x := make([]float64, n*dim)
	for i := range n {
		c := rng.IntN(blobs)
		for d := range dim {
			x[i*dim+d] = centres[c*dim+d] + sd*rng.NormFloat64()
		}
	}
	return x
}

// lloydIters is the number of k-means iterations used to make benchmark
// labelings: enough for the partitions to look like converged k-means results
// without making the benchmark setup slow.
const lloydIters = 10

// kmeansLabels returns a k-means partition of x: k centres drawn from the
// points, then lloydIters Lloyd iterations (an empty cluster keeps its
// centre). The sweep scores labelings of this kind.
func kmeansLabels(rng *rand.Rand, x []float64, dim, k int) []int {
	n := len(x) / dim
	centres := make([]float64, 0, k*dim)
	for _, p := range rng.Perm(n)[:k] {
		centres = append(centres, x[p*dim:(p+1)*dim]...)
	}
	labels := make([]int, n)
	sum := make([]float64, k*dim)
	count := make([]int, k)
	for it := 0; ; it++ {
		for i := range n {
			best := math.Inf(1)
			for c := range k {
				var d2 float64
				for d := range dim {
					u := x[i*dim+d] - centres[c*dim+d]
					d2 += u * u
				}
				if d2 < best {
					best, labels[i] = d2, c
				}
			}
		}
		if it == lloydIters {
			return labels
		}
		clear(sum)
		clear(count)
		for i, c := range labels {
			count[c]++
			for d := range dim {
				sum[c*dim+d] += x[i*dim+d]
			}
		}
		for c := range k {
			if count[c] > 0 {
				for d := range dim {
					centres[c*dim+d] = sum[c*dim+d] / float64(count[c])
				}
			}
		}
	}
}

// benchSilhouette scores one k-means labeling with k clusters of n points.
func benchSilhouette(b *testing.B, n, k int) {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	x := blobPoints(rng, n, benchDim)
	labels := kmeansLabels(rng, x, benchDim, k)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Silhouette(x, benchDim, labels); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSilhouetteBatch scores the sweep's 11 labelings, k = 5..15, of one
// embedding. With random set, the labelings are uniformly random instead of
// k-means partitions: nearly every point then has its own tuple of labels,
// the worst case for SilhouetteBatch.
func benchSilhouetteBatch(b *testing.B, n int, random bool) {
	rng := rand.New(rand.NewPCG(2, uint64(n)))
	x := blobPoints(rng, n, benchDim)
	var labelings [][]int
	for k := 5; k <= 15; k++ {
		if random {
			labels := make([]int, n)
			for i := range labels {
				labels[i] = rng.IntN(k)
			}
			labelings = append(labelings, labels)
		} else {
			labelings = append(labelings, kmeansLabels(rng, x, benchDim, k))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SilhouetteBatch(x, benchDim, labelings); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSilhouette3829(b *testing.B)  { benchSilhouette(b, 3829, 7) }
func BenchmarkSilhouette35887(b *testing.B) { benchSilhouette(b, 35887, 7) }

func BenchmarkSilhouetteBatch3829(b *testing.B)  { benchSilhouetteBatch(b, 3829, false) }
func BenchmarkSilhouetteBatch35887(b *testing.B) { benchSilhouetteBatch(b, 35887, false) }

func BenchmarkSilhouetteBatchRandomLabels3829(b *testing.B) { benchSilhouetteBatch(b, 3829, true) }

func benchCompare(b *testing.B, n int, f func(truth, pred []int) float64) {
	rng := rand.New(rand.NewPCG(3, uint64(n)))
	truth := make([]int, n)
	pred := make([]int, n)
	for i := range truth {
		truth[i] = rng.IntN(7)
		pred[i] = rng.IntN(15)
	}
	b.ReportAllocs()
	for b.Loop() {
		f(truth, pred)
	}
}

func BenchmarkAdjustedRandIndex35887(b *testing.B)    { benchCompare(b, 35887, AdjustedRandIndex) }
func BenchmarkNormalizedMutualInfo35887(b *testing.B) { benchCompare(b, 35887, NormalizedMutualInfo) }
