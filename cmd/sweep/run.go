package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/internal/dirlock"
	"sweep/runner"
)

// usageError marks misuse of the command line: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// interruptedError is a run stopped by the end of its context: by a
// signal (context.Cause is a signalCause) or by its caller.
type interruptedError struct {
	msg   string // what was kept, and how to go on
	cause error  // context.Cause of the run's context
}

func (e interruptedError) Error() string { return "interrupted: " + e.msg }

// status is 128 + the number of the signal that stopped the run, as shells
// report it; 130, as for SIGINT, when no signal did.
func (e interruptedError) status() int {
	var sc signalCause
	if errors.As(e.cause, &sc) {
		return sc.status()
	}
	return 130
}

// exitCode prints err (if any) prefixed "sweep:" and returns the exit
// status: 0 success, 2 misuse of flags, 130 or 143 stopped by SIGINT or
// SIGTERM, 1 anything else.
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
	var ie interruptedError
	if errors.As(err, &ie) {
		return ie.status()
	}
	return 1
}

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v (please report this bug)", r)
		}
		// A subcommand stopped by a signal exits as the signal asks.
		var ie interruptedError
		if err != nil && ctx.Err() != nil && !errors.As(err, &ie) {
			err = interruptedError{"stopped before the end", context.Cause(ctx)}
		}
	}()
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
			return nil
		case "inspect":
			return runInspect(args[1:], stdout, stderr)
		case "merge":
			return runMerge(ctx, args[1:], stdout, stderr)
		case "fit":
			return runFit(ctx, args[1:], stdout, stderr)
		case "predict":
			return runPredict(args[1:], stdout, stderr)
		case "compare":
			return runCompare(args[1:], stdout, stderr)
		}
	}
	return runSweep(ctx, args, stdout, stderr)
}

