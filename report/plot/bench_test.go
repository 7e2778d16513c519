package plot

import (
	"io"
	"math/rand/v2"
	"testing"
)

func benchHeatmap(b *testing.B, rows, cols int) {
	rnd := rand.New(rand.NewPCG(1, 1))
	h := Heatmap{Title: "bench", Min: 0, Max: 1}
	for range rows {
		row := make([]float64, cols)
		for c := range row {
			row[c] = rnd.Float64()
		}
		h.Values = append(h.Values, row)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := HeatmapPNG(io.Discard, h); err != nil {
			b.Fatal(err)
		}
	}
}

func benchScatterPair(b *testing.B, n, k int) {
	left, right := sampleScatter(n, k, 1)
	b.ReportAllocs()
	for b.Loop() {
		if err := ScatterPairPNG(io.Discard, left, right, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSilhouettePlot(b *testing.B, n, k int) {
	p := sampleSilhouette(n, k, 1)
	b.ReportAllocs()
	for b.Loop() {
		if err := SilhouettePlotPNG(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}

func benchMontage(b *testing.B, rows, perRow int) {
	rnd := rand.New(rand.NewPCG(1, 2))
	m := Montage{Title: "bench", Side: 48, Scale: 2}
	for range rows {
		row := MontageRow{Label: "cluster 0  n=412  Happy  purity 0.31"}
		for range perRow {
			img := make([]float32, 48*48)
			for i := range img {
				img[i] = 255 * rnd.Float32()
			}
			row.Images = append(row.Images, img)
		}
		m.Rows = append(m.Rows, row)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := MontagePNG(io.Discard, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHeatmap4x11(b *testing.B)         { benchHeatmap(b, 4, 11) }
func BenchmarkScatterPair2000(b *testing.B)     { benchScatterPair(b, 2000, 7) }
func BenchmarkScatterPair35887(b *testing.B)    { benchScatterPair(b, 35887, 15) }
func BenchmarkSilhouettePlot35887(b *testing.B) { benchSilhouettePlot(b, 35887, 15) }
func BenchmarkMontage15x14(b *testing.B)        { benchMontage(b, 15, 14) }
