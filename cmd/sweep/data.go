package main

import (
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
func loadData(dc experiments.DataConfig, stderr io.Writer) (*dataset.Dataset, error) {
	if dc.Path == "" {
		dc.Path = os.Getenv("FER2013_CSV")
	}
	if dc.Path == "" {
		return nil, experiments.ErrNoData
	}
	d, err := dataset.Open(dc.Source())
	if err != nil {
		if _, serr := os.Stat(dc.Path); errors.Is(serr, os.ErrNotExist) {
			return nil, fmt.Errorf("%w\n%v", err, experiments.ErrNoData)
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
