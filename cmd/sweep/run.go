package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
		case "features":
			return runFeatures(ctx, args[1:], stdout, stderr)
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
	sweep features -data FILE|DIR -features hog|lbp|pixels [-o features.npy]

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
