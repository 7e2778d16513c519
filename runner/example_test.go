package runner_test

import (
	"context"
	"fmt"

	"sweep/runner"
)

func ExampleRun() {
	squares := make([]int, 5)
	done, err := runner.Run(context.Background(), []int{4, 3, 2, 1, 0}, 2, func(_ context.Context, i int) error {
		squares[i] = i * i // results land by index, whatever the order of completion
		return nil
	})
	fmt.Println(done, err, squares)
	// Output: 5 <nil> [0 1 4 9 16]
}

func ExampleStage() {
	var s runner.Stages
	calls := 0
	for range 3 {
		v, _ := runner.Stage(context.Background(), &s, "reduce/fold0/pca", func() (string, error) {
			calls++
			return "fitted", nil
		})
		fmt.Println(v)
	}
	fmt.Println("computed", calls, "time")
	// Output:
	// fitted
	// fitted
	// fitted
	// computed 1 time
}
