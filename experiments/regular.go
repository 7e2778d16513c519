package experiments

import (
	"fmt"
	"io/fs"
	"os"
)

// notRegular returns an error when path exists and is not a regular file
// (after symbolic links), and nil otherwise, leaving a missing file to the
// read that follows. Reading a FIFO, a device or a directory as a config,
// model or store would block, never end, or fail obscurely; Stat does not
// open the file, so a FIFO without a writer does not block it.
func notRegular(path string) error {
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
