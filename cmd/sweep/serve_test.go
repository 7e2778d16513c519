package main

import (
	"bytes"
	"context"
	"errors"
	"io"
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
	newPredictHandler = func([]*model.Model) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-release
			io.WriteString(w, "slow answer")
		})
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
		{[]string{"serve", "-model", bad, dir}, 1, "sweep: -model: " + bad + ": model version 99; this sweep reads version 1"},
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
