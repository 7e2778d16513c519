package report

import "testing"

func TestIsLeftover(t *testing.T) {
	for name, want := range map[string]bool{
		".results.csv.123.tmp": true, ".cells.jsonl.0.tmp": false, ".cell_pca-2-3_fold0_scatter.png.42.tmp": true,
		".results.csv.tmp": false, ".results.csv.1a.tmp": false, ".notes.txt.1.tmp": false, "results.csv.1.tmp": false,
		".results.csv.1.tmpx": false, ".sweep.lock": false, ".x": false,
	} {
		if got := isLeftover(name); got != want {
			t.Errorf("isLeftover(%q) = %v", name, got)
		}
	}
}
