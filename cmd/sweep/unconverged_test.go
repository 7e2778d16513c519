package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestUnconvergedReductionWarns: on a flat spectrum (5,000 images of
// 28x28 iid noise, as issue 16 saw) the reduction stops at its iteration
// cap; the run warns on standard error, records the reduction in
// manifest.json and puts the note in its cells.
func TestUnconvergedReductionWarns(t *testing.T) {
	if testing.Short() {
		t.Skip("a 5,000 x 784 noise matrix")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(16, 784))
	var b strings.Builder
	b.WriteString("emotion,pixels\n")
	for i := range 5000 {
		b.WriteString(strconv.Itoa(i % 2))
		b.WriteByte(',')
		for j := range 784 {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(rng.IntN(256)))
		}
		b.WriteByte('\n')
	}
	data := filepath.Join(dir, "noise.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, "name: noise\ngrid: {reducer: [pca], components: [5], clusters: [2], folds: 1}\nkmeans: {n_init: 1}\ngap: {b: 0}\n")
	out := filepath.Join(dir, "report")
	_, stderr, code := runCmd(t, "-q", "-config", cfg, "-data", data, "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const note = "reduction pca of fold 0 stopped unconverged after 200 iterations"
	if !strings.Contains(stderr, "sweep: warning: "+note) {
		t.Errorf("stderr lacks the warning:\n%s", stderr)
	}
	var m struct {
		Unconverged []string `json:"unconverged_reductions"`
	}
	mb, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Unconverged) != 1 || !strings.HasPrefix(m.Unconverged[0], note) {
		t.Errorf("manifest unconverged_reductions %q", m.Unconverged)
	}
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	if n := rows[1][len(rows[1])-1]; !strings.Contains(n, note) {
		t.Errorf("results.csv note %q lacks the reduction's note", n)
	}
}
