package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sweep/experiments/model"
	"sweep/report/serve/upload"
)

// lockedBuffer is a bytes.Buffer written by the server and read by the
// test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveDir is a folder with one report directory in it: a manifest and no
// store, which the run list shows with its problem.
func serveDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "run1"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "run1", "manifest.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startServe runs sweep serve with args until ctx ends and returns the
// URL it serves on and the channel of run's error.
func startServe(t *testing.T, ctx context.Context, stdout, stderr io.Writer, out *lockedBuffer, args ...string) (string, chan error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), stdout, stderr) }()
	re := regexp.MustCompile(`http://[0-9.:\[\]]+/`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if u := re.FindString(out.String()); u != "" {
			return u, done
		}
		select {
		case err := <-done:
			t.Fatalf("sweep serve ended: %v", err)
		default:
		}
	}
	t.Fatalf("sweep serve printed no address: %q", out.String())
	return "", nil
}

// TestServeShutdown: SIGTERM (the run's context ending with its cause)
// stops the server after the request in progress has been answered, and
// sweep exits 143.
func TestServeShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	old := newPredictHandler
	newPredictHandler = func([]*model.Model, upload.Limits) (http.Handler, error) {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-release
			io.WriteString(w, "slow answer")
		}), nil
	}
	t.Cleanup(func() { newPredictHandler = old })
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var stdout, stderr lockedBuffer
	u, done := startServe(t, ctx, &stdout, &stderr, &stdout, "-addr", "127.0.0.1:0", serveDir(t))
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "run1") {
		t.Fatalf("GET /: %d %s", resp.StatusCode, b)
	}
	slow := make(chan string, 1)
	go func() {
		resp, err := http.Get(u + "predict/")
		if err != nil {
			slow <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		slow <- string(b)
	}()
	<-entered
	cancel(signalCause{syscall.SIGTERM})
	select {
	case err := <-done:
		t.Fatalf("stopped before the request in progress was answered: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if got := <-slow; got != "slow answer" {
		t.Errorf("request in progress got %q", got)
	}
	select {
	case err := <-done:
		var ie interruptedError
		if !errors.As(err, &ie) || ie.status() != 143 || exitCode(err, io.Discard) != 143 {
			t.Errorf("run returned %v; want interrupted, exit 143", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("server did not stop within 5 s of SIGTERM")
	}
	if _, err := http.Get(u); err == nil {
		t.Errorf("still serving after shutdown")
	}
}

// TestServeErrors: misuse, a model file of the wrong version, and a
// directory without reports fail at start with a message naming the
// cause; a non-loopback -addr is served with a warning.
func TestServeErrors(t *testing.T) {
	dir := serveDir(t)
	bad := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(bad, []byte(`{"format":"sweep-model","version":99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"serve"}, 2, "serve needs at least one directory of reports"},
		{[]string{"serve", "-model", bad, dir}, 1, "sweep: -model: " + bad + ": model file is version 99; this sweep reads version 3: refit with sweep fit"},
		{[]string{"serve", t.TempDir()}, 1, "no report directory (a folder with manifest.json"},
		{[]string{"serve", "-addr", "127.0.0.1:-1", dir}, 1, "sweep: serve: listen tcp"},
	} {
		_, stderr, code := runCmd(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	_, done := startServe(t, ctx, &stdout, &stderr, &stdout, "-addr", "0.0.0.0:0", dir)
	cancel()
	<-done
	if !strings.Contains(stderr.String(), "sweep: warning: serving on 0.0.0.0:0: other machines can reach it") {
		t.Errorf("no warning for 0.0.0.0: %q", stderr.String())
	}
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:80": true, "[::1]:8080": true, "0.0.0.0:8080": false, ":8080": false, "192.168.1.2:80": false} {
		if isLoopback(addr) != want {
			t.Errorf("isLoopback(%s) = %v", addr, !want)
		}
	}
}

// TestServeModel: with -model, sweep serve answers the upload page and
// POST /api/predict through the upload package, for a model fitted by
// sweep fit: the wiring of the two, end to end.
func TestServeModel(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, strings.Replace(syntheticGrid, "folds: 3", "folds: 1", 1))
	mpath := filepath.Join(dir, "model.json")
	if _, stderr, code := runCmd(t, "fit", "-config", cfg, "-data", data, "-cell", "svd-3-4", "-o", mpath); code != 0 {
		t.Fatal(stderr)
	}
	m, err := model.Load(mpath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var stdout, stderr lockedBuffer
	u, done := startServe(t, ctx, &stdout, &stderr, &stdout, "-addr", "127.0.0.1:0", "-model", mpath, serveDir(t))
	resp, err := http.Get(u + "predict/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `type="file"`) {
		t.Fatalf("GET /predict/: %d %.200s", resp.StatusCode, page)
	}
	img := image.NewGray(image.Rect(0, 0, m.Side, m.Side))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("images", "face.png")
	if err := png.Encode(fw, img); err != nil {
		t.Fatal(err)
	}
	mw.Close()
	resp, err = http.Post(u+"api/predict", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got []struct {
		Name     string  `json:"name"`
		Cluster  int     `json:"cluster"`
		Distance float64 `json:"distance"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /api/predict: %d, %v", resp.StatusCode, err)
	}
	if len(got) != 1 || got[0].Name != "face.png" || got[0].Cluster < 0 || got[0].Cluster >= len(m.Centers) || !(got[0].Distance >= 0) {
		t.Errorf("POST /api/predict = %+v, want one row for face.png with a cluster of %d", got, len(m.Centers))
	}
	cancel(signalCause{syscall.SIGTERM})
	<-done
}
