// Package browsertest starts a headless chromium through chromedp for the
// tests that must see a page as a browser does: index.html opened from
// file://, and the pages of sweep serve.
//
// It is test support only: no production code imports it. It is not a
// browser abstraction; tests drive the page with chromedp's own actions.
//
// Outside CI a test skips, with a message saying how to install chromium,
// when no browser is found. In CI (the CI environment variable is set, as
// .ci/run sets it) a missing browser fails the test, because .ci/run
// installs chromium with apt-get.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// candidates are the names Debian, Ubuntu and upstream builds install
// chromium under, in the order they are tried.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// Find returns the path of a chromium binary: $SWEEP_CHROMIUM when set,
// otherwise the first of the usual names on $PATH, or "" when none is found.
func Find() string {
	if p := os.Getenv("SWEEP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New returns a chromedp context on a fresh headless chromium, with a
// 1280x900 window and a user-data directory in t.TempDir. The browser is
// closed when the test ends. Every action run on the context is bounded by
// timeout in total, so that a page that never loads fails the test instead of
// hanging it.
func New(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	exe := Find()
	if exe == "" {
		msg := "chromium not found on PATH (set SWEEP_CHROMIUM, or install it: apt-get install chromium)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; .ci/run installs it in CI")
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() {
		// Cancel closes the browser and waits for it to exit, so that
		// t.TempDir's removal does not race chromium's last writes.
		_ = chromedp.Cancel(ctx)
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return ctx
}

// Screenshot saves a full-page PNG of the current page to path (under the
// test's testdata, for review), creating the directory. (chromedp encodes
// a screenshot as PNG only at quality 100; below it, JPEG.)
func Screenshot(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
