// Package userfile reads the files a user names on the command line or in
// a config (a config, a model, a results store) safely: only regular
// files, and never more than a bound, so that a FIFO, a device or a huge
// file is a clear error instead of a hang or an exhausted memory. It does
// not read data sets (package dataset streams those).
package userfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegular returns an error when path exists and is not a regular file
// (after symbolic links), and nil otherwise, leaving a missing file to the
// read that follows. Reading a FIFO, a device or a directory as a config,
// model or store would block, never end, or fail obscurely; Stat does not
// open the file, so a FIFO without a writer does not block it.
func NotRegular(path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().IsRegular() {
		return nil
	}
	kind := "not a regular file"
	switch m := fi.Mode(); {
	case m.IsDir():
		kind += " (a directory)"
	case m&fs.ModeNamedPipe != 0:
		kind += " (a named pipe)"
	case m&fs.ModeDevice != 0:
		kind += " (a device)"
	case m&fs.ModeSocket != 0:
		kind += " (a socket)"
	}
	return fmt.Errorf("%s", kind)
}

// ReadLimited reads the file at path, a what ("config", "model"), and
// refuses one of more than max bytes. It reads through io.LimitReader, at
// most max+1 bytes, so that a device or a FIFO that never ends cannot
// exhaust memory.
func ReadLimited(path, what string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer f.Close() // read only
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("read %s: %s is larger than %d MiB, the limit for a %s file", what, path, max>>20, what)
	}
	return b, nil
}
