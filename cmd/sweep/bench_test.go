package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
)

// benchConfig runs a committed config end to end on FER2013: load,
// sweep and report, as `sweep -config` does.
func benchConfig(b *testing.B, config string) {
	data := ferPath(b)
	cfg := filepath.Join("..", "..", "configs", config)
	b.ReportAllocs()
	for b.Loop() {
		if err := run(context.Background(), []string{"-config", cfg, "-data", data, "-out", b.TempDir()}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSweepFER2013 is configs/fer2013.yaml: the seed study's 440 cells.
func BenchmarkSweepFER2013(b *testing.B) { benchConfig(b, "fer2013.yaml") }

// BenchmarkSweepFER2013Full is configs/fer2013-full.yaml: the same 440
// cells on all 35,887 images (28,709 training rows per fold).
func BenchmarkSweepFER2013Full(b *testing.B) { benchConfig(b, "fer2013-full.yaml") }

// BenchmarkSweepFER2013FullNoFolds is configs/fer2013-full-nofolds.yaml:
// 88 cells fitted and scored on all 35,887 images.
func BenchmarkSweepFER2013FullNoFolds(b *testing.B) { benchConfig(b, "fer2013-full-nofolds.yaml") }

// BenchmarkSweepQuick is configs/quick.yaml: 36 cells, the CI grid.
func BenchmarkSweepQuick(b *testing.B) { benchConfig(b, "quick.yaml") }
