package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// reportFiles names every file WriteReport writes into a report
// directory, as filepath.Match patterns. It is the one list of what a
// sweep owns there: -fresh removes these files (and the store), a report
// removes those of them it did not write this time, and nothing else in
// the directory is ever removed. TestReportFilesListed keeps it in step
// with the writers.
var reportFiles = []string{
	"results.csv", "summary.csv", "summary.md", "selection.csv", "variance.csv", "timings.csv", "manifest.json", "assignments.csv",
	"heatmap_*.png", "silhouette_vs_k.png", "accuracy_vs_k.png",
	"criteria_vs_k.png", "elbow.png", "stability_vs_k.png", "scree.png",
	"silhouette_vs_k_features=*.png", "accuracy_vs_k_features=*.png", // per features value (curvesFile)
	"data.md", "classes.png", "samples.png", // DataSummary.WriteFiles
	"cell_*_fold*_*.png", // InspectedCells (nearest, random, scatter, silhouette, confusion; dendrogram for ward cells)
	"index.html",
}

// ReportFiles returns the patterns of the files a report consists of.
func ReportFiles() []string { return append([]string(nil), reportFiles...) }

// IsReportFile reports whether name (a base name) is a file WriteReport
// writes.
func IsReportFile(name string) bool {
	for _, p := range reportFiles {
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
	}
	return false
}

// isLeftover reports whether name is a temporary file that
// internal/atomicfile makes (".NAME.<digits>.tmp") for a report file: one
// a killed run left behind.
func isLeftover(name string) bool {
	inner, ok := strings.CutPrefix(name, ".")
	if !ok {
		return false
	}
	if inner, ok = strings.CutSuffix(inner, ".tmp"); !ok {
		return false
	}
	i := strings.LastIndexByte(inner, '.')
	if i < 0 || i == len(inner)-1 || strings.Trim(inner[i+1:], "0123456789") != "" {
		return false
	}
	return IsReportFile(inner[:i])
}

// removeMatching removes the plain files of dir whose names match.
func removeMatching(dir string, match func(string) bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("read report directory %s: %w", dir, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !match(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove %w", err)
		}
	}
	return nil
}

// removeLeftovers removes the temporary files a killed run left in dir.
// The caller holds the directory's lock, so no other run is writing them.
func removeLeftovers(dir string) error { return removeMatching(dir, isLeftover) }

// RemoveFiles removes from dir every file a report consists of and their
// leftover temporary files, and nothing else: with the store (see
// experiments.OpenStore), what -fresh discards. The caller holds the
// directory's lock.
func RemoveFiles(dir string) error {
	return removeMatching(dir, func(name string) bool { return IsReportFile(name) || isLeftover(name) })
}

// reportSnapshot records the report files of dir before a report is
// written.
func reportSnapshot(dir string) map[string]os.FileInfo {
	old := map[string]os.FileInfo{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() && IsReportFile(e.Name()) {
			if fi, err := e.Info(); err == nil {
				old[e.Name()] = fi
			}
		}
	}
	return old
}

// removeUnwritten removes the report files of the snapshot that are
// still the same files: written by an earlier run and not by this one
// (internal/atomicfile renames a new file into place, so a rewritten name
// is another file). Keep is about to be written.
func removeUnwritten(dir string, old map[string]os.FileInfo, keep string) error {
	for name, fi := range old {
		if name == keep {
			continue
		}
		path := filepath.Join(dir, name)
		now, err := os.Lstat(path)
		if err != nil || !os.SameFile(fi, now) {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale report file: %w", err)
		}
	}
	return nil
}
