package experiments

import (
	"context"

	"testing"

	"sweep/experiments/dataset"
)

// benchRun times Sweep.Run of configs/fer2013.yaml (440 cells, shared
// stages included) on the given number of workers: the throughput of the
// worker pool, without loading the data, selecting rows or writing a
// report. Each iteration starts from a new Sweep, so that it computes the
// reductions again.
func benchRun(b *testing.B, workers int) {
	d, err := dataset.Load(ferPath(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := LoadConfig("../configs/fer2013.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		sw, err := NewSweep(cfg, d)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := sw.Run(context.Background(), workers, nil)
		if err != nil {
			b.Fatal(err)
		}
		if n := Finished(res); n != len(sw.Cells) {
			b.Fatalf("%d of %d cells", n, len(sw.Cells))
		}
	}
	b.ReportMetric(float64(b.N)*440/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkRunFER2013Workers1 and BenchmarkRunFER2013Workers2 compare the
// throughput of one and two workers on the balanced grid.
func BenchmarkRunFER2013Workers1(b *testing.B) { benchRun(b, 1) }
func BenchmarkRunFER2013Workers2(b *testing.B) { benchRun(b, 2) }
