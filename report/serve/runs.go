package serve

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"sweep/experiments"
	"sweep/experiments/store"
	"sweep/internal/userfile"
	"sweep/report"
)

// maxDepth is how deep below a given directory report directories are
// looked for: reports/<name>, or a folder of such folders.
const maxDepth = 3

// maxManifest bounds the manifest read: a sweep's is a few kilobytes.
const maxManifest = 16 << 20

// run is one report directory, as the run list shows it.
type run struct {
	Name string // the one URL segment that names it
	Dir  string // absolute
	// stamp tells whether the manifest or the store changed since read.
	stamp string

	Manifest report.Manifest
	Header   store.Header
	Cells    []experiments.Cell // the grid, with folds, in config order
	Summary  []experiments.Summary
	Headline experiments.Headline
	// Problem says why the run cannot be read (the list shows it); the
	// fields above are then partly empty.
	Problem string
}

// Fingerprint returns the store's fingerprint (config and data), which
// names the run's views cache: a run made again with another config or
// data draws its cells anew.
func (r *run) fingerprint() string {
	if len(r.Header.Fingerprint) < 16 {
		return "unknown"
	}
	return r.Header.Fingerprint[:16]
}

// scan finds the report directories under the roots again, reading the
// runs that are new or changed, and keeps the others.
func (s *Server) scan() error {
	found := map[string]string{} // name -> dir
	var names []string
	for _, root := range s.roots {
		dirs, err := findReports(root)
		if err != nil {
			return err
		}
		for _, d := range dirs {
			name := runName(root, d)
			if other, dup := found[name]; dup {
				return fmt.Errorf("serve: %s and %s would both be served as run %q; serve them from two servers, or rename one", other, d, name)
			}
			found[name] = d
			names = append(names, name)
		}
	}
	s.mu.Lock()
	old := s.runs
	s.mu.Unlock()
	runs := make(map[string]*run, len(names))
	for _, name := range names {
		dir := found[name]
		if r := old[name]; r != nil && r.Dir == dir && r.stamp == stampOf(dir) {
			runs[name] = r
			continue
		}
		runs[name] = readRun(name, dir)
	}
	slices.SortStableFunc(names, func(a, b string) int {
		// Newest first; unreadable runs last.
		return runs[b].Manifest.Started.Compare(runs[a].Manifest.Started)
	})
	s.mu.Lock()
	s.runs, s.names = runs, names
	s.mu.Unlock()
	return nil
}

// findReports returns the folders at most maxDepth below root (root
// included) that hold a manifest.json, without descending into them or
// into hidden folders, and without following symlinks.
func findReports(root string) ([]string, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("serve: %s is not a directory", root)
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return fs.SkipDir // an unreadable folder below: not served
		}
		if !d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if p != root && (strings.HasPrefix(d.Name(), ".") || strings.Count(rel, string(filepath.Separator)) >= maxDepth) {
			return fs.SkipDir
		}
		if fi, err := os.Lstat(filepath.Join(p, "manifest.json")); err == nil && fi.Mode().IsRegular() {
			out = append(out, p)
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("serve: read %s: %w", root, err)
	}
	return out, nil
}

// runName names the run in dir found under root: its path below root
// with '/' as '-', or root's own name for root itself; characters other
// than letters, digits and ._=+- become '_', so that the name is one URL
// segment that needs no escaping.
func runName(root, dir string) string {
	rel, _ := filepath.Rel(root, dir)
	if rel == "." {
		rel = filepath.Base(root)
	}
	rel = strings.ReplaceAll(filepath.ToSlash(rel), "/", "-")
	name := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', strings.ContainsRune("._=+-", r):
			return r
		}
		return '_'
	}, rel)
	if strings.Trim(name, ".") == "" {
		name = "run" // "." and ".." are not names
	}
	return name
}

// stampOf is the size and modification time of dir's manifest and store.
func stampOf(dir string) string {
	var b strings.Builder
	for _, f := range []string{"manifest.json", store.File} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err == nil {
			fmt.Fprintf(&b, "%d.%d;", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String()
}

// readRun reads the manifest and the store of a report directory and
// ranks its cells by each headline criterion, as the report does. A run
// that cannot be read is returned with its Problem.
func readRun(name, dir string) *run {
	r := &run{Name: name, Dir: dir, stamp: stampOf(dir)}
	path := filepath.Join(dir, "manifest.json")
	b, err := userfile.ReadLimited(path, "manifest", maxManifest)
	if err == nil {
		err = json.Unmarshal(b, &r.Manifest)
	}
	if err != nil {
		r.Problem = fmt.Sprintf("read %s: %v", path, err)
		return r
	}
	sh, err := store.Read(dir)
	if err != nil {
		r.Problem = fmt.Sprintf("read %s: %v", filepath.Join(dir, store.File), err)
		return r
	}
	r.Header = sh.Header
	r.Cells = sh.Header.Config.Cells()
	r.Summary = experiments.Summarize(sh.Results())
	r.Headline = experiments.NewHeadline(r.Summary)
	return r
}

// date formats the run's start for the list.
func (r *run) date() string {
	if r.Manifest.Started.IsZero() {
		return ""
	}
	return r.Manifest.Started.UTC().Format(time.DateTime + " UTC")
}

// lookup returns the run named name, or a 404 error.
func (s *Server) lookup(name string) (*run, error) {
	s.mu.Lock()
	r := s.runs[name]
	s.mu.Unlock()
	if r == nil {
		return nil, errorf(404, "no run %q (the run list at / names the runs served)", name)
	}
	return r, nil
}
