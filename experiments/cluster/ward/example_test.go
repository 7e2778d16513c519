package ward_test

import (
	"fmt"

	"sweep/experiments/cluster/ward"
)

func ExampleTree_Cut() {
	x := []float64{0, 0, 0, 1, 10, 10, 10, 11, 30, 30}
	tree, err := ward.Build(x, 2)
	if err != nil {
		panic(err)
	}
	for _, k := range []int{1, 2, 3} {
		labels, _ := tree.Cut(k)
		fmt.Println(k, labels)
	}
	fmt.Printf("first merge: %+v\n", tree.Merges[0])
	// Output:
	// 1 [0 0 0 0 0]
	// 2 [0 0 0 0 1]
	// 3 [0 0 1 1 2]
	// first merge: {A:0 B:1 Height:1 Size:2}
}
