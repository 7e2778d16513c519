package experiments_test

import (
	"fmt"

	"sweep/experiments"
)

func ExampleParseConfig() {
	cfg, err := experiments.ParseConfig([]byte(`
name: demo
grid:
  reducer: [pca, svd]
  components: {from: 2, to: 3}
  clusters: [5, 7]
  folds: 5
`), "demo.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	cells := cfg.Cells()
	fmt.Println(len(cells), "cells, first", cells[0].Key(), "last", cells[len(cells)-1].Key())
	fmt.Println("k-means defaults:", cfg.KMeans.NInit, cfg.KMeans.MaxIter, cfg.KMeans.Tol)
	// Output:
	// 40 cells, first pca-2-5/fold0 last svd-3-7/fold4
	// k-means defaults: 10 300 0.0001
}

func ExampleParseConfig_error() {
	_, err := experiments.ParseConfig([]byte("grid:\n  clusters: [1]\n  components: [2]\n  colour: red\n"), "grid.yaml")
	fmt.Println(err)
	// Output:
	// grid.yaml:4: grid.colour: unknown field (want one of reducer, components, clusters, folds, holdout, holdout_stratify, algorithm, features, or a config key as an extra axis, such as seed or kmeans.n_init)
}

func ExampleConfig_ShardCells() {
	cfg, _ := experiments.ParseConfig([]byte("grid: {reducer: [pca, svd], components: [2], clusters: [5], folds: 2}\n"), "g.yaml")
	cells := cfg.Cells()
	for i := 0; i < 2; i++ {
		fmt.Printf("shard %d/2:", i+1)
		for _, c := range cfg.ShardCells(i, 2) {
			fmt.Print(" ", cells[c].Key())
		}
		fmt.Println()
	}
	// Output:
	// shard 1/2: pca-2-5/fold0 svd-2-5/fold0
	// shard 2/2: pca-2-5/fold1 svd-2-5/fold1
}
