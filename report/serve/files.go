package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// handleFile serves a file of a run's report directory:
// /runs/<run>/<path>. The file is opened through os.Root, which refuses
// absolute paths, ".." that climbs out and symlinks that lead out of the
// directory; hidden files (the lock, temporary files) are not served.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	rn, err := s.lookup(r.PathValue("run"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := r.PathValue("path")
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") {
			httpError(w, http.StatusNotFound, fmt.Sprintf("%s: hidden files are not served", p))
			return
		}
	}
	if err := serveFile(w, r, rn.Dir, p); err != nil {
		s.fail(w, r, fmt.Errorf("run %s: %w", rn.Name, err))
	}
}

// serveFile serves the regular file at rel (slash-separated) inside dir,
// refusing any path that leads out of dir.
func serveFile(w http.ResponseWriter, r *http.Request, dir, rel string) error {
	if rel == "" || path.IsAbs(rel) || filepath.IsAbs(rel) {
		return errorf(http.StatusBadRequest, "%q is not a file name inside the run", rel)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer root.Close()
	f, err := root.Open(filepath.FromSlash(rel))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errorf(http.StatusNotFound, "no file %s", rel)
	case err != nil:
		// An escape through ".." or a symlink, or a permission.
		return errorf(http.StatusForbidden, "%s is not served: it leads outside the report directory or cannot be read", rel)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", rel, err)
	}
	if !fi.Mode().IsRegular() {
		return errorf(http.StatusNotFound, "%s is not a file", rel)
	}
	securityHeaders(w)
	http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
	return nil
}

// viewsDir returns dir/views/<sub...>, creating each folder, and refuses
// one that exists as anything but a plain folder (a symlink could lead
// the cache's writes out of the report directory).
func viewsDir(dir string, sub ...string) (string, error) {
	p := dir
	for _, name := range append([]string{"views"}, sub...) {
		p = filepath.Join(p, name)
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(p, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return "", fmt.Errorf("create %s: %w", p, err)
			}
			if fi, err = os.Lstat(p); err != nil {
				return "", fmt.Errorf("create %s: %w", p, err)
			}
		case err != nil:
			return "", fmt.Errorf("views cache %s: %w", p, err)
		}
		if !fi.IsDir() {
			return "", fmt.Errorf("views cache %s is not a folder (a symlink?); remove it", p)
		}
	}
	return p, nil
}
