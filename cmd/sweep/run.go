package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/runner"
)

// usageError marks misuse of the command line: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode prints err (if any) prefixed "sweep:" and returns the exit
// status: 0 success, 2 misuse of flags, 1 anything else.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	fmt.Fprintf(stderr, "sweep: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v (please report this bug)", r)
		}
	}()
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
			return nil
		case "inspect":
			return runInspect(args[1:], stdout, stderr)
		}
	}
	return runSweep(ctx, args, stdout, stderr)
}

const usage = `sweep runs a grid of reductions and k-means clusterings over an image
dataset and writes silhouette tables and heatmaps.

Usage:

	sweep -config grid.yaml [-data FILE] [-out DIR] [-workers N] [-dry-run] [-assignments]
	sweep inspect -data FILE [-out DIR]

Run 'go doc sweep/cmd/sweep' for the manual.
`

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage, "\nFlags:\n"); fs.PrintDefaults() }
	var (
		configPath  = fs.String("config", "", "YAML `file` describing the sweep (required)")
		dataPath    = fs.String("data", "", "data `file`, overriding data.path")
		outDir      = fs.String("out", "", "report `directory`, overriding report.dir")
		workers     = fs.Int("workers", 0, "cells computed at once, overriding workers (0 = all cores)")
		dryRun      = fs.Bool("dry-run", false, "print the expanded cells and exit")
		assignments = fs.Bool("assignments", false, "also write each cell's cluster assignments (assignments.csv)")
	)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *configPath == "" {
		return usageError{errors.New("-config is required (see sweep -help)")}
	}
	cfg, err := experiments.LoadConfig(*configPath)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["data"] {
		cfg.Data.Path = *dataPath
	}
	if set["out"] {
		cfg.Report.Dir = *outDir
	}
	if set["workers"] {
		cfg.Workers = *workers
	}
	if set["assignments"] {
		cfg.Report.Assignments = *assignments
	}
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	if cfg.Report.Dir == "" {
		cfg.Report.Dir = filepath.Join("reports", cfg.Name)
	}
	cells := cfg.Cells()
	if *dryRun {
		fmt.Fprintf(stdout, "%d cells (%d reducers x %d component counts x %d cluster counts x %d folds)\n",
			len(cells), len(cfg.Grid.Reducer), len(cfg.Grid.Components), len(cfg.Grid.Clusters), cfg.Grid.Folds)
		for _, c := range cells {
			fmt.Fprintln(stdout, c.Key())
		}
		return nil
	}

	if cfg.Data.Path == "" {
		cfg.Data.Path = os.Getenv("FER2013_CSV")
	}
	start := time.Now()
	data, err := loadData(cfg.Data.Path)
	if err != nil {
		return err
	}
	loadSec := time.Since(start).Seconds()
	sw, err := experiments.NewSweep(cfg, data)
	if err != nil {
		return fmt.Errorf("%s: %w", *configPath, err)
	}
	nw := runner.Workers(cfg.Workers)
	fmt.Fprintf(stderr, "sweep: %d cells on %d workers, %d of %d rows of %s\n", len(cells), nw, len(sw.Sel.Rows), data.N(), data.Name)
	results, err := sw.Run(ctx, cfg.Workers, nil)
	done := experiments.Finished(results)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted: %d of %d cells finished; no report written", done, len(cells))
		}
		return fmt.Errorf("%w (%d of %d cells finished; no report written)", err, done, len(cells))
	}
	wall := time.Since(start)
	info := experiments.ReportInfo{ConfigFile: *configPath, Workers: nw, Started: start, Wall: wall, LoadSeconds: loadSec}
	if err := experiments.WriteReport(ctx, cfg.Report.Dir, sw, results, info); err != nil {
		return err
	}
	for _, s := range experiments.Summarize(results) {
		if s.Best {
			fmt.Fprintf(stdout, "best: %s-%d-%d silhouette %.4f\n", s.Reducer, s.Components, s.Clusters, s.SilMean)
		}
	}
	fmt.Fprintf(stdout, "report: %s (%d cells in %.1fs)\n", cfg.Report.Dir, len(cells), wall.Seconds())
	return nil
}

// loadData reads the data file, adding where to get FER2013 when the file
// is missing.
func loadData(path string) (*dataset.Dataset, error) {
	if path == "" {
		path = os.Getenv("FER2013_CSV")
	}
	if path == "" {
		return nil, experiments.ErrNoData
	}
	d, err := dataset.Load(path)
	if err != nil && errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w\n%v", err, experiments.ErrNoData)
	}
	return d, err
}

func runInspect(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("inspect", stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: sweep inspect -data FILE [-out DIR]\n\nSummarises a dataset: class counts per split, duplicates, near-constant images, pixel range.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	dataPath := fs.String("data", "", "data `file` (default $FER2013_CSV)")
	outDir := fs.String("out", "", "write data.md, classes.png and samples.png into `dir` (default reports/inspect-NAME)")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := loadData(*dataPath)
	if err != nil {
		return err
	}
	sum := experiments.Inspect(d, nil)
	if err := sum.Markdown(stdout); err != nil {
		return err
	}
	dir := *outDir
	if dir == "" {
		base := filepath.Base(d.Name)
		for _, ext := range []string{".gz", ".csv"} {
			base = strings.TrimSuffix(base, ext)
		}
		dir = filepath.Join("reports", "inspect-"+base)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := sum.WriteFiles(dir, d); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\npictures: %s\n", dir)
	return nil
}
