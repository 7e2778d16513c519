//go:build !amd64 || purego

package kmeans

// asmVecKernels reports none: this build has no assembly.
func asmVecKernels() (vecKernels, bool) { return vecKernels{}, false }

// newBounds returns nil: this build runs the scalar passes.
func newBounds(x []float64, dim, k int) *bounds { return nil }
