package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sweep/internal/dirlock"
)

// TestOneWriterPerDirectory runs real sweep processes into one report
// directory. The holder reads its data from a FIFO nobody writes, so it
// holds the directory for as long as the test wants. A second run, and a
// -fresh run, exit 1 at once naming the holder's pid and leave the stored
// results alone; after SIGKILL of the holder the directory is free.
func TestOneWriterPerDirectory(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	sweep := func(args ...string) (string, int) {
		cmd := exec.Command(bin, append([]string{"-config", cfg, "-q"}, args...)...)
		cmd.Dir = dir
		var e bytes.Buffer
		cmd.Stderr = &e
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return e.String(), cmd.ProcessState.ExitCode()
	}
	if stderr, code := sweep("-data", data, "-out", "reports/x"); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	store := filepath.Join(dir, "reports", "x", "cells.jsonl")
	before := mustRead(t, store)

	fifo := filepath.Join(dir, "fifo.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	holder := exec.Command(bin, "-config", cfg, "-q", "-data", fifo, "-out", "reports/x")
	holder.Dir = dir
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Process.Kill()
	pid := holder.Process.Pid
	lockFile := filepath.Join(dir, "reports", "x", dirlock.File)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if b, _ := os.ReadFile(lockFile); strings.TrimSpace(string(b)) == strconv.Itoa(pid) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the holder did not take the lock")
		}
	}
	want := fmt.Sprintf("sweep: reports/x is in use by another sweep (pid %d); wait for it or use another -out\n", pid)
	for _, args := range [][]string{{}, {"-fresh"}} {
		start := time.Now()
		stderr, code := sweep(append([]string{"-data", data, "-out", "reports/x"}, args...)...)
		if code != 1 || stderr != want {
			t.Errorf("second run %v: exit %d, %q; want 1, %q", args, code, stderr, want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("second run %v took %v; it must exit at once", args, d)
		}
		if got := mustRead(t, store); got != before {
			t.Errorf("second run %v changed the holder's store", args)
		}
	}
	if err := holder.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	holder.Wait()
	if stderr, code := sweep("-data", data, "-out", "reports/x", "-fresh"); code != 0 {
		t.Fatalf("after SIGKILL of the holder: exit %d: %s", code, stderr)
	}
}

// merge and fit lock the directory they write.
func TestMergeAndFitLock(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	var shards []string
	for i := 1; i <= 2; i++ {
		out := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		shards = append(shards, out)
		if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q", "-shard", fmt.Sprintf("%d/2", i)); code != 0 {
			t.Fatal(stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	models := filepath.Join(dir, "models")
	for _, d := range []string{merged, models} {
		l, err := dirlock.Acquire(d)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
	}
	busy := func(d string) string {
		return fmt.Sprintf("sweep: %s is in use by another sweep (pid %d); wait for it or use another -out\n", d, os.Getpid())
	}
	if _, stderr, code := runCmd(t, append([]string{"merge", "-out", merged}, shards...)...); code != 1 || stderr != busy(merged) {
		t.Errorf("merge into a locked directory: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(merged, "results.csv")); err == nil {
		t.Error("merge wrote into a locked directory")
	}
	if _, stderr, code := runCmd(t, "fit", "-config", cfg, "-data", data, "-cell", "pca-2-3", "-o", filepath.Join(models, "m.json")); code != 1 || stderr != busy(models) {
		t.Errorf("fit into a locked directory: exit %d, %q", code, stderr)
	}
}

// A run that fails before writing anything (here: no data file) leaves no
// report directory behind, not even its lock file.
func TestFailedRunLeavesNoDirectory(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, syntheticGrid)
	out := filepath.Join(dir, "reports", "x")
	if _, _, code := runCmd(t, "-config", cfg, "-data", filepath.Join(dir, "none.csv"), "-out", out, "-q"); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after a failed run: %v", out, err)
	}
}
