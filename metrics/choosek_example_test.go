package metrics_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"sweep/metrics"
)

func ExampleAdjustedMutualInfo() {
	truth := []int{0, 0, 1, 1}
	fmt.Printf("%.4f\n", metrics.AdjustedMutualInfo(truth, []int{0, 0, 1, 2}))
	fmt.Printf("%.4f\n", metrics.AdjustedMutualInfo(truth, []int{5, 5, 3, 3})) // same partition
	fmt.Printf("%.4f\n", metrics.AdjustedMutualInfo(truth, []int{0, 1, 0, 1})) // worse than chance
	// Output:
	// 0.5714
	// 1.0000
	// -0.5000
}

func ExampleCalinskiHarabasz() {
	// Two clusters on a line, {0, 1} and {4, 5}: between-cluster dispersion
	// 16, within 1, CH = (16/1) / (1/2).
	x := []float64{0, 1, 4, 5}
	ch, err := metrics.CalinskiHarabasz(x, 1, []int{0, 0, 1, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", ch)

	// A single cluster has no index.
	_, err = metrics.CalinskiHarabasz(x, 1, []int{0, 0, 0, 0})
	fmt.Println(err)
	// Output:
	// 32.0000
	// calinski-harabasz: number of labels is 1; valid values are 2 to n-1 (inclusive), n = 4
}

func ExampleDaviesBouldin() {
	// Mean distance to the centroid 0.5 in both clusters, centroids 4 apart:
	// DB = (0.5 + 0.5) / 4.
	db, err := metrics.DaviesBouldin([]float64{0, 1, 4, 5}, 1, []int{0, 0, 1, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", db)
	// Output:
	// 0.2500
}

// lloyd1D is a toy ClusterFunc for one-dimensional data: k-means (Lloyd's
// iterations) started from the k quantiles (g+½)/k of the values, returning
// the within-cluster sum of squares. The sweep passes its k-means instead.
func lloyd1D(x []float64, dim, k int, _ *rand.Rand) (float64, error) {
	v := slices.Sorted(slices.Values(x))
	centre := make([]float64, k)
	for g := range centre {
		centre[g] = v[(2*g+1)*len(v)/(2*k)]
	}
	var w float64
	for range 50 {
		sum, count := make([]float64, k), make([]float64, k)
		w = 0
		for _, u := range v {
			best := 0
			for g := range centre {
				if math.Abs(u-centre[g]) < math.Abs(u-centre[best]) {
					best = g
				}
			}
			sum[best] += u
			count[best]++
			w += (u - centre[best]) * (u - centre[best])
		}
		for g := range centre {
			if count[g] > 0 {
				centre[g] = sum[g] / count[g]
			}
		}
	}
	return w, nil
}

func ExampleGapStatistic() {
	// Three tight groups of 20 values around 0, 10 and 40. (With the groups
	// at 0, 10 and 20 instead, two clusters gain about as much on the data
	// as on uniform reference data, and the rule stops at k = 1.)
	rng := rand.New(rand.NewPCG(1, 2))
	var x []float64
	for _, c := range []float64{0, 10, 40} {
		for range 20 {
			x = append(x, c+0.5*rng.NormFloat64())
		}
	}
	refs, err := metrics.GapReference(x, 1, 10, rng)
	if err != nil {
		fmt.Println(err)
		return
	}
	ks := []int{1, 2, 3, 4, 5}
	gap, s, err := metrics.GapStatistic(x, 1, refs, ks, lloyd1D, rng)
	if err != nil {
		fmt.Println(err)
		return
	}
	k, ok := metrics.GapPick(ks, gap, s)
	fmt.Println(k, ok)
	// Output:
	// 3 true
}

func ExampleGap() {
	// log W_k = 1 on the data; log W* = 1, 2, 3 on three reference sets.
	gap, s := metrics.Gap(1, []float64{1, 2, 3})
	fmt.Printf("gap %.4f s %.4f\n", gap, s) // s = √(2/3)·√(1 + 1/3)
	// Output:
	// gap 1.0000 s 0.9428
}

func ExampleGapPick() {
	ks := []int{2, 3, 4, 5}
	gap := []float64{0.20, 0.45, 0.50, 0.52}
	s := []float64{0.03, 0.03, 0.03, 0.03}
	// k = 2: 0.20 < 0.45 − 0.03; k = 3: 0.45 < 0.50 − 0.03;
	// k = 4: 0.50 ≥ 0.52 − 0.03.
	fmt.Println(metrics.GapPick(ks, gap, s))
	// Output:
	// 4 true
}

func ExampleKnee() {
	// Inertia against k: the elbow of a convex decreasing curve (kneed's
	// DataGenerator.convex_decreasing).
	k := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	inertia := []float64{100, 40, 20, 15, 10, 5, 4, 3, 2, 1}
	fmt.Println(metrics.Knee(k, inertia, metrics.ConvexDecreasing, 1))
	// A straight line has no elbow.
	fmt.Println(metrics.Knee(k[:4], []float64{4, 3, 2, 1}, metrics.ConvexDecreasing, 1))
	// Output:
	// 2 true
	// 0 false
}

func ExampleStability() {
	// Three folds' models label the same six rows; the first two agree up to
	// the cluster names.
	mean, sd := metrics.Stability([][]int{
		{0, 0, 1, 1, 2, 2},
		{1, 1, 0, 0, 2, 2},
		{0, 0, 0, 1, 1, 1},
	})
	fmt.Printf("mean %.4f sd %.4f\n", mean, sd) // 49/99 and √1875/99
	// Output:
	// mean 0.4949 sd 0.4374
}

func ExampleSizeShares() {
	smallest, largest := metrics.SizeShares([]int{0, 0, 0, 1, 2, 2}, 4)
	fmt.Println(smallest, largest) // cluster 3 is empty
	// Output:
	// 0 0.5
}
