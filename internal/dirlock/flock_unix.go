//go:build unix

package dirlock

import (
	"errors"
	"os"
	"syscall"
)

// flock takes an exclusive lock on f without blocking; busy reports that
// another open file description holds it.
func flock(f *os.File) (busy bool, err error) {
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}
