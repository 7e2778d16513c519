//go:build !unix

package features

// cpuSeconds is not measured off unix; see bench_cpu_unix_test.go.
func cpuSeconds() (float64, bool) { return 0, false }
