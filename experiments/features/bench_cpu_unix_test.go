//go:build unix

package features

import "syscall"

// cpuSeconds returns the user and system CPU time of the process so far,
// so that benchmarks can report CPU per image beside wall time, which on
// a shared machine counts the waits for a core too.
func cpuSeconds() (float64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9, true
}
