package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/experiments/features"
)

const featuresUsage = `Usage: sweep features -data FILE|DIR [-labels FILE] [-features hog] [-config grid.yaml] [-o features.npy] [KEY=VALUE...]

Computes the features of every image of the data, in data order, and writes
them as a float32 matrix in NumPy's .npy format (one row per image), and the
labels, when the data has them, as labels.npy (int64) beside it. The
parameters come from the features: block of -config, with overrides such as
features.hog.orientations=12 after the flags; scikit-image's defaults
otherwise. numpy.load reads both files, and a sweep reads them back with
data.format: npy.

Flags:
`

// runFeatures is the features command.
func runFeatures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("features", stdout, stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), featuresUsage); fs.PrintDefaults() }
	dataPath := fs.String("data", "", "data `file` or image folder, overriding data.path (default $FER2013_CSV)")
	labelsPath := fs.String("labels", "", "IDX labels `file`, overriding data.labels")
	configPath := fs.String("config", "", "YAML `file` whose data: and features: blocks to use (optional)")
	name := fs.String("features", features.HOG, "the `features`: hog, lbp or pixels")
	out := fs.String("o", "features.npy", "the features `file`; labels.npy is written beside it")
	workers := fs.Int("workers", 0, "goroutines computing features (0 = all cores); the result never depends on it")
	if err := parseWithOverrides(fs, args); err != nil {
		return err
	}
	cfg, err := featuresConfig(fs, *configPath)
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
	if !features.Known(*name) {
		return usageError{fmt.Errorf("-features: unknown features %q (want pixels, hog or lbp)", *name)}
	}
	if *workers < 0 {
		return usageError{fmt.Errorf("-workers: %d is below 0", *workers)}
	}
	d, err := loadData(ctx, cfg.Data, stderr)
	if err != nil {
		return err
	}
	img := d.ImageData()
	if img == nil {
		return fmt.Errorf("features %s: %s", *name, d.NoImages())
	}
	x, err := experiments.ExtractFeatures(ctx, *name, cfg.Features.Params(), img, nil, *workers)
	if err != nil {
		return fmt.Errorf("features %s of %s: %w", *name, d.Name, err)
	}
	dim := len(x) / img.N()
	if err := dataset.WriteNPY(*out, x, img.N(), dim); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d x %d float32 (%s of %s)\n", *out, img.N(), dim, *name, d.Name)
	if !d.HasLabels {
		fmt.Fprintf(stdout, "no labels.npy: %s has no labels\n", d.Name)
		return nil
	}
	lp := filepath.Join(filepath.Dir(*out), "labels.npy")
	if err := dataset.WriteLabelsNPY(lp, d.Labels); err != nil {
		os.Remove(*out) // nothing half-written: the pair or neither
		return err
	}
	fmt.Fprintf(stdout, "%s: %d labels\n", lp, d.N())
	return nil
}

// featuresConfig reads -config with the overrides, or the defaults with
// them.
func featuresConfig(fs *flag.FlagSet, path string) (experiments.Config, error) {
	if path != "" {
		return experiments.LoadConfig(path, fs.Args()...)
	}
	cfg := experiments.Defaults()
	if err := cfg.ApplyOverrides(fs.Args()); err != nil {
		return experiments.Config{}, usageError{err}
	}
	if err := cfg.Features.HOG.Validate(); err != nil {
		return experiments.Config{}, usageError{&experiments.FieldError{Field: "features.hog", Err: err}}
	}
	if err := cfg.Features.LBP.Validate(); err != nil {
		return experiments.Config{}, usageError{&experiments.FieldError{Field: "features.lbp", Err: err}}
	}
	return cfg, nil
}
