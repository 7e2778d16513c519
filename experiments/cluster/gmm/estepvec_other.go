//go:build !amd64 || purego

package gmm

// asmVecKernels reports none: this build has no assembly.
func asmVecKernels() (vecKernels, bool) { return vecKernels{}, false }

// asmMKernels reports none: this build has no assembly.
func asmMKernels() (mKernels, bool) { return mKernels{}, false }
