package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// checkHeadline checks a labelled report's headline against its own
// summary.csv: for each criterion, the cell the headline names in
// summary.md and index.html is the one with the largest mean of that
// score, and the "uses labels" column says yes exactly for the
// label-using ones. It also checks that index.html shows the choose-k
// table and pictures.
func checkHeadline(t *testing.T, dir string) {
	t.Helper()
	sum := readCSV(t, filepath.Join(dir, "summary.csv"))
	col := func(name string) int {
		i := slices.Index(sum[0], name)
		if i < 0 {
			t.Fatalf("summary.csv has no column %s", name)
		}
		return i
	}
	// argmax names the cell of the largest mean; the first wins ties,
	// as experiments.NewHeadline keeps the first in summary order.
	argmax := func(name string) string {
		c, best, bestV := col(name), "", 0.0
		for _, r := range sum[1:] {
			v, err := strconv.ParseFloat(r[c], 64)
			if err != nil {
				continue
			}
			if best == "" || v > bestV {
				best, bestV = r[0], v
			}
		}
		return best
	}
	md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		criterion, column, labels string
	}{
		{"silhouette", "silhouette_mean", "no"},
		{"adjusted Rand index", "ari_mean", "yes"},
		{"majority-mapping accuracy", "accuracy_majority_mean", "yes"},
	} {
		cell := argmax(tc.column)
		// summary.md: "| criterion   | uses labels | best cell | ..."
		row := regexp.MustCompile(`\| ` + tc.criterion + ` +\| ` + tc.labels + ` +\| ` + cell + ` +\|`)
		if !row.Match(md) {
			t.Errorf("summary.md: no headline row naming %s as the best by %s (uses labels: %s)", cell, tc.criterion, tc.labels)
		}
		want := fmt.Sprintf("<tr><td>%s</td><td>%s</td><td>%s</td>", tc.criterion, tc.labels, cell)
		if !strings.Contains(string(html), want) {
			t.Errorf("index.html: no headline row %q", want)
		}
	}
	for _, s := range []string{"Best cell by each criterion", "Which k each criterion picks",
		`src="criteria_vs_k.png"`, `src="elbow.png"`, `src="stability_vs_k.png"`, `src="scree.png"`} {
		if !strings.Contains(string(html), s) {
			t.Errorf("index.html lacks %s", s)
		}
	}
	// The page's choose-k table holds selection.csv's rows (without its
	// pooled column, empty in a grid without extra axes).
	sel := readCSV(t, filepath.Join(dir, "selection.csv"))
	for _, r := range sel[1:] {
		want := "<tr><td>" + strings.Join(r[1:], "</td><td>") + "</td></tr>"
		if !strings.Contains(string(html), want) {
			t.Errorf("index.html lacks the selection row %s", want)
		}
	}
}
