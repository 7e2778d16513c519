package report

import (
	"cmp"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sweep/internal/browsertest"
)

// screenshots is where the browser test saves its pictures, for review.
const screenshots = "testdata/screenshots"

// visibleCells are the cell names of the cell table's shown rows, in
// page order, as the browser has them.
const visibleCells = `Array.from(document.querySelectorAll("#cells tbody tr")).filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())`

// index.html's cell table sorts and filters in a real browser opened
// from file:// (issue 18, item 1), and without JavaScript still shows
// every cell.
func TestIndexBrowser(t *testing.T) {
	dir, _ := testReport(t, indexGrid, true)
	p := readPage(t, dir)
	u := (&url.URL{Scheme: "file", Path: filepath.Join(dir, "index.html")}).String()
	ctx := browsertest.New(t, 90*time.Second)
	col := slices.Index(p.header, "silhouette")
	var names []string
	if err := chromedp.Run(ctx, chromedp.Navigate(u), chromedp.WaitVisible("#cell-controls"),
		chromedp.Evaluate(visibleCells, &names)); err != nil {
		t.Fatal(err)
	}
	if len(names) != len(p.rows) {
		t.Fatalf("the browser shows %d cells, want %d", len(names), len(p.rows))
	}

	// Sorting: the page's order by the silhouette column's numbers,
	// ascending, then descending; ties keep the page's order.
	order := make([]int, len(p.rows))
	for i := range order {
		order[i] = i
	}
	mean := func(i int) float64 {
		v, err := strconv.ParseFloat(strings.Fields(p.rows[i][col])[0], 64)
		if err != nil {
			t.Fatalf("row %d: silhouette %q", i, p.rows[i][col])
		}
		return v
	}
	want := func(dir int) []string {
		o := slices.Clone(order)
		slices.SortStableFunc(o, func(a, b int) int { return dir * cmp.Compare(mean(a), mean(b)) })
		var out []string
		for _, i := range o {
			out = append(out, p.rows[i][0])
		}
		return out
	}
	th := `#cells thead th:nth-child(` + strconv.Itoa(col+1) + `)`
	for _, tc := range []struct {
		name string
		dir  int
		sort string
	}{{"ascending", 1, "ascending"}, {"descending", -1, "descending"}} {
		var got []string
		var aria string
		if err := chromedp.Run(ctx, chromedp.Click(th, chromedp.ByQuery),
			chromedp.Evaluate(visibleCells, &got),
			chromedp.Evaluate(`document.querySelector("`+th+`").getAttribute("aria-sort")`, &aria)); err != nil {
			t.Fatal(err)
		}
		w := want(tc.dir)
		if !slices.Equal(got[:5], w[:5]) || !slices.Equal(got, w) {
			t.Errorf("sorted %s by silhouette: first rows %q, want %q", tc.name, got[:5], w[:5])
		}
		if aria != tc.sort {
			t.Errorf("aria-sort %q, want %q", aria, tc.sort)
		}
		if tc.dir > 0 {
			shot(t, ctx, "index_sorted.png")
		}
	}

	// Filtering: reducer svd and seed 2 leave a quarter of the cells;
	// the count says so.
	var got []string
	var count string
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`select[name="filter-reducer"]`, "svd", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('select[name="filter-reducer"]').dispatchEvent(new Event("change"))`, nil),
		chromedp.SetValue(`select[name="filter-seed"]`, "2", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('select[name="filter-seed"]').dispatchEvent(new Event("change"))`, nil),
		chromedp.Evaluate(visibleCells, &got),
		chromedp.Text("#cells-count", &count, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	var wantF []string
	for _, r := range p.rows {
		if r[1] == "2" && r[2] == "svd" {
			wantF = append(wantF, r[0])
		}
	}
	if len(got) != len(p.rows)/4 || len(wantF) != len(p.rows)/4 {
		t.Errorf("filtered to svd, seed 2: %d rows %q, want %d", len(got), got, len(p.rows)/4)
	}
	for _, n := range got {
		if !slices.Contains(wantF, n) {
			t.Errorf("filtered to svd, seed 2: row %s", n)
		}
	}
	if want := strconv.Itoa(len(p.rows)/4) + " of " + strconv.Itoa(len(p.rows)) + " cells shown"; count != want {
		t.Errorf("count %q, want %q", count, want)
	}
	shot(t, ctx, "index_filtered.png")

	// The empty columns (the GMM scores of a k-means sweep) are hidden,
	// and shown when asked.
	var width1, width2 float64
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`document.getElementById("cells").offsetWidth`, &width1),
		chromedp.Click("#show-empty", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("cells").offsetWidth`, &width2)); err != nil {
		t.Fatal(err)
	}
	if !(width2 > width1) {
		t.Errorf("showing the empty columns: table width %v -> %v", width1, width2)
	}

	// Without JavaScript: every cell, no controls, and the contents.
	var rows, tocLinks int
	var hidden bool
	if err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(u),
		chromedp.WaitReady("#cells", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#cells tbody tr").length`, &rows),
		chromedp.Evaluate(`document.getElementById("cell-controls").hidden`, &hidden),
		chromedp.Evaluate(`document.querySelectorAll("#contents a").length`, &tocLinks)); err != nil {
		t.Fatal(err)
	}
	if rows != len(p.rows) || !hidden || tocLinks != len(p.toc) {
		t.Errorf("without JavaScript: %d rows (want %d), controls hidden %v, %d contents links (want %d)", rows, len(p.rows), hidden, tocLinks, len(p.toc))
	}
	shot(t, ctx, "index_nojs.png")
	for _, id := range []string{"inertia"} { // timings change from run to run: not saved
		if err := chromedp.Run(ctx, chromedp.ScrollIntoView("#"+id, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		shotViewport(t, ctx, "index_"+id+".png")
	}
}

// shot saves the viewport with the cell table's section at its top.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.ScrollIntoView("#all-cells", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	shotViewport(t, ctx, name)
}

func shotViewport(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&buf)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshots, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
