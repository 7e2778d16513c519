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
