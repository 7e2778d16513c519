// Package dirlock gives one process at a time the right to write a report
// directory: an exclusive advisory lock (flock(2)) on a lock file in the
// directory, held until Release or until the process ends. The kernel
// drops the lock when the process dies however it dies, so a killed run
// never leaves a stale lock behind. Release removes the lock file, and the
// directories Acquire created when nothing else was put there, so
// a run that fails early leaves nothing behind.
//
// It is not a lock between goroutines of one process, it does not wait
// for the lock, and it protects only against processes that take it too.
package dirlock

import (
	"bytes"
	"errors"
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
	f       *os.File
	dir     string
	created []string // the directories Acquire created, deepest first
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
	var created []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) || d == filepath.Dir(d) {
			break
		}
		created = append(created, d)
	}
	path := filepath.Join(dir, File)
	for try := 0; ; try++ {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create report directory %s: %w", dir, err)
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if errors.Is(err, os.ErrNotExist) && try < 10 {
			continue // the directory was removed by a holder's Release
		}
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
		// A holder's Release unlinks the file it locked: the lock counts
		// only while the file locked is the one at path.
		fi, err1 := f.Stat()
		pi, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(fi, pi) {
			// The pid is for the message of a process that finds the lock taken.
			if err := f.Truncate(0); err == nil {
				f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
			}
			return &Lock{f: f, dir: dir, created: created}, nil
		}
		f.Close()
		if try >= 10 {
			return nil, fmt.Errorf("lock %s: the lock file keeps being replaced", path)
		}
	}
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

// Release drops the lock and removes the lock file, then the directories
// Acquire created that are empty. It is safe on a nil Lock and to
// call twice.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	// Unlinked while still held, so a process that opened it since finds
	// it is no longer the lock file (see Acquire).
	os.Remove(filepath.Join(l.dir, File))
	l.f.Close() // closing the descriptor releases the flock
	l.f = nil
	for _, d := range l.created {
		if os.Remove(d) != nil { // fails, as it should, unless empty
			break
		}
	}
}
