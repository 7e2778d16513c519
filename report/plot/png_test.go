package plot

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// pictureCase is one picture to draw and its expected size in pixels.
type pictureCase struct {
	name string
	draw func(io.Writer) error
	w, h int
}

// sampleHeatmap is a silhouette grid like the sweep's: rows are components
// 2..5 and columns clusters 5..15, with made-up values, one missing cell and
// the best cell marked.
func sampleHeatmap() Heatmap {
	h := Heatmap{
		Title:  "mean silhouette (made-up values)",
		XLabel: "clusters",
		YLabel: "components",
		Min:    0,
		Max:    0.5,
		Mark:   [][2]int{{0, 0}},
	}
	for k := 5; k <= 15; k++ {
		h.XTicks = append(h.XTicks, strconv.Itoa(k))
	}
	for d := 2; d <= 5; d++ {
		h.YTicks = append(h.YTicks, strconv.Itoa(d))
		row := make([]float64, 0, 11)
		for k := 5; k <= 15; k++ {
			row = append(row, 0.45-0.06*float64(d-2)-0.015*float64(k-5))
		}
		h.Values = append(h.Values, row)
	}
	h.Values[3][10] = math.NaN()
	return h
}

// sampleDiverging is a difference heatmap with two-line texts.
func sampleDiverging() Heatmap {
	h := Heatmap{
		Title:     "difference to baseline (made-up values)",
		XLabel:    "clusters",
		YLabel:    "components",
		Min:       -0.2,
		Max:       0.1,
		Diverging: true,
		Width:     800,
		Height:    400,
	}
	for r := range 3 {
		var vs []float64
		var ts []string
		for c := range 6 {
			v := -0.2 + 0.3*float64(r*6+c)/17
			vs = append(vs, v)
			ts = append(ts, fmt.Sprintf("%d\n%+.0f%%", 100*r+c, 100*v))
		}
		h.Values = append(h.Values, vs)
		h.Text = append(h.Text, ts)
	}
	h.Values[1][2] = math.NaN()
	return h
}

func sampleLinePlot() LinePlot {
	p := LinePlot{
		Title:  "silhouette vs clusters (made-up values)",
		XLabel: "clusters",
		YLabel: "silhouette",
		HLines: []HLine{{Name: "random labels", Y: 0.02}, {Name: "true labels", Y: -0.05}},
	}
	for d := 2; d <= 5; d++ {
		s := Series{Name: fmt.Sprintf("%d components", d)}
		for k := 5; k <= 15; k++ {
			s.X = append(s.X, float64(k))
			s.Y = append(s.Y, 0.45-0.06*float64(d-2)-0.015*float64(k-5))
			s.Err = append(s.Err, 0.01*float64(d))
		}
		p.Series = append(p.Series, s)
	}
	p.Series[3].Err = nil
	return p
}

// brightCorner returns a side*side black image with a white top-left
// quarter and one white pixel at the bottom right.
func brightCorner(side int) []float32 {
	img := make([]float32, side*side)
	for r := range side / 4 {
		for c := range side / 4 {
			img[r*side+c] = 255
		}
	}
	img[side*side-1] = 255
	return img
}

// gradient returns a side*side image growing from black at the top to
// white at the bottom, with a darker left half.
func gradient(side int) []float32 {
	img := make([]float32, side*side)
	for r := range side {
		for c := range side {
			v := 255 * float32(r) / float32(side-1)
			if c < side/2 {
				v /= 2
			}
			img[r*side+c] = v
		}
	}
	return img
}

