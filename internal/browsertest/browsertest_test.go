package browsertest

import (
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestNewRunsScripts opens a page from file:// and reads back what its script
// wrote: the browser starts, loads local files and runs JS.
func TestNewRunsScripts(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "p.html")
	html := `<!doctype html><p id="x">static</p><script>document.getElementById("x").textContent = "scripted";</script>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := New(t, 60*time.Second)
	var got string
	u := url.URL{Scheme: "file", Path: page}
	if err := chromedp.Run(ctx, chromedp.Navigate(u.String()), chromedp.Text("#x", &got)); err != nil {
		t.Fatal(err)
	}
	if got != "scripted" {
		t.Fatalf("text = %q, want %q", got, "scripted")
	}
	Screenshot(t, ctx, filepath.Join(dir, "shot.png"))
	f, err := os.Open(filepath.Join(dir, "shot.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
}
