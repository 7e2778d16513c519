//go:build !amd64 || purego

package cpufeat

// AVX2FMA reports false: this build runs no amd64 assembly.
func AVX2FMA() bool { return false }

// AVX512 reports false: this build runs no amd64 assembly.
func AVX512() bool { return false }
