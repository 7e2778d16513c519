package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"sweep/internal/buildinfo"
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
		case "help":
			return runHelp(ctx, args[1:], stdout, stderr)
		case "version":
			return runVersion(args[1:], stdout, stderr)
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
		case "serve":
			return runServe(ctx, args[1:], stdout, stderr)
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
	sweep fit -config grid.yaml -cell pca-2-7 -o model.json [KEY=VALUE...]
	sweep predict -model model.json -data FILE [-o predictions.csv]
	sweep compare [-out DIR] [-tol X] [-metric m1,m2] A B
	sweep features -data FILE|DIR -features hog|lbp|pixels [-o features.npy]
	sweep serve [-addr 127.0.0.1:8080] [-model model.json]... DIR...
	sweep version
	sweep help [COMMAND]

Run 'go doc sweep/cmd/sweep' for the manual.
`

// commands are the subcommands, for sweep help's message.
var commands = []string{"compare", "features", "fit", "help", "inspect", "merge", "predict", "serve", "version"}

// runHelp is 'sweep help [COMMAND]': that command's usage and flags (the
// sweep command's without one) on standard output, as COMMAND -h prints.
func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch {
	case len(args) == 0:
		return run(ctx, []string{"-h"}, stdout, stderr)
	case len(args) > 1:
		return usageError{fmt.Errorf("help: unexpected argument %q (sweep help [COMMAND])", args[1])}
	case args[0] == "help":
		fmt.Fprint(stdout, "Usage: sweep help [COMMAND]\n\nPrints COMMAND's usage and flags; without one, the sweep command's.\n")
		return nil
	case slices.Contains(commands, args[0]):
		return run(ctx, []string{args[0], "-h"}, stdout, stderr)
	}
	return usageError{fmt.Errorf("help: unknown command %q (commands: %s)", args[0], strings.Join(commands, ", "))}
}

const versionUsage = `Usage: sweep version

Prints the version, the commit and whether the tree was modified, and the Go release.
`

// runVersion is 'sweep version'.
func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", stdout, stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), versionUsage) }
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, buildinfo.Get())
	return nil
}

// newFlags is a command's FlagSet. Its usage (fs.Usage writes to
// fs.Output()) goes to stdout when asked for with -h and to stderr after
// misuse.
func newFlags(name string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(&flagOutput{stdout: stdout, stderr: stderr})
	return fs
}

// flagOutput is a FlagSet's output: what fs.Parse prints is held until
// its outcome is known, then written to stdout for -h and to stderr
// otherwise; anything else goes to stderr.
type flagOutput struct {
	stdout, stderr io.Writer
	holding        bool
	held           bytes.Buffer
}

func (o *flagOutput) Write(p []byte) (int, error) {
	if o.holding {
		return o.held.Write(p)
	}
	return o.stderr.Write(p)
}

// parseFlags is fs.Parse with the usage on stdout for -h, and misuse
// marked as a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	o, _ := fs.Output().(*flagOutput)
	if o != nil {
		o.holding = true
	}
	err := fs.Parse(args)
	if o != nil {
		o.holding = false
		w := o.stderr
		if errors.Is(err, flag.ErrHelp) {
			w = o.stdout
		}
		o.held.WriteTo(w)
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return usageError{err}
	}
	return err
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}
