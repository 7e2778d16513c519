package kmeans_test

import (
	"fmt"
	"log"
	"math/rand/v2"

	"sweep/experiments/kmeans"
)

func ExampleFit() {
	// Two groups of three points in the plane, one point per row.
	x := []float64{
		0, 0,
		0, 1,
		1, 0,
		10, 10,
		10, 11,
		11, 10,
	}
	res, err := kmeans.Fit(x, 2, kmeans.Options{K: 2}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("labels:", res.Labels)
	for j := range 2 {
		fmt.Printf("centre %d: %.4f\n", j, res.Centers[2*j:2*j+2])
	}
	// Each group contributes 1/9·(1+1) + 1/9·(1+4) + 1/9·(4+1) = 4/3.
	fmt.Printf("inertia: %.4f\n", res.Inertia)
	fmt.Println("non-empty clusters:", res.NonEmpty)
	// Output:
	// labels: [1 1 1 0 0 0]
	// centre 0: [10.3333 10.3333]
	// centre 1: [0.3333 0.3333]
	// inertia: 2.6667
	// non-empty clusters: 2
}

func ExamplePredict() {
	centers := []float64{
		0, 0,
		10, 10,
	}
	x := []float64{
		1, 2,
		9, 7,
		5, 5, // equidistant: the lower index wins
	}
	labels := make([]int, 3)
	kmeans.Predict(x, 2, centers, labels)
	fmt.Println(labels)
	// Output:
	// [0 1 0]
}
