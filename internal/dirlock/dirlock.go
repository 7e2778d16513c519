// Package dirlock gives one process at a time the right to write a report
// directory: an exclusive advisory lock (flock(2)) on a lock file in the
// directory, held until Release or until the process ends. The kernel
// drops the lock when the process dies however it dies, so a killed run
// never leaves a stale lock behind; the lock file itself stays, empty of
// meaning but for the pid of its last holder.
//
// It is not a lock between goroutines of one process, it does not wait
// for the lock, and it protects only against processes that take it too.
package dirlock

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// File is the name of the lock file in a locked directory.
const File = ".sweep.lock"

// Lock is a held directory lock.
type Lock struct {
	f *os.File
}

// BusyError is returned by Acquire when another process holds the lock.
type BusyError struct {
	Dir string // as the caller named it
	PID int    // the holder's process id; 0 when it could not be read
}

func (e *BusyError) Error() string {
	pid := "pid unknown"
	if e.PID > 0 {
		pid = "pid " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("%s is in use by another sweep (%s); wait for it or use another -out", e.Dir, pid)
}

// Acquire creates dir when absent and locks it without waiting. When
// another process holds it, the error is a *BusyError naming dir as given
// and the holder's pid.
func Acquire(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create report directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, File)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	busy, err := flock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if busy {
		pid := holder(f)
		f.Close()
		return nil, &BusyError{Dir: dir, PID: pid}
	}
	// The pid is for the message of a process that finds the lock taken.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// holder reads the holder's pid, waiting briefly for a holder that has
// just taken the lock and not yet written it.
func holder(f *os.File) int {
	for try := 0; try < 20; try++ {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		if pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:n]))); err == nil && pid > 0 {
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0
}

// Release drops the lock. It is safe on a nil Lock and to call twice.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	l.f.Close() // closing the descriptor releases the flock
	l.f = nil
}
