package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CheckReportDir refuses a report directory that is, or is inside, the
// image folder data, and an image folder inside the report directory:
// the report's PNG files would be read as images on the next run (a class
// named after the directory, or extra faces of a class). Paths are
// compared absolute and cleaned, with symbolic links resolved as far as
// they exist, so that neither a link nor "a/../b" hides the overlap. Data
// that is a file (CSV, IDX), or that does not exist, is not checked.
func CheckReportDir(reportDir, data string) error {
	st, err := os.Stat(data)
	if err != nil || !st.IsDir() {
		return nil
	}
	out, err := resolvePath(reportDir)
	if err != nil {
		return fmt.Errorf("report directory %s: %w", reportDir, err)
	}
	in, err := resolvePath(data)
	if err != nil {
		return fmt.Errorf("data folder %s: %w", data, err)
	}
	switch {
	case within(out, in):
		return fmt.Errorf("report directory %s is inside the data folder %s: its images would be read as data on the next run; choose an -out outside it", reportDir, data)
	case within(in, out):
		return fmt.Errorf("data folder %s is inside the report directory %s: the report's images would be read as data on the next run; choose an -out that does not contain it", data, reportDir)
	}
	return nil
}

// within reports whether path p is dir or inside it; both are clean and
// absolute.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// resolvePath returns p absolute and clean, with the symbolic links of its
// longest existing ancestor resolved and the rest appended.
func resolvePath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; {
		r, err := filepath.EvalSymlinks(dir)
		if err == nil {
			return filepath.Join(r, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrInvalid) {
			// A file where a directory is wanted, say: compare the
			// plain path; creating the directory reports it.
			return abs, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}
