// Package bench holds the benchmarks that span the whole pipeline: how each
// stage's cost grows with the number of images (scaling_test.go). Next to
// it, sklearn_grid.py runs the sweep's grids with scikit-learn and the
// command sidebyside times both tools and writes results.md; see
// results.md for the numbers and the commands that produced them, and
// workers16.md (with workers16.sh) for the worker pool on 16 cores,
// kernels.md for what the hand-written kernels and decoders save, and
// seeds.md (with seeds.sh) for the cost of a seed axis.
package bench
