package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Two holders in one process use two open file descriptions, so the
// second is refused as another process would be; after Release it wins.
func TestAcquireBusyRelease(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports", "x")
	a, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir)
	var busy *BusyError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() {
		t.Fatalf("second Acquire: %v, want a BusyError with pid %d", err, os.Getpid())
	}
	want := fmt.Sprintf("%s is in use by another sweep (pid %d); wait for it or use another -out", dir, os.Getpid())
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	a.Release()
	a.Release()
	b, err := Acquire(dir)
	if err != nil {
		t.Fatalf("after Release: %v", err)
	}
	b.Release()
	if _, err := os.Stat(filepath.Dir(dir)); !os.IsNotExist(err) {
		t.Errorf("the directories Acquire created are still there after Release: %v", err)
	}
}

// Release removes the lock file but never a directory it did not create
// or one that holds anything else.
func TestReleaseKeepsDirectories(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("Release removed a directory it did not create: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, File)); !os.IsNotExist(err) {
		t.Errorf("lock file left: %v", err)
	}
	sub := filepath.Join(dir, "new")
	l, err = Acquire(sub)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "results.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l.Release()
	if _, err := os.Stat(filepath.Join(sub, "results.csv")); err != nil {
		t.Errorf("Release removed a directory with a file in it: %v", err)
	}
}

func TestAcquireNotADirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(filepath.Join(file, "x")); err == nil {
		t.Fatal("Acquire under a file succeeded")
	}
}
