package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"
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

// BenchmarkSweepFER2013Features is configs/fer2013-features.yaml: the
// seed study's grid over pixels, hog and lbp (1,320 cells).
func BenchmarkSweepFER2013Features(b *testing.B) { benchConfig(b, "fer2013-features.yaml") }

// BenchmarkSweepFER2013FeaturesVsPixels runs configs/fer2013.yaml and
// configs/fer2013-features.yaml in turn, side by side under the same load,
// and reports each one's wall seconds and their ratio (issue 14's target:
// features/pixels at most 3.5). make bench runs it 3 times; take medians.
func BenchmarkSweepFER2013FeaturesVsPixels(b *testing.B) {
	data := ferPath(b)
	var pix, feat time.Duration
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range []struct {
			config string
			total  *time.Duration
		}{{"fer2013.yaml", &pix}, {"fer2013-features.yaml", &feat}} {
			start := time.Now()
			cfg := filepath.Join("..", "..", "configs", c.config)
			if err := run(context.Background(), []string{"-config", cfg, "-data", data, "-out", b.TempDir()}, io.Discard, io.Discard); err != nil {
				b.Fatal(err)
			}
			*c.total += time.Since(start)
		}
	}
	b.ReportMetric(pix.Seconds()/float64(b.N), "pixels-s")
	b.ReportMetric(feat.Seconds()/float64(b.N), "features-s")
	b.ReportMetric(feat.Seconds()/pix.Seconds(), "features/pixels")
}
