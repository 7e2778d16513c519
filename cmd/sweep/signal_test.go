package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stopBudget is how soon after SIGINT or SIGTERM a run must have exited
// (issue 12, item 2).
const stopBudget = time.Second

// writeBlobs writes a CSV of n rows of 2x2 images in two groups of grey
// levels: data on which k-means is quick and a whole-data silhouette,
// O(n²), is long.
func writeBlobs(t *testing.T, dir string, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	var b bytes.Buffer
	b.WriteString("emotion,pixels\n")
	for i := range n {
		c := i % 2
		fmt.Fprintf(&b, "%d,", c)
		for p := range 4 {
			if p > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%d", 40+150*c+rng.IntN(50))
		}
		b.WriteByte('\n')
	}
	path := filepath.Join(dir, "blobs.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// started is a sweep process whose standard error is watched.
type started struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr bytes.Buffer
	seen   chan struct{} // closed when stderr shows the marker line
	done   chan struct{} // closed when stderr is read to its end
}

// start runs bin with args and watches its standard error for a line
// containing marker.
func start(t *testing.T, bin, marker string, args ...string) *started {
	t.Helper()
	s := &started{cmd: exec.Command(bin, args...), seen: make(chan struct{}), done: make(chan struct{})}
	pipe, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill() })
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(pipe)
		once := sync.Once{}
		if marker == "" {
			once.Do(func() { close(s.seen) })
		}
		for sc.Scan() {
			s.mu.Lock()
			s.stderr.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if strings.Contains(sc.Text(), marker) {
				once.Do(func() { close(s.seen) })
			}
		}
		io.Copy(io.Discard, pipe)
	}()
	return s
}

// signalAfter waits for the marker line and then for wait, sends sig and
// returns the exit status and how long the process took to exit.
func (s *started) signalAfter(t *testing.T, wait time.Duration, sig syscall.Signal) (int, time.Duration) {
	t.Helper()
	select {
	case <-s.seen: // closed at once for an empty marker

	case <-s.done:
		s.cmd.Wait()
		t.Fatalf("exited before the marker:\n%s", s.text())
	case <-time.After(30 * time.Second):
		t.Fatalf("no marker after 30 s:\n%s", s.text())
	}
	time.Sleep(wait)
	if s.cmd.ProcessState != nil || s.cmd.Process.Signal(syscall.Signal(0)) != nil {
		t.Fatalf("exited before the signal:\n%s", s.text())
	}
	sent := time.Now()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	// The reader sees end of file when the process has exited; Wait only
	// after it has read everything (os/exec: Wait closes the pipe, and the
	// last line, the one this test reads, could be lost).
	<-s.done
	took := time.Since(sent)
	err := s.cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return s.cmd.ProcessState.ExitCode(), took
}

func (s *started) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// TestSignalStopsLongCell sends SIGINT or SIGTERM to the real binary while
// it computes one long cell (many k-means restarts, or a silhouette over
// 60,000 rows, or a read blocked on a FIFO) and checks that it exits
// within stopBudget, with 130 or 143 and the message saying what is
// stored.
func TestSignalStopsLongCell(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	blobs := writeBlobs(t, dir, 60000)
	small := writeSynthetic(t, dir, 30, 8)
	fifo := filepath.Join(dir, "data.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	const oneCell = "grid:\n  reducer: [pca]\n  components: [2]\n  clusters: [2]\n  folds: 1\n"
	kmeansCfg := filepath.Join(dir, "kmeans.yaml")
	silCfg := filepath.Join(dir, "silhouette.yaml")
	for path, body := range map[string]string{
		kmeansCfg: "name: long-kmeans\n" + oneCell + "kmeans:\n  n_init: 100000000\n",
		silCfg:    "name: long-silhouette\n" + oneCell + "kmeans:\n  n_init: 1\n",
	} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stored := func(out string) string {
		return "sweep: interrupted: 0 of 1 cells are stored in " + filepath.Join(out, "cells.jsonl") + "; run the same command again to resume\n"
	}
	for _, tc := range []struct {
		name, cfg, data, marker string
		wait                    time.Duration // after the marker, to be inside the cell
		sig                     syscall.Signal
		code                    int
		want                    func(out string) string
		writer                  bool // hold the FIFO open for writing, after a header
	}{
		{name: "kmeans-SIGINT", cfg: kmeansCfg, data: small, marker: "cells on", wait: 300 * time.Millisecond, sig: syscall.SIGINT, code: 130, want: stored},
		{name: "kmeans-SIGTERM", cfg: kmeansCfg, data: small, marker: "cells on", wait: 300 * time.Millisecond, sig: syscall.SIGTERM, code: 143, want: stored},
		// k-means on 60,000 points with one restart takes milliseconds;
		// the silhouette's 1.8e9 pairs take seconds.
		{name: "silhouette-SIGINT", cfg: silCfg, data: blobs, marker: "cells on", wait: 700 * time.Millisecond, sig: syscall.SIGINT, code: 130, want: stored},
		{name: "silhouette-SIGTERM", cfg: silCfg, data: blobs, marker: "cells on", wait: 700 * time.Millisecond, sig: syscall.SIGTERM, code: 143, want: stored},
		// -data a FIFO: with no writer the open blocks; with a writer
		// that stops after the header, the read blocks.
		{name: "fifo-open-SIGINT", cfg: silCfg, data: fifo, wait: 300 * time.Millisecond, sig: syscall.SIGINT, code: 130,
			want: func(string) string { return "sweep: interrupted: while reading " + fifo + "; nothing was stored\n" }},
		{name: "fifo-read-SIGTERM", cfg: silCfg, data: fifo, wait: 300 * time.Millisecond, sig: syscall.SIGTERM, code: 143, writer: true,
			want: func(string) string { return "sweep: interrupted: while reading " + fifo + "; nothing was stored\n" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report")
			s := start(t, bin, tc.marker, "-config", tc.cfg, "-data", tc.data, "-out", out)
			if tc.writer {
				// Opening for writing waits for the sweep to open for reading.
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer w.Close()
				if _, err := w.WriteString("emotion,pixels\n0,1 2 3 4\n"); err != nil {
					t.Fatal(err)
				}
			}
			code, took := s.signalAfter(t, tc.wait, tc.sig)
			t.Logf("%v: exit %d after %v", tc.sig, code, took)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\n%s", code, tc.code, s.text())
			}
			if took >= stopBudget {
				t.Errorf("stopped %v after %v, want under %v", took, tc.sig, stopBudget)
			}
			if want := tc.want(out); !strings.HasSuffix(s.text(), want) {
				t.Errorf("stderr ends\n%q\nwant\n%q", lastLine(s.text()), want)
			}
			if _, err := os.Stat(filepath.Join(out, "results.csv")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("results.csv after an interrupted run: %v", err)
			}
		})
	}
}

