package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sweep/report/compare"
)

const compareUsage = `Usage: sweep compare [-out DIR] [-tol X] [-metric m1,m2] A B

Compares two report directories, B against A: matches cells by reducer,
components and clusters, prints a summary, and writes delta.csv, delta.md,
delta_R.png and heatmaps_R.png per reducer R into -out. Exit status 1 when
a cell is in one run only or a compared value differs by more than -tol;
without -tol, differences within floating-point noise (relative 1e-9) are
counted apart and do not fail.

Flags:
`

// runCompare is 'sweep compare'.
func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compare", stdout, stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), compareUsage); fs.PrintDefaults() }
	var (
		outDir  = fs.String("out", "", "write the comparison into `dir` (default reports/compare-A-vs-B)")
		tol     = fs.Float64("tol", 0, "fail when a value differs by more than `x`; 0: the tables must be equal (default: equal but for floating-point noise, relative 1e-9)")
		metricF = fs.String("metric", "", "comma-separated `metrics` to compare (default all: "+strings.Join(compare.CompareMetrics(), ",")+")")
	)
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) != 2 {
		return usageError{fmt.Errorf("compare needs two report directories, got %d (see sweep compare -h)", len(dirs))}
	}
	if math.IsNaN(*tol) || *tol < 0 || math.IsInf(*tol, 0) {
		return usageError{fmt.Errorf("-tol %v: want a number >= 0", *tol)}
	}
	var metrics []string
	if *metricF != "" {
		known := compare.CompareMetrics()
		for _, m := range strings.Split(*metricF, ",") {
			m = strings.TrimSpace(m)
			if !slices.Contains(known, m) {
				return usageError{fmt.Errorf("-metric: unknown metric %q (known: %s)", m, strings.Join(known, ", "))}
			}
			if !slices.Contains(metrics, m) {
				metrics = append(metrics, m)
			}
		}
	}
	a, err := compare.ReadRun(dirs[0])
	if err != nil {
		return err
	}
	b, err := compare.ReadRun(dirs[1])
	if err != nil {
		return err
	}
	// Without -tol, floating-point noise is told apart from differences;
	// -tol 0 is the exact gate.
	rel := compare.NoiseFloor
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "tol" {
			rel = 0
		}
	})
	c := compare.CompareNoise(a, b, metrics, *tol, rel)
	if err := c.WriteText(stdout); err != nil {
		return err
	}
	dir := *outDir
	if dir == "" {
		dir = filepath.Join("reports", "compare-"+filepath.Base(filepath.Clean(dirs[0]))+"-vs-"+filepath.Base(filepath.Clean(dirs[1])))
	}
	if err := c.WriteFiles(dir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "comparison: %s\n", dir)
	if c.Err() != nil {
		// The differences are listed above, once.
		return fmt.Errorf("compare: %s and %s differ (listed above)", dirs[0], dirs[1])
	}
	return nil
}

// parseInterspersed parses flags anywhere among the arguments and returns
// the others, in order: 'compare A B -tol 0' works as 'compare -tol 0 A B'.
// A "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
