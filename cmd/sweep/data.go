package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"sweep/experiments"
	"sweep/experiments/dataset"
)

// loadData reads the data dc describes (a CSV file, an image folder or IDX
// files; see dataset.Open), from FER2013_CSV when dc.Path is empty, adding
// where to get FER2013 when the file is missing. Image files skipped under
// data.on_bad_image: skip are listed on stderr.
//
// When ctx ends it returns ctx.Err() at once: the reading stops through
// ctx where it can, and is otherwise abandoned, as is an open(2) of a FIFO
// that no writer has opened yet, which nothing can interrupt.
func loadData(ctx context.Context, dc experiments.DataConfig, stderr io.Writer) (*dataset.Dataset, error) {
	if dc.Path == "" {
		dc.Path = dataset.DefaultPath()
	}
	if dc.Path == "" {
		return nil, experiments.ErrNoData
	}
	type loaded struct {
		d   *dataset.Dataset
		err error
	}
	ch := make(chan loaded, 1)
	go func() {
		d, err := dataset.OpenContext(ctx, dc.Source())
		ch <- loaded{d, err}
	}()
	var d *dataset.Dataset
	var err error
	select {
	case l := <-ch:
		d, err = l.d, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err != nil {
		if _, serr := os.Stat(dc.Path); errors.Is(serr, os.ErrNotExist) {
			return nil, experiments.MissingData(err)
		}
		return nil, err
	}
	for _, b := range d.Skipped {
		fmt.Fprintf(stderr, "sweep: skipped %s: %v\n", b.Path, b.Err)
	}
	if n := len(d.Skipped); n > 0 {
		fmt.Fprintf(stderr, "sweep: skipped %d of %d image files (data.on_bad_image: skip)\n", n, n+d.N())
	}
	return d, nil
}
