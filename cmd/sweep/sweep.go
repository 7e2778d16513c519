package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/experiments/store"
	"sweep/internal/dirlock"
	"sweep/report"
	"sweep/runner"
)

// sweepCmd is the sweep command: its flags, and what one run carries from
// step to step (config, shard, report directory).
type sweepCmd struct {
	stdout, stderr io.Writer
	fs             *flag.FlagSet

	configPath, dataPath, labelsPath, outDir, shardFlag *string
	workers, shardsFlag                                 *int
	dryRun, assignments, fresh, keepGoing, quiet, verb  *bool

	cfg           experiments.Config
	cells         []experiments.Cell
	shard, shards int
	mine          []int  // the cells of this shard
	dir           string // the report (or shard) directory
}

func newSweepCmd(stdout, stderr io.Writer) *sweepCmd {
	c := &sweepCmd{stdout: stdout, stderr: stderr, fs: newFlags("sweep", stdout, stderr)}
	fs := c.fs
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage, "\nFlags:\n"); fs.PrintDefaults() }
	c.configPath = fs.String("config", "", "YAML `file` describing the sweep (required)")
	c.dataPath = fs.String("data", "", "data `file` or image folder, overriding data.path")
	c.labelsPath = fs.String("labels", "", "IDX labels `file`, overriding data.labels")
	c.outDir = fs.String("out", "", "report `directory`, overriding report.dir")
	c.workers = fs.Int("workers", 0, "cells computed at once, overriding workers (0 = all cores)")
	c.dryRun = fs.Bool("dry-run", false, "print the expanded cells and exit")
	c.assignments = fs.Bool("assignments", false, "also write each cell's cluster assignments (assignments.csv)")
	c.fresh = fs.Bool("fresh", false, "discard the results already stored in the report directory")
	c.shardFlag = fs.String("shard", "", "run only shard `i/N` of the cells (1-based i); see also -shards")
	c.shardsFlag = fs.Int("shards", 0, "shard count `N`; the index comes from SLURM_ARRAY_TASK_ID (1..N) or JOB_COMPLETION_INDEX (0..N-1)")
	c.keepGoing = fs.Bool("keep-going", false, "record failed cells and finish the others instead of stopping")
	c.quiet = fs.Bool("q", false, "no progress on standard error")
	c.verb = fs.Bool("v", false, "log per-stage timings (log/slog) to standard error; progress as plain lines")
	return c
}

// runSweep runs a sweep: the config, then -dry-run's listing or the cells
// and the report.
func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newSweepCmd(stdout, stderr)
	if err := c.configure(args); err != nil {
		return err
	}
	if *c.dryRun {
		c.printCells()
		return nil
	}
	// One writer per report directory, for the whole run: taken before
	// anything there is read or removed (-fresh).
	lock, err := dirlock.Acquire(c.dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	return c.run(ctx)
}

// configure parses the flags and overrides and resolves the config, the
// shard and the report directory.
func (c *sweepCmd) configure(args []string) error {
	if err := parseWithOverrides(c.fs, args); err != nil {
		return err
	}
	if *c.configPath == "" {
		return usageError{errors.New("-config is required (see sweep -help)")}
	}
	cfg, err := experiments.LoadConfig(*c.configPath, c.fs.Args()...)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["data"] {
		cfg.Data.Path = *c.dataPath
	}
	if set["labels"] {
		cfg.Data.Labels = *c.labelsPath
	}
	if set["out"] {
		cfg.Report.Dir = *c.outDir
	}
	if set["workers"] {
		cfg.Workers = *c.workers
	}
	if set["assignments"] {
		cfg.Report.Assignments = *c.assignments
	}
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	if cfg.Report.Dir == "" {
		cfg.Report.Dir = filepath.Join("reports", cfg.Name)
	}
	if c.shard, c.shards, err = resolveShard(*c.shardFlag, *c.shardsFlag, os.Getenv); err != nil {
		return usageError{err}
	}
	c.cfg, c.cells, c.mine = cfg, cfg.Cells(), cfg.ShardCells(c.shard, c.shards)
	c.dir = cfg.Report.Dir
	if c.shards > 1 && !set["out"] {
		c.dir = filepath.Join(c.dir, fmt.Sprintf("shard-%d-of-%d", c.shard+1, c.shards))
	}
	return nil
}

