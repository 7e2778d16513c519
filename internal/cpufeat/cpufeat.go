// Package cpufeat reports the vector extensions of the CPU that the
// assembly kernels of experiments/reduce and experiments/kmeans use.
// Builds other than amd64, and builds with the purego tag, report none.
package cpufeat
