package upload

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sweep/experiments/model"
	"sweep/internal/browsertest"
)

// TestBrowserUpload opens the page in headless chromium, sets five images
// on its file input, submits, and waits for five rows with a thumbnail,
// the label and the nearest training images; the screenshot is kept in
// testdata/screenshots/upload.png for review.
func TestBrowserUpload(t *testing.T) {
	m, d := fixture(t)
	h, err := New([]*model.Model{m}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	dir := t.TempDir()
	var paths []string
	for _, f := range []file{
		{name: "seven.png", data: encodePNG(t, digit(d, 0, 1))},
		{name: "two.jpg", data: encodeJPEG(t, digit(d, 1, 1))},
		{name: "one.gif", data: encodeGIF(t, digit(d, 2, 1))},
		{name: "zero-large.png", data: encodePNG(t, digit(d, 3, 4))},
		{name: "four.png", data: encodePNG(t, digit(d, 4, 1))},
	} {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	ctx := browsertest.New(t, 90*time.Second)
	var rows, nearest int
	var csvHref string
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#files", chromedp.ByID),
		chromedp.SetUploadFiles("#files", paths, chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#results tbody tr:nth-child(5)"),
		chromedp.Evaluate(`document.querySelectorAll("#results tbody tr").length`, &rows),
		chromedp.Evaluate(`document.querySelectorAll("#results tbody img.near").length`, &nearest),
		chromedp.AttributeValue("#csv", "href", &csvHref, nil, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 5 || nearest < 5 || len(csvHref) < 5 || csvHref[:5] != "blob:" {
		t.Errorf("%d rows, %d nearest images, CSV link %q; want 5 rows, some nearest images and a blob: link", rows, nearest, csvHref)
	}
	// browsertest.Screenshot asks for quality 90, which chromium answers
	// with a JPEG; quality 100 gives the PNG the file name promises.
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join("testdata", "screenshots"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "screenshots", "upload.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
