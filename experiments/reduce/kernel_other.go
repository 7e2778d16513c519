//go:build !amd64 || purego

package reduce

// bestKernels returns the generic Go kernels: this build has no assembly.
func bestKernels() kernels { return genericKernels() }

// asmKernelSets returns none: this build has no assembly kernels.
func asmKernelSets() []kernels { return nil }
