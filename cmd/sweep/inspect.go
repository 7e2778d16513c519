package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/report"
)

func runInspect(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("inspect", stdout, stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: sweep inspect -data FILE|DIR [-labels FILE] [-size N] [-out DIR]\n\nSummarises a dataset: class counts per split, duplicates, near-constant images, pixel range.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	dataPath := fs.String("data", "", "data `file` or image folder (default $FER2013_CSV)")
	labelsPath := fs.String("labels", "", "IDX labels `file`")
	outDir := fs.String("out", "", "write data.md, classes.png and samples.png into `dir` (default reports/inspect-NAME)")
	size := fs.Int("size", 0, "image folders: the `side` images are resized to (0: their own, when they share one)")
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
	dir := *outDir
	if dir == "" {
		base := filepath.Base(path)
		for _, ext := range []string{".gz", ".csv"} {
			base = strings.TrimSuffix(base, ext)
		}
		dir = filepath.Join("reports", "inspect-"+base)
	}
	if err := experiments.CheckReportDir(dir, path); err != nil {
		return err
	}
	// Lenient: list every bad row instead of stopping at the first.
	var d *dataset.Dataset
	var rejected []dataset.Rejection
	var err error
	if f, _ := dataset.Detect(path); f == dataset.FormatCSV && *labelsPath == "" {
		d, rejected, err = dataset.LoadLenient(path)
	} else {
		d, err = loadData(context.Background(), experiments.DataConfig{Path: path, Labels: *labelsPath, Size: *size}, stderr) // an image folder or IDX files
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return experiments.MissingData(err)
		}
		return err
	}
	sum := report.SummarizeData(d, nil)
	sum.Rejected = rejected
	if err := sum.Markdown(stdout); err != nil {
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
