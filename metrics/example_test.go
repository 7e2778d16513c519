package metrics_test

import (
	"fmt"

	"sweep/metrics"
)

func ExampleSilhouette() {
	// Four points on a line, two clusters: {0, 1} and {4, 5}.
	x := []float64{0, 1, 4, 5}
	labels := []int{0, 0, 1, 1}
	s, err := metrics.Silhouette(x, 1, labels)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", s) // 47/63

	// A single cluster has no silhouette.
	_, err = metrics.Silhouette(x, 1, []int{0, 0, 0, 0})
	fmt.Println(err)
	// Output:
	// 0.7460
	// silhouette: number of labels is 1; valid values are 2 to n-1 (inclusive), n = 4
}

func ExampleSilhouetteBatch() {
	// One embedding, several clusterings scored together (values agree with
	// scikit-learn 1.2.1 silhouette_score).
	x := []float64{0, 0, 0, 1, 5, 5, 5, 6, 9, 0}
	labelings := [][]int{
		{0, 0, 1, 1, 1},
		{0, 0, 1, 1, 2},
	}
	s, err := metrics.SilhouetteBatch(x, 2, labelings)
	if err != nil {
		fmt.Println(err)
		return
	}
	for k, v := range s {
		fmt.Printf("labeling %d: %.4f\n", k, v)
	}
	// Output:
	// labeling 0: 0.5772
	// labeling 1: 0.6845
}

func ExampleAdjustedRandIndex() {
	truth := []int{0, 0, 1, 1}
	fmt.Printf("%.4f\n", metrics.AdjustedRandIndex(truth, []int{0, 0, 1, 2}))
	fmt.Printf("%.4f\n", metrics.AdjustedRandIndex(truth, []int{5, 5, 3, 3})) // same partition
	// Output:
	// 0.5714
	// 1.0000
}

func ExampleNormalizedMutualInfo() {
	fmt.Printf("%.4f\n", metrics.NormalizedMutualInfo([]int{0, 0, 1, 1}, []int{0, 0, 1, 2}))
	// Output:
	// 0.8000
}

func ExampleContingency() {
	m := metrics.Contingency([]int{0, 0, 1, 1, 1}, []int{1, 1, 0, 1, 0})
	fmt.Println(m)
	fmt.Printf("purity %.2f\n", metrics.Purity([]int{0, 0, 1, 1, 1}, []int{1, 1, 0, 1, 0}))
	// Output:
	// [[0 2] [2 1]]
	// purity 0.80
}