const usage = `sweep runs a grid of reductions and k-means clusterings over an image
dataset and writes silhouette tables and heatmaps.

Usage:

	sweep -config grid.yaml [-data FILE|DIR] [-labels FILE] [-out DIR] [-workers N] [-dry-run] [-assignments] [KEY=VALUE...]
	sweep inspect -data FILE|DIR [-labels FILE] [-out DIR]
	sweep merge [-out DIR] SHARD_DIR...
	sweep fit -config grid.yaml -cell pca-2-7 -o model.json
	sweep predict -model model.json -data FILE [-o predictions.csv]
	sweep compare [-out DIR] [-tol X] [-metric m1,m2] A B

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

// parseWithOverrides is parse for the sweep command, whose arguments after
// the flags are KEY=VALUE config overrides.
func parseWithOverrides(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	for _, a := range fs.Args() {
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

func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage, "\nFlags:\n"); fs.PrintDefaults() }
	var (
		configPath  = fs.String("config", "", "YAML `file` describing the sweep (required)")
		dataPath    = fs.String("data", "", "data `file` or image folder, overriding data.path")
		labelsPath  = fs.String("labels", "", "IDX labels `file`, overriding data.labels")
		outDir      = fs.String("out", "", "report `directory`, overriding report.dir")
		workers     = fs.Int("workers", 0, "cells computed at once, overriding workers (0 = all cores)")
		dryRun      = fs.Bool("dry-run", false, "print the expanded cells and exit")
		assignments = fs.Bool("assignments", false, "also write each cell's cluster assignments (assignments.csv)")
		fresh       = fs.Bool("fresh", false, "discard the results already stored in the report directory")
		shardFlag   = fs.String("shard", "", "run only shard `i/N` of the cells (1-based i); see also -shards")
		shardsFlag  = fs.Int("shards", 0, "shard count `N`; the index comes from SLURM_ARRAY_TASK_ID (1..N) or JOB_COMPLETION_INDEX (0..N-1)")
		keepGoing   = fs.Bool("keep-going", false, "record failed cells and finish the others instead of stopping")
		quiet       = fs.Bool("q", false, "no progress on standard error")
		verbose     = fs.Bool("v", false, "log per-stage timings (log/slog) to standard error; progress as plain lines")
	)
	if err := parseWithOverrides(fs, args); err != nil {
		return err
	}
	if *configPath == "" {
		return usageError{errors.New("-config is required (see sweep -help)")}
	}
	cfg, err := experiments.LoadConfig(*configPath, fs.Args()...)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["data"] {
		cfg.Data.Path = *dataPath
	}
	if set["labels"] {
		cfg.Data.Labels = *labelsPath
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
	shard, shards, err := resolveShard(*shardFlag, *shardsFlag, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	mine := cfg.ShardCells(shard, shards)
	if *dryRun {
		fmt.Fprintf(stdout, "%d cells (%s%d reducers x %d component counts x %d cluster counts x %d folds)\n",
			len(cells), axesCount(cfg.Grid.Axes), len(cfg.Grid.Reducer), len(cfg.Grid.Components), len(cfg.Grid.Clusters), cfg.Grid.Folds)
		if shards > 1 {
			fmt.Fprintf(stdout, "shard %d/%d: %d cells\n", shard+1, shards, len(mine))
		}
		for _, i := range mine {
			fmt.Fprintln(stdout, cells[i].Key())
		}
		return nil
	}
	dir := cfg.Report.Dir
	if shards > 1 && !set["out"] {
		dir = filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", shard+1, shards))
	}
	// One writer per report directory, for the whole run: taken before
	// anything there is read or removed (-fresh).
	lock, err := dirlock.Acquire(dir)
	if err != nil {
		return err
	}
	defer lock.Release()

	if cfg.Data.Path == "" {
		cfg.Data.Path = dataset.DefaultPath()
	}
	if err := experiments.CheckReportDir(cfg.Report.Dir, cfg.Data.Path); err != nil {
		return err
	}
	start := time.Now()
	data, err := loadData(ctx, cfg.Data, stderr)
	if err != nil {
		if ctx.Err() != nil {
			return interruptedError{fmt.Sprintf("while reading %s; nothing was stored", cfg.Data.Path), context.Cause(ctx)}
		}
		return err
	}
	loadSec := time.Since(start).Seconds()
	if os.Getenv("GOGC") == "" {
		// The pixels stay live for the whole sweep, and with the default
		// GOGC=100 the heap grows to twice what is live before the cells'
		// garbage is collected. 25 keeps the full-data grids within 700 MB
		// at no measurable cost (bench/results.md): the pixels hold no
		// pointers, so a collection does not scan them.
		debug.SetGCPercent(25)
	}
	sw, err := experiments.NewSweep(cfg, data)
	if err != nil {
		return fmt.Errorf("%s: %w", *configPath, err)
	}
	st, err := experiments.OpenStore(dir, experiments.StoreHeader{
		Fingerprint: experiments.Fingerprint(cfg, data.SHA256),
		Config:      cfg, DataSHA256: data.SHA256, Cells: len(cells), Shard: shard, Shards: shards,
	}, sw, *fresh)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, w := range st.Warnings {
		fmt.Fprintf(stderr, "sweep: %s\n", w)
	}

	results := make([]*experiments.Result, len(cells))
	var missing []int
	for _, i := range mine {
		if r, ok := st.Done[cells[i].Key()]; ok {
			results[i] = r
		} else {
			missing = append(missing, i)
		}
	}
	nw := runner.Workers(cfg.Workers)
	if !*quiet {
		fmt.Fprintf(stderr, "sweep: %d cells on %d workers, %d of %d rows of %s\n", len(mine), nw, len(sw.Sel.Rows), data.N(), data.Name)
	}
	prog := newProgress(stderr, len(missing), isTerminal(stderr) && !*verbose, *quiet)
	if *verbose {
		prog.log = slog.New(slog.NewTextHandler(stderr, nil))
	}
	if n := len(mine) - len(missing); n > 0 {
		fmt.Fprintf(stderr, "sweep: resuming: %d of %d cells already in %s\n", n, len(mine), filepath.Join(dir, experiments.StoreFile))
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stored := len(mine) - len(missing)
	_, err = sw.RunCells(runCtx, missing, cfg.Workers, *keepGoing, func(r *experiments.Result) {
		if _, done := st.Done[r.Key()]; done {
			return // recomputed with its group; the stored result is identical
		}
		if err := st.Add(r, cfg.Report.Assignments); err != nil {
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
		where := fmt.Sprintf("%d of %d cells are stored in %s; run the same command again to resume", stored, len(mine), filepath.Join(dir, experiments.StoreFile))
		if ctx.Err() != nil {
			return interruptedError{where, context.Cause(ctx)}
		}
		return fmt.Errorf("%w\n%s", err, where)
	}
	failed := 0
	for _, i := range mine {
		if results[i].Failed != "" {
			failed++
		}
	}
	if shards > 1 {
		fmt.Fprintf(stdout, "shard %d/%d: %d cells in %s; combine the shards with sweep merge\n", shard+1, shards, len(mine), dir)
	} else {
		wall := time.Since(start)
		info := experiments.ReportInfo{ConfigFile: *configPath, Overrides: fs.Args(), Workers: nw, Started: start, Wall: wall, LoadSeconds: loadSec}
		if err := experiments.WriteReport(ctx, dir, sw, results, info); err != nil {
			if ctx.Err() != nil {
				return interruptedError{fmt.Sprintf("%d of %d cells are stored in %s; run the same command again to resume", stored, len(mine), filepath.Join(dir, experiments.StoreFile)), context.Cause(ctx)}
			}
			return err
		}
		for _, s := range experiments.Summarize(results) {
			if s.Best {
				fmt.Fprintf(stdout, "best: %s silhouette %.4f\n", s.Cell.Name(), s.Stat("silhouette").Mean)
			}
		}
		fmt.Fprintf(stdout, "report: %s (%d cells in %.1fs)\n", dir, len(cells), wall.Seconds())
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d cells failed (see the note column of results.csv); run again to retry them", failed, len(mine))
	}
	return nil
}

// resolveShard returns the 0-based shard index and the shard count. The
// count comes only from the command line: -shard i/N, or -shards N with the
// index taken from the scheduler: a Slurm job array's SLURM_ARRAY_TASK_ID,
// which is the 1-based shard number whatever the --array spec (a stepped
// --array=1-7:2, or --array=3 resubmitting one task, whose
// SLURM_ARRAY_TASK_COUNT is 1), or a Kubernetes Indexed Job's 0-based
// JOB_COMPLETION_INDEX. The array's task count is never used. With neither
// flag the run is shard 0 of 1.
func resolveShard(flagValue string, shardsFlag int, getenv func(string) string) (int, int, error) {
	atoi := func(name, v string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not an integer", name, v)
		}
		return n, nil
	}
	if shardsFlag < 0 {
		return 0, 0, fmt.Errorf("-shards: %d is not a shard count", shardsFlag)
	}
	if flagValue != "" {
		a, b, ok := strings.Cut(flagValue, "/")
		if !ok {
			return 0, 0, fmt.Errorf("-shard: %q is not i/N", flagValue)
		}
		i, err := atoi("-shard", a)
		if err != nil {
			return 0, 0, err
		}
		n, err := atoi("-shard", b)
		if err != nil {
			return 0, 0, err
		}
		if n < 1 || i < 1 || i > n {
			return 0, 0, fmt.Errorf("-shard: shard %d of %d is out of range", i, n)
		}
		if shardsFlag > 0 && shardsFlag != n {
			return 0, 0, fmt.Errorf("-shard %s and -shards %d disagree on the shard count", flagValue, shardsFlag)
		}
		return i - 1, n, nil
	}
	if shardsFlag == 0 {
		return 0, 1, nil
	}
	n := shardsFlag
	slurm, k8s := getenv("SLURM_ARRAY_TASK_ID"), getenv("JOB_COMPLETION_INDEX")
	switch {
	case slurm != "" && k8s != "":
		return 0, 0, errors.New("-shards: both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set; use -shard i/N")
	case slurm != "":
		id, err := atoi("SLURM_ARRAY_TASK_ID", slurm)
		if err != nil {
			return 0, 0, err
		}
		if id < 1 || id > n {
			return 0, 0, fmt.Errorf("SLURM_ARRAY_TASK_ID %d is not a shard of -shards %d: the array task ids are the shard numbers 1..%d (sbatch --array=1-%d)", id, n, n, n)
		}
		return id - 1, n, nil
	case k8s != "":
		idx, err := atoi("JOB_COMPLETION_INDEX", k8s)
		if err != nil {
			return 0, 0, err
		}
		if idx < 0 || idx >= n {
			return 0, 0, fmt.Errorf("JOB_COMPLETION_INDEX %d is not a shard of -shards %d: the indexes are 0..%d (completions: %d)", idx, n, n-1, n)
		}
		return idx, n, nil
	}
	return 0, 0, errors.New("-shards needs SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); use -shard i/N otherwise")
}

func runInspect(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("inspect", stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: sweep inspect -data FILE [-out DIR]\n\nSummarises a dataset: class counts per split, duplicates, near-constant images, pixel range.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	dataPath := fs.String("data", "", "data `file` or image folder (default $FER2013_CSV)")
	labelsPath := fs.String("labels", "", "IDX labels `file`")
	outDir := fs.String("out", "", "write data.md, classes.png and samples.png into `dir` (default reports/inspect-NAME)")
	if err := parse(fs, args); err != nil {
		return err
	}
	path := *dataPath
	if path == "" {
		path = dataset.DefaultPath()
	}
	if path == "" {
		return experiments.ErrNoData
	}
	// Lenient: list every bad row instead of stopping at the first.
	var d *dataset.Dataset
	var rejected []dataset.Rejection
	var err error
	if f, _ := dataset.Detect(path); f == dataset.FormatCSV && *labelsPath == "" {
		d, rejected, err = dataset.LoadLenient(path)
	} else {
		d, err = loadData(context.Background(), experiments.DataConfig{Path: path, Labels: *labelsPath}, stderr) // an image folder or IDX files
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w\n%v", err, experiments.ErrNoData)
		}
		return err
	}
	sum := experiments.Inspect(d, nil)
	sum.Rejected = rejected
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
	if err := experiments.CheckReportDir(dir, path); err != nil {
		return err
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