// printCells is -dry-run: the grid's size and this shard's cells.
func (c *sweepCmd) printCells() {
	g := c.cfg.Grid
	fmt.Fprintf(c.stdout, "%d cells (%s%d reducers x %d component counts x %d cluster counts x %d folds)\n",
		len(c.cells), axesCount(g.Axes), len(g.Reducer), len(g.Components), len(g.Clusters), g.Folds)
	if c.shards > 1 {
		fmt.Fprintf(c.stdout, "shard %d/%d: %d cells\n", c.shard+1, c.shards, len(c.mine))
	}
	for _, i := range c.mine {
		fmt.Fprintln(c.stdout, c.cells[i].Key())
	}
}

// run loads the data, opens the store, computes the missing cells and
// writes the report (or, for a shard, says how to merge).
func (c *sweepCmd) run(ctx context.Context) error {
	start := time.Now()
	data, err := c.load(ctx)
	if err != nil {
		return err
	}
	loadSec := time.Since(start).Seconds()
	sw, err := experiments.NewSweep(c.cfg, data)
	if err != nil {
		return c.cfg.Locate(err)
	}
	if *c.fresh {
		// -fresh discards the report's files here and the store in store.Open.
		if err := report.RemoveFiles(c.dir); err != nil {
			return err
		}
	}
	st, err := store.Open(c.dir, store.Header{
		Fingerprint: store.Fingerprint(c.cfg, data.SHA256),
		Config:      c.cfg, DataSHA256: data.SHA256, Cells: len(c.cells), Shard: c.shard, Shards: c.shards,
	}, sw, *c.fresh)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, w := range st.Warnings {
		fmt.Fprintf(c.stderr, "sweep: %s\n", w)
	}
	results, err := c.compute(ctx, sw, st, loadSec)
	if err != nil {
		return err
	}
	failed := 0
	for _, i := range c.mine {
		if results[i].Failed != "" {
			failed++
		}
	}
	if c.shards > 1 {
		fmt.Fprintf(c.stdout, "shard %d/%d: %d cells in %s; combine the shards with sweep merge\n", c.shard+1, c.shards, len(c.mine), c.dir)
	} else if err := c.report(ctx, sw, results, start, loadSec); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d cells failed (see the note column of results.csv); run again to retry them", failed, len(c.mine))
	}
	return nil
}

// load reads the data (data.path, else FER2013_CSV).
func (c *sweepCmd) load(ctx context.Context) (*dataset.Dataset, error) {
	if c.cfg.Data.Path == "" {
		c.cfg.Data.Path = dataset.DefaultPath()
	}
	if err := experiments.CheckReportDir(c.cfg.Report.Dir, c.cfg.Data.Path); err != nil {
		return nil, err
	}
	data, err := loadData(ctx, c.cfg.Data, c.stderr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, interruptedError{fmt.Sprintf("while reading %s; nothing was stored", c.cfg.Data.Path), context.Cause(ctx)}
		}
		return nil, err
	}
	if os.Getenv("GOGC") == "" {
		// The pixels stay live for the whole sweep, and with the default
		// GOGC=100 the heap grows to twice what is live before the cells'
		// garbage is collected. 25 keeps the full-data grids within 700 MB
		// at no measurable cost (bench/results.md): the pixels hold no
		// pointers, so a collection does not scan them.
		debug.SetGCPercent(25)
	}
	return data, nil
}

// storedAt says where the cells are kept and how to go on.
func (c *sweepCmd) storedAt(stored int) string {
	return fmt.Sprintf("%d of %d cells are stored in %s; run the same command again to resume", stored, len(c.mine), filepath.Join(c.dir, store.File))
}