func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:] + "\n"
}

// TestSecondSignalExitsAtOnce runs notifyContext in a child process that
// ignores its context: the first SIGINT only ends the context, the second
// ends the process with status 130.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if os.Getenv("SWEEP_NOTIFY_CHILD") == "1" {
		ctx, stop := notifyContext(context.Background(), os.Stderr)
		defer stop()
		fmt.Fprintln(os.Stderr, "ready")
		<-ctx.Done()
		fmt.Fprintf(os.Stderr, "context ended: %v\n", context.Cause(ctx))
		time.Sleep(time.Minute) // a run that does not stop
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondSignalExitsAtOnce$")
	cmd.Env = append(os.Environ(), "SWEEP_NOTIFY_CHILD=1")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func() string {
		select {
		case l := <-lines:
			return l
		case <-time.After(30 * time.Second):
			t.Fatal("no line from the child after 30 s")
		}
		return ""
	}
	if l := next(); l != "ready" {
		t.Fatalf("child said %q", l)
	}
	cmd.Process.Signal(syscall.SIGINT)
	if l := next(); l != "context ended: received SIGINT" {
		t.Fatalf("after the first SIGINT the child said %q", l)
	}
	sent := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	if l := next(); l != "sweep: SIGINT again: stopped at once" {
		t.Errorf("after the second SIGINT the child said %q", l)
	}
	cmd.Wait()
	took := time.Since(sent)
	t.Logf("second SIGINT: exit %d after %v", cmd.ProcessState.ExitCode(), took)
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit status %d, want 130", code)
	}
	if took >= stopBudget {
		t.Errorf("exited %v after the second SIGINT, want under %v", took, stopBudget)
	}
}

// TestNotRegularFiles checks that a directory, a FIFO or a device given as
// -config or -model is a clear error, not a blocked or endless read.
func TestNotRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "grid.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	data := writeSynthetic(t, dir, 30, 8)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-config", dir}, "sweep: read config " + dir + ": not a regular file (a directory)\n"},
		{[]string{"-config", fifo}, "sweep: read config " + fifo + ": not a regular file (a named pipe)\n"},
		{[]string{"fit", "-config", fifo, "-cell", "pca-2-2", "-o", filepath.Join(dir, "m.json")}, "sweep: read config " + fifo + ": not a regular file (a named pipe)\n"},
		{[]string{"predict", "-model", dir, "-data", data}, "sweep: read model " + dir + ": not a regular file (a directory)\n"},
		{[]string{"predict", "-model", fifo, "-data", data}, "sweep: read model " + fifo + ": not a regular file (a named pipe)\n"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests,
			struct {
				args []string
				want string
			}{[]string{"-config", "/dev/zero"}, "sweep: read config /dev/zero: not a regular file (a device)\n"},
			struct {
				args []string
				want string
			}{[]string{"predict", "-model", "/dev/zero", "-data", data}, "sweep: read model /dev/zero: not a regular file (a device)\n"})
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			done := make(chan struct{})
			var stderr string
			var code int
			go func() {
				defer close(done)
				_, stderr, code = runCmd(t, tt.args...)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("still reading after 10 s")
			}
			if code != 1 || stderr != tt.want {
				t.Errorf("exit %d, stderr %q; want 1, %q", code, stderr, tt.want)
			}
		})
	}
}
