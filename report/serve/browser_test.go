package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sweep/internal/browsertest"
)

// screenshot saves the browser's viewport as a PNG under
// testdata/screenshots, for review.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&buf)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join("testdata", "screenshots", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// imagesLoaded is true when every <img> of the page has loaded a picture.
const imagesLoaded = `Array.from(document.images).length > 0 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)`

// TestBrowser drives headless chromium through the pages as a user
// would: the run list, a cell chosen in a run's form and drawn on demand,
// and a comparison chosen in the run list's form.
func TestBrowser(t *testing.T) {
	ctx := browsertest.New(t, 90*time.Second)
	_, s, ts := newFixture(t, "reports", Options{})

	// The run list.
	var list string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible("table", chromedp.ByQuery),
		chromedp.Text("table", &list, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"mnist-a", "mnist-b", "silhouette: pca-2-3", "majority-mapping accuracy"} {
		if !strings.Contains(list, want) {
			t.Errorf("run list reads %q; lacks %q", list, want)
		}
	}
	screenshot(t, ctx, "runlist.png")

	// A cell, picked in the run page's form, drawn on demand.
	var heading string
	var loaded bool
	if err := chromedp.Run(ctx,
		chromedp.Click(`a[href="/runs/mnist-a/"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`select[name="cell"]`, chromedp.ByQuery),
		chromedp.SetValue(`select[name="cell"]`, "pca-3-5/fold1", chromedp.ByQuery),
		chromedp.Click(`form[action="cell"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("figure img", chromedp.ByQuery),
		chromedp.Poll(imagesLoaded, &loaded, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Text("h1", &heading, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if heading != "mnist-a: cell pca-3-5/fold1" || !loaded || s.drawn.Load() != 1 {
		t.Errorf("cell page %q, images loaded %v, %d draws", heading, loaded, s.drawn.Load())
	}
	screenshot(t, ctx, "cell.png")

	// A comparison, from the run list's form.
	var text string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(`form[action="/compare"]`, chromedp.ByQuery),
		chromedp.SetValue(`select[name="a"]`, "mnist-a", chromedp.ByQuery),
		chromedp.SetValue(`select[name="b"]`, "mnist-b", chromedp.ByQuery),
		chromedp.Click(`form[action="/compare"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("pre", chromedp.ByQuery),
		chromedp.Poll(imagesLoaded, &loaded, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Text("body", &text, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Compare mnist-a (A) with mnist-b (B)", "cells: 4 in both", "silhouette"} {
		if !strings.Contains(text, want) {
			t.Errorf("comparison lacks %q", want)
		}
	}
	if !loaded {
		t.Errorf("comparison's heatmaps did not load")
	}
	screenshot(t, ctx, "compare.png")
}