// compute runs the cells of this shard that the store lacks, storing each
// as it finishes, and returns the results indexed like c.cells.
func (c *sweepCmd) compute(ctx context.Context, sw *experiments.Sweep, st *store.Store, loadSec float64) ([]*experiments.Result, error) {
	results := make([]*experiments.Result, len(c.cells))
	var missing []int
	for _, i := range c.mine {
		if r, ok := st.Done[c.cells[i].Key()]; ok {
			results[i] = r
		} else {
			missing = append(missing, i)
		}
	}
	if !*c.quiet {
		fmt.Fprintf(c.stderr, "sweep: %d cells on %s, %d of %d rows of %s\n", len(c.mine), plural(runner.Workers(c.cfg.Workers), "worker"), len(sw.Sel.Rows), sw.Data.N(), sw.Data.Name)
	}
	prog := newProgress(c.stderr, len(missing), isTerminal(c.stderr) && !*c.verb, *c.quiet)
	if *c.verb {
		prog.log = slog.New(slog.NewTextHandler(c.stderr, nil))
	}
	if n := len(c.mine) - len(missing); n > 0 {
		fmt.Fprintf(c.stderr, "sweep: resuming: %d of %d cells already in %s\n", n, len(c.mine), filepath.Join(c.dir, store.File))
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stored := len(c.mine) - len(missing)
	_, err := sw.RunCells(runCtx, missing, c.cfg.Workers, *c.keepGoing, func(r *experiments.Result) {
		if _, done := st.Done[r.Key()]; done {
			return // recomputed with its group; the stored result is identical
		}
		if err := st.Add(r, c.cfg.Report.Assignments); err != nil {
			cancel(err)
			return
		}
		i, _ := sw.CellIndex(r.Cell)
		results[i] = r
		stored++
		prog.Done(r)
	})
	prog.Finish()
	if prog.log != nil {
		logStages(prog.log, loadSec, sw.Timings())
	}
	if cause := context.Cause(runCtx); err != nil && cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, interruptedError{c.storedAt(stored), context.Cause(ctx)}
		}
		return nil, fmt.Errorf("%w\n%s", err, c.storedAt(stored))
	}
	return results, nil
}

// report writes the report directory and the closing lines.
func (c *sweepCmd) report(ctx context.Context, sw *experiments.Sweep, results []*experiments.Result, start time.Time, loadSec float64) error {
	wall := time.Since(start)
	info := report.ReportInfo{Warn: c.stderr, ConfigFile: *c.configPath, Overrides: c.fs.Args(), Workers: runner.Workers(c.cfg.Workers),
		Started: start, Wall: wall, LoadSeconds: loadSec}
	if err := report.WriteReport(ctx, c.dir, sw, results, info); err != nil {
		if ctx.Err() != nil {
			return interruptedError{c.storedAt(experiments.Finished(results)), context.Cause(ctx)}
		}
		return err
	}
	for _, s := range experiments.Summarize(results) {
		if s.Best {
			fmt.Fprintf(c.stdout, "best: %s silhouette %.4f%s\n", s.Cell.Name(), s.Stat("silhouette").Mean, c.bestAccuracy(sw, s))
		}
	}
	fmt.Fprintf(c.stdout, "report: %s (%d cells in %.1fs)\n", c.dir, len(c.cells), wall.Seconds())
	fmt.Fprintf(c.stdout, "open %s\n", filepath.Join(c.dir, "index.html"))
	return nil
}

// bestAccuracy is the best cell's accuracy for the closing line, beside
// the share of the largest class (what a labelling gets without looking
// at the images); "" for unlabelled data.
func (c *sweepCmd) bestAccuracy(sw *experiments.Sweep, s experiments.Summary) string {
	acc := s.Stat("accuracy_majority").Mean
	largest, _ := sw.Baselines(sw.Selection(s.Cell))
	if math.IsNaN(acc) || math.IsNaN(largest) {
		return ""
	}
	return fmt.Sprintf(", accuracy %.4f (majority mapping; largest class %.4f)", acc, largest)
}

// plural writes "1 worker", "2 workers".
func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

// parseWithOverrides is parse for the sweep command, whose arguments after
// the flags are KEY=VALUE config overrides.
func parseWithOverrides(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, a := range fs.Args() {
		if ext := strings.ToLower(filepath.Ext(a)); !strings.Contains(a, "=") && (ext == ".yaml" || ext == ".yml") {
			return usageError{fmt.Errorf("unexpected argument %q: a config file is given with -config, as in: sweep -config %s", a, a)}
		}
		if !strings.Contains(a, "=") {
			return usageError{fmt.Errorf("unexpected argument %q (overrides are KEY=VALUE, e.g. seed=2; flags come first)", a)}
		}
	}
	return nil
}

// axesCount spells the extra axes of -dry-run's count, e.g.
// "3 seed values x ".
func axesCount(axes []experiments.Axis) string {
	var b strings.Builder
	for _, ax := range axes {
		fmt.Fprintf(&b, "%d %s values x ", len(ax.Values), ax.Key)
	}
	return b.String()
}
