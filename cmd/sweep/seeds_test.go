package main

import (
	"path/filepath"
	"testing"
)

// TestSeedOverrideMNIST runs configs/ci-mnist.yaml with the override
// grid.seed=[1,2,3] and checks its tables as BenchmarkSweepFER2013Seeds
// checks the FER2013 ones: 3 x 24 rows in results.csv, the 3 x 8 per-seed
// summaries and the 8 pooled over seeds x folds.
func TestSeedOverrideMNIST(t *testing.T) {
	out := filepath.Join(t.TempDir(), "seeds")
	args := append([]string{"-q", "-config", configPath("ci-mnist.yaml"), "-out", out}, mnistFlags(t)...)
	if _, stderr, code := runCmd(t, append(args, "grid.seed=[1,2,3]")...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	checkSeedTables(t, out, []string{"1", "2", "3"}, 8, 3)
}
