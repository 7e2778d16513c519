package gmm_test

import (
	"fmt"
	"math/rand/v2"

	"sweep/experiments/cluster/gmm"
)

func ExampleFit() {
	// Two tight groups of four rows each, around (0, 0) and (10, 10).
	x := []float64{0, 0, 0, 1, 1, 0, 1, 1, 10, 10, 10, 11, 11, 10, 11, 11}
	m, err := gmm.Fit(x, 2, gmm.Options{K: 2, Covariance: gmm.Diag}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	labels := make([]int, 2)
	m.Predict([]float64{0.5, 0.5, 9, 9}, labels)
	fmt.Println(labels[0] != labels[1], m.Converged, m.NParameters())
	// Output: true true 9
}
