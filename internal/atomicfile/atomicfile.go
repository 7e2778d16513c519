// Package atomicfile writes a file so that readers see the old file or the
// complete new one, never a part: write a temporary file beside it, fsync,
// rename. It is not a general file-system toolkit.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Write creates or replaces the file at path with the bytes fn writes.
//
// It writes to a temporary file in the same directory as path (created with
// os.CreateTemp, its name starting with "."+filepath.Base(path), so it is hidden
// and on the same file system), flushes, fsyncs and closes it, checking every
// error, sets its mode to 0644 and renames it over path. rename(2) within one
// file system is atomic, so readers of path see either the old file or the
// complete new one, never a partial write. On any error, and if fn panics, the
// temporary file is removed and path is left as it was.
//
// The writer passed to fn is buffered; fn must not retain it. Errors are
// returned as fmt.Errorf("write %s: %w", path, err), so errors.Is sees the
// error returned by fn.
func Write(path string, fn func(w io.Writer) error) error {
	if err := write(path, fn); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func write(path string, fn func(w io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed, renamed := false, false
	// The deferred cleanup also runs when fn panics.
	defer func() {
		if renamed {
			return
		}
		if !closed {
			if cerr := f.Close(); cerr != nil && err != nil {
				err = errors.Join(err, cerr)
			}
		}
		if rerr := os.Remove(tmp); rerr != nil && err != nil {
			err = errors.Join(err, rerr)
		}
	}()

	bw := bufio.NewWriter(f)
	if err := fn(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	closed = true
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	renamed = true
	return nil
}

// IsTemp reports whether name is a temporary file that Write makes for a
// file named base (".BASE.<digits>.tmp"): one that a killed writer left
// behind.
func IsTemp(name, base string) bool {
	inner, ok := strings.CutPrefix(name, "."+base+".")
	if !ok {
		return false
	}
	digits, ok := strings.CutSuffix(inner, ".tmp")
	return ok && digits != "" && strings.Trim(digits, "0123456789") == ""
}
