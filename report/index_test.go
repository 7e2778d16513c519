package report

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sweep/experiments"
	"sweep/experiments/dataset"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// indexGrid has an extra axis (seed), two reducers and three folds, and
// inspects one fold of one cell by key.
const indexGrid = `
name: index
seed: 3
data: {balance: min}
grid: {reducer: [pca, svd], components: [2, 3], clusters: [2, 3, 4], folds: 3, seed: [1, 2]}
kmeans: {n_init: 1}
report: {inspect: [svd-3-4/seed=2/fold2, pca-2-3/seed=1]}
`

// syntheticCSV is a small data set in FER2013's layout: per class, 6x6
// images bright in a class-specific corner, plus noise; without the
// emotion column when labels is false.
func syntheticCSV(t testing.TB, sizes []int, labels bool) *dataset.Dataset {
	t.Helper()
	const side = 6
	rng := rand.New(rand.NewPCG(5, 6))
	header := "emotion,pixels,Usage"
	if !labels {
		header = "pixels,Usage"
	}
	lines := []string{header}
	usages := []string{"Training", "PublicTest", "PrivateTest"}
	for c, n := range sizes {
		for i := 0; i < n; i++ {
			px := make([]string, side*side)
			for j := range px {
				v := 30 + rng.IntN(40)
				if (j/side < side/2) == (c%2 == 0) && (j%side < side/2) == (c/2%2 == 0) {
					v += 160
				}
				px[j] = strconv.Itoa(v)
			}
			line := strings.Join(px, " ") + "," + usages[i%3]
			if labels {
				line = strconv.Itoa(c) + "," + line
			}
			lines = append(lines, line)
		}
	}
	d, err := dataset.Read(strings.NewReader(strings.Join(lines, "\n")+"\n"), "synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// testReport runs the grid on the synthetic data and writes its report
// into a temporary directory.
func testReport(t testing.TB, grid string, labels bool) (string, *experiments.Sweep) {
	t.Helper()
	cfg, err := experiments.ParseConfig([]byte(grid), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := experiments.NewSweep(cfg, syntheticCSV(t, []int{14, 12, 15, 12}, labels))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	results, err := s.Run(ctx, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteReport(ctx, dir, s, results, ReportInfo{Workers: 1, Started: start, Wall: time.Since(start)}); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

// page is a parsed index.html: the cell table's header and rows (cell
// texts, tags removed), its rows' links, and the page's ids and links.
type page struct {
	raw    string
	header []string
	rows   [][]string
	links  []string // the cell table's row links, "" where none
	ids    map[string]bool
	hrefs  []string // every href="#..." target, without "#"
	toc    []string // the table of contents' targets
}

var (
	cellTableRE = regexp.MustCompile(`(?s)<table id="cells">(.*?)</table>`)
	thRE        = regexp.MustCompile(`(?s)<th[^>]*>(.*?)</th>`)
	trRE        = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	tdRE        = regexp.MustCompile(`(?s)<td>(.*?)</td>`)
	tagRE       = regexp.MustCompile(`<[^>]*>`)
	idRE        = regexp.MustCompile(`\sid="([^"]*)"`)
	hrefRE      = regexp.MustCompile(`href="#([^"]*)"`)
	navRE       = regexp.MustCompile(`(?s)<nav id="contents".*?</nav>`)
)

func text(s string) string { return html.UnescapeString(tagRE.ReplaceAllString(s, "")) }

func readPage(t testing.TB, dir string) page {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	p := page{raw: string(b), ids: map[string]bool{}}
	m := cellTableRE.FindStringSubmatch(p.raw)
	if m == nil {
		t.Fatal("index.html has no cell table")
	}
	head, body, _ := strings.Cut(m[1], "</thead>")
	for _, th := range thRE.FindAllStringSubmatch(head, -1) {
		p.header = append(p.header, text(th[1]))
	}
	for _, tr := range trRE.FindAllStringSubmatch(body, -1) {
		var row []string
		for _, td := range tdRE.FindAllStringSubmatch(tr[1], -1) {
			row = append(row, text(td[1]))
		}
		link := ""
		if l := hrefRE.FindStringSubmatch(tr[1]); l != nil {
			link = l[1]
		}
		p.rows = append(p.rows, row)
		p.links = append(p.links, link)
	}
	for _, id := range idRE.FindAllStringSubmatch(p.raw, -1) {
		if p.ids[id[1]] {
			t.Errorf("index.html: id %q twice", id[1])
		}
		p.ids[id[1]] = true
	}
	for _, h := range hrefRE.FindAllStringSubmatch(p.raw, -1) {
		p.hrefs = append(p.hrefs, h[1])
	}
	for _, h := range hrefRE.FindAllStringSubmatch(navRE.FindString(p.raw), -1) {
		p.toc = append(p.toc, h[1])
	}
	return p
}

func readSummaryCSV(t testing.TB, dir string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// The cell table lists every cell of the grid once, with a column per
// grid axis and per score of the schema, and its values are summary.csv's
// (issue 18, item 1).
func TestIndexCellTable(t *testing.T) {
	dir, s := testReport(t, indexGrid, true)
	p := readPage(t, dir)
	want := []string{"cell", "seed", "reducer", "components", "clusters", "folds"}
	for _, sc := range experiments.Scores() {
		want = append(want, sc.Name)
	}
	want = append(want, "seconds")
	if !slices.Equal(p.header, want) {
		t.Errorf("cell table columns:\n%q\nwant\n%q", p.header, want)
	}
	var names []string
	for _, c := range s.Cells {
		if c.Fold == 0 {
			names = append(names, c.Name())
		}
	}
	if len(names) != 2*2*3*2 {
		t.Fatalf("%d cells in the grid, want 24", len(names))
	}
	var got []string
	for i, r := range p.rows {
		if len(r) != len(want) {
			t.Fatalf("row %d has %d cells, want %d: %q", i, len(r), len(want), r)
		}
		got = append(got, r[0])
	}
	if !slices.Equal(got, names) {
		t.Errorf("cell table rows:\n%q\nwant the grid's cells in order:\n%q", got, names)
	}
	// Every value against summary.csv: the table rounds to 4 decimals.
	sum := readSummaryCSV(t, dir)
	byCell := map[string]map[string]string{}
	for _, r := range sum {
		byCell[r["cell"]] = r
	}
	for _, r := range p.rows {
		csvRow := byCell[r[0]]
		if csvRow == nil {
			t.Fatalf("%s: not in summary.csv", r[0])
		}
		for j, sc := range experiments.Scores() {
			col := sc.Columns()[0]
			cell := r[6+j]
			if (csvRow[col] == "") != (cell == "") {
				t.Errorf("%s %s: page %q, summary.csv %q", r[0], sc.Name, cell, csvRow[col])
				continue
			}
			if cell == "" {
				continue
			}
			shown := strings.Fields(cell)[0]
			v, err1 := strconv.ParseFloat(shown, 64)
			w, err2 := strconv.ParseFloat(csvRow[col], 64)
			// Rounded to the decimals shown: within half a unit of the
			// last place.
			places := 0
			if _, frac, ok := strings.Cut(shown, "."); ok {
				places = len(frac)
			}
			if tol := 0.5*math.Pow(10, -float64(places)) + 1e-12; err1 != nil || err2 != nil || math.Abs(v-w) > tol {
				t.Errorf("%s %s: page %q, summary.csv %q", r[0], sc.Name, cell, csvRow[col])
			}
		}
		for j, col := range []string{"seed", "reducer", "components", "clusters", "folds"} {
			if r[1+j] != csvRow[col] {
				t.Errorf("%s %s: page %q, summary.csv %q", r[0], col, r[1+j], csvRow[col])
			}
		}
	}
	golden(t, "celltable.golden", cellTableGolden(p))
	table := cellTableRE.FindString(p.raw)
	t.Logf("index.html %d bytes; the cell table %d bytes, %d per row", len(p.raw), len(table), len(table)/len(p.rows))
}

// cellTableGolden writes the cell table as text, the seconds column
// blanked (wall time differs from run to run).
func cellTableGolden(p page) string {
	var b strings.Builder
	fmt.Fprintln(&b, strings.Join(p.header, "\t"))
	for i, r := range p.rows {
		r = slices.Clone(r)
		r[len(r)-1] = "-"
		fmt.Fprintf(&b, "%s\t(link %s)\n", strings.Join(r, "\t"), p.links[i])
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./report -run %s -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; go test ./report -run %s -update rewrites it after an intended change.\ngot:\n%s", path, t.Name(), got)
	}
}

// The table of contents links every section the page has and nothing
// else; every link within the page resolves. Unlabelled data has no
// label sections, and so no links to them (issue 17, item 9).
func TestIndexContents(t *testing.T) {
	for _, tc := range []struct {
		name    string
		labels  bool
		has     []string
		hasNone []string
	}{
		{"labelled", true,
			[]string{"all-cells", "silhouette", "choosek", "inertia", "labels", "accuracy", "ari", "nmi", "purity", "cells-inspected", "cell0", "cell1", "cell2", "timings", "data"}, nil},
		{"unlabelled", false,
			[]string{"all-cells", "silhouette", "choosek", "inertia", "cells-inspected", "cell0", "timings", "data"},
			[]string{"labels", "accuracy", "ari", "nmi", "purity"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			grid := indexGrid
			if !tc.labels {
				grid = strings.Replace(grid, "balance: min", "balance: none", 1)
			}
			dir, _ := testReport(t, grid, tc.labels)
			p := readPage(t, dir)
			for _, h := range p.hrefs {
				if !p.ids[h] {
					t.Errorf("link to #%s, which the page lacks", h)
				}
			}
			for _, id := range tc.has {
				if !slices.Contains(p.toc, id) {
					t.Errorf("the contents do not link #%s (they link %q)", id, p.toc)
				}
			}
			for _, id := range tc.hasNone {
				if slices.Contains(p.hrefs, id) || p.ids[id] {
					t.Errorf("the page has or links #%s without labels", id)
				}
			}
			// Every section heading is in the contents.
			for _, h := range regexp.MustCompile(`<h[23] id="([^"]*)"`).FindAllStringSubmatch(p.raw, -1) {
				if !slices.Contains(p.toc, h[1]) {
					t.Errorf("section #%s is not in the contents", h[1])
				}
			}
			if tc.labels {
				for _, s := range []string{"normalized mutual information, pca, seed=1: components (rows) x clusters (columns)",
					"purity, svd, seed=2: components (rows) x clusters (columns)",
					"k-means inertia (training rows), pca, seed=2: components (rows) x clusters (columns)"} {
					if !strings.Contains(p.raw, s) {
						t.Errorf("index.html lacks the table %q", s)
					}
				}
			}
			for _, s := range []string{`href="#fig-elbow"`, `<figure id="fig-elbow"><img src="elbow.png"`,
				"Seconds per stage", "The 10 slowest cells"} {
				if !strings.Contains(p.raw, s) {
					t.Errorf("index.html lacks %q", s)
				}
			}
		})
	}
}

// report.inspect may name one fold of a cell (issue 17, item 9): its
// pictures are drawn at that fold and linked from the page and from the
// cell's row of the cell table; a cell named without its fold is drawn
// at fold 0.
func TestIndexInspectFold(t *testing.T) {
	dir, _ := testReport(t, indexGrid, true)
	p := readPage(t, dir)
	for _, tc := range []struct{ cell, base string }{
		{"svd-3-4/seed=2", "cell_svd-3-4_seed=2_fold2_"},
		{"pca-2-3/seed=1", "cell_pca-2-3_seed=1_fold0_"},
	} {
		for _, kind := range []string{"nearest", "random", "scatter", "silhouette", "confusion"} {
			f := tc.base + kind + ".png"
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: %v", tc.cell, err)
			}
			if !strings.Contains(p.raw, `src="`+f+`"`) {
				t.Errorf("index.html does not show %s", f)
			}
		}
		i := slices.IndexFunc(p.rows, func(r []string) bool { return r[0] == tc.cell })
		if i < 0 || p.links[i] == "" || !p.ids[p.links[i]] {
			t.Errorf("the cell table's row of %s links %q", tc.cell, p.links)
		}
	}
	if !strings.Contains(p.raw, "Cell svd-3-4/seed=2, fold 2 (report.inspect)") {
		t.Error("index.html has no section for svd-3-4/seed=2 fold 2")
	}
}