func sampleMontage() Montage {
	m := Montage{Title: "faces nearest each centre (synthetic)", Side: 48, Scale: 2}
	for r := range 3 {
		row := MontageRow{Label: fmt.Sprintf("cluster %d  n=%d  Happy  purity 0.%d", r, 400+r, 31+r)}
		for i := range 5 + r {
			if i%2 == 0 {
				row.Images = append(row.Images, brightCorner(48))
			} else {
				row.Images = append(row.Images, gradient(48))
			}
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// sampleScatter returns n points in k Gaussian blobs, seeded.
func sampleScatter(n, k int, seed uint64) (clusters, truth Scatter) {
	rnd := rand.New(rand.NewPCG(seed, 1))
	clusters = Scatter{Title: "k-means clusters", XLabel: "PC 1", YLabel: "PC 2"}
	truth = Scatter{Title: "true labels", XLabel: "PC 1", YLabel: "PC 2",
		GroupNames: []string{"Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"}}
	for g := range k {
		a := 2 * math.Pi * float64(g) / float64(k)
		clusters.CX = append(clusters.CX, 5*math.Cos(a))
		clusters.CY = append(clusters.CY, 5*math.Sin(a))
	}
	for range n {
		g := rnd.IntN(k)
		x, y := clusters.CX[g]+rnd.NormFloat64(), clusters.CY[g]+rnd.NormFloat64()
		clusters.X, clusters.Y, clusters.Group = append(clusters.X, x), append(clusters.Y, y), append(clusters.Group, g)
		truth.X, truth.Y, truth.Group = append(truth.X, x), append(truth.Y, y), append(truth.Group, rnd.IntN(7))
	}
	return clusters, truth
}

// sampleSilhouette returns n made-up silhouette values in k clusters, seeded.
func sampleSilhouette(n, k int, seed uint64) SilhouettePlot {
	rnd := rand.New(rand.NewPCG(seed, 2))
	p := SilhouettePlot{Title: "silhouette per sample (made-up values)"}
	var sum float64
	for range n {
		l := rnd.IntN(k)
		v := math.Max(-1, math.Min(1, 0.15+0.03*float64(l)+0.15*rnd.NormFloat64()))
		p.Values, p.Labels = append(p.Values, v), append(p.Labels, l)
		sum += v
	}
	p.Mean = sum / float64(n)
	return p
}

func sampleBars() Bars {
	// FER2013 class counts per usage split, from the dataset's description
	// (Goodfellow et al. 2013): Training 28709, PublicTest 3589, PrivateTest
	// 3589 rows; the split per class here is made up.
	return Bars{
		Title:      "class counts (made-up split)",
		XLabel:     "emotion",
		YLabel:     "images",
		Categories: []string{"Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"},
		Groups:     []string{"Training", "PublicTest", "PrivateTest"},
		Values: [][]float64{
			{3995, 436, 4097, 7215, 4830, 3171, 4965},
			{467, 56, 496, 895, 653, 415, 607},
			{491, 55, 528, 879, 594, 416, 626},
		},
	}
}

// pictureCases returns every picture kind with its expected size.
func pictureCases() []pictureCase {
	clusters, truth := sampleScatter(2000, 9, 1)
	big1, big2 := sampleScatter(35887, 15, 2)
	mont := sampleMontage()
	ml := mont.layout()
	// Without title and labels the montage size is hand-computable:
	// width 8 + 4*(3*10) + 3*4 + 8 = 148, height 8 + 2*30 + 8 + 8 = 84.
	plain := Montage{Side: 10, Scale: 3, Rows: []MontageRow{
		{Images: [][]float32{brightCorner(10), gradient(10), brightCorner(10), gradient(10)}},
		{Images: [][]float32{gradient(10)}},
	}}
	return []pictureCase{
		{"heatmap", func(w io.Writer) error { return HeatmapPNG(w, sampleHeatmap()) }, 960, 540},
		{"heatmap_diverging", func(w io.Writer) error { return HeatmapPNG(w, sampleDiverging()) }, 800, 400},
		{"heatmap_1x1", func(w io.Writer) error {
			return HeatmapPNG(w, Heatmap{Values: [][]float64{{0.5}}, Min: 0, Max: 1, Width: 200, Height: 150})
		}, 200, 150},
		{"lineplot", func(w io.Writer) error { return LinePlotPNG(w, sampleLinePlot()) }, 960, 540},
		{"lineplot_empty", func(w io.Writer) error { return LinePlotPNG(w, LinePlot{Width: 300, Height: 200}) }, 300, 200},
		{"lineplot_mark", func(w io.Writer) error {
			p := sampleLinePlot()
			p.Marks = []Mark{{Name: "knee", X: 9, Y: 0.39}}
			return LinePlotPNG(w, p)
		}, 960, 540},
		{"small_multiples", func(w io.Writer) error {
			a, b := sampleLinePlot(), sampleLinePlot()
			a.Width, a.Height, b.Width, b.Height = 400, 300, 500, 250
			return SmallMultiplesPNG(w, 2, a, b, a)
		}, 1000, 600},
		{"montage", func(w io.Writer) error { return MontagePNG(w, mont) }, ml.width, ml.height},
		{"montage_plain", func(w io.Writer) error { return MontagePNG(w, plain) }, 148, 84},
		{"scatter", func(w io.Writer) error { return ScatterPairPNG(w, clusters, truth, 0, 0) }, 1600, 720},
		{"scatter_35887", func(w io.Writer) error { return ScatterPairPNG(w, big1, big2, 1200, 500) }, 1200, 500},
		{"silhouette", func(w io.Writer) error { return SilhouettePlotPNG(w, sampleSilhouette(500, 4, 3)) }, 960, 540},
		{"silhouette_35887", func(w io.Writer) error {
			p := sampleSilhouette(35887, 15, 4)
			p.Width, p.Height = 700, 900
			return SilhouettePlotPNG(w, p)
		}, 700, 900},
		{"bars", func(w io.Writer) error { return BarsPNG(w, sampleBars()) }, 960, 540},
	}
}

// samplePictures returns the pictures of pictureCases by name.
func samplePictures() map[string]func(io.Writer) error {
	m := make(map[string]func(io.Writer) error)
	for _, c := range pictureCases() {
		m[c.name] = c.draw
	}
	return m
}

func TestPNGSize(t *testing.T) {
	for _, tc := range pictureCases() {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.draw(&buf); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got, want := img.Bounds(), image.Rect(0, 0, tc.w, tc.h); got != want {
				t.Errorf("bounds %v, want %v", got, want)
			}
		})
	}
}
