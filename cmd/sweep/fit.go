package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"sweep/experiments"
	"sweep/experiments/model"
	"sweep/internal/dirlock"
)

// runFit fits one cell on all selected rows and saves it as a model file.
func runFit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("fit", stdout, stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: sweep fit -config FILE -cell NAME -o MODEL.json [-data FILE] [KEY=VALUE...]\n\nFits scaling, reduction, the cell's clustering (k-means, gmm or ward) and (for labelled data) the majority mapping of one cell on all selected rows.\nKEY=VALUE overrides apply to -config as they do for a sweep, so that a cell of an overridden grid can be fitted.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	configPath := fs.String("config", "", "YAML `file` of the sweep (required)")
	cell := fs.String("cell", "", "the cell to fit, e.g. pca-2-7 (required)")
	out := fs.String("o", "", "model `file` to write (required)")
	dataPath := fs.String("data", "", "data `file` or image folder, overriding data.path")
	labelsPath := fs.String("labels", "", "IDX labels `file`, overriding data.labels")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *configPath == "":
		return usageError{errors.New("fit: -config is required")}
	case *cell == "":
		return usageError{errors.New("fit: -cell is required")}
	case *out == "":
		return usageError{errors.New("fit: -o is required")}
	}
	cfg, err := experiments.LoadConfig(*configPath, fs.Args()...)
	if err != nil {
		return err
	}
	if *dataPath != "" {
		cfg.Data.Path = *dataPath
	}
	if *labelsPath != "" {
		cfg.Data.Labels = *labelsPath
	}
	lock, err := dirlock.Acquire(filepath.Dir(*out))
	if err != nil {
		return err
	}
	defer lock.Release()
	d, err := loadData(ctx, cfg.Data, stderr)
	if err != nil {
		return err
	}
	m, err := model.Fit(ctx, cfg, d, *cell)
	if err != nil {
		return cfg.Locate(err)
	}
	if err := m.Save(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "model: %s (%s)\n", *out, m.Summary())
	return nil
}
