package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"testing"
)

// decode renders with draw and decodes the PNG.
func decode(t *testing.T, draw func(*bytes.Buffer) error) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := draw(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// rgb8 returns the 8-bit colour components of c.
func rgb8(c color.Color) (r, g, b int) {
	r16, g16, b16, _ := c.RGBA()
	return int(r16 >> 8), int(g16 >> 8), int(b16 >> 8)
}

// near reports whether c is within tol of want in every component.
func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b := rgb8(c)
	abs := func(x int) int { return max(x, -x) }
	return abs(r-int(want.R)) <= tol && abs(g-int(want.G)) <= tol && abs(b-int(want.B)) <= tol
}

// TestMontageUpright draws one 10x10 image with a white 2x2 top-left
// corner and a white bottom-right pixel at scale 3 and checks the pixels:
// without title and labels the image starts at (8, 8) (see layout).
func TestMontageUpright(t *testing.T) {
	m := Montage{Side: 10, Scale: 3, Rows: []MontageRow{{Images: [][]float32{brightCorner(10), gradient(10)}}}}
	img := decode(t, func(b *bytes.Buffer) error { return MontagePNG(b, m) })
	grey := func(x, y int) int { r, _, _ := rgb8(img.At(x, y)); return r }
	const o = montagePad
	for _, tc := range []struct {
		name string
		x, y int
		want int
	}{
		{"top-left corner", o, o, 255},
		{"end of white corner", o + 5, o + 5, 255},
		{"past white corner, right", o + 6, o, 0},
		{"past white corner, below", o, o + 6, 0},
		{"bottom-left", o, o + 29, 0},
		{"top-right", o + 29, o, 0},
		{"bottom-right pixel block", o + 27, o + 27, 255},
		{"bottom-right pixel end", o + 29, o + 29, 255},
		// Second image: gradient, black at the top and white at the bottom
		// of its right half; it starts at 8 + 30 + 4.
		{"gradient top", o + 34 + 29, o, 0},
		{"gradient bottom", o + 34 + 29, o + 29, 255},
		// Left half is halved: 255*9/9/2 = 127.5, rounded to 128.
		{"gradient bottom left", o + 34, o + 29, 128},
	} {
		if got := grey(tc.x, tc.y); got != tc.want {
			t.Errorf("%s (%d,%d): grey %d, want %d", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
	// Nearest neighbour: every 3x3 block of the gradient image is uniform.
	for by := range 10 {
		for bx := range 10 {
			x0, y0 := o+34+3*bx, o+3*by
			want := grey(x0, y0)
			for k := range 9 {
				if got := grey(x0+k%3, y0+k/3); got != want {
					t.Fatalf("block (%d,%d) not uniform: %d != %d", bx, by, got, want)
				}
			}
		}
	}
}

// TestHeatmapOrientation checks that row 0 is drawn at the top: a 2x1
// heatmap with Max in row 0 and Min in row 1 has viridis' top colour above
// and its bottom colour below (matplotlib viridis ends, the table viridis).
// The diverging palette puts red above blue for (+1, -1).
func TestHeatmapOrientation(t *testing.T) {
	const w, h = 400, 300
	// Probe points inside the cell area: the plot spans roughly x in
	// [60, 290] and y in [10, 260] at this size; the colour bar is right of
	// x = 320.
	top, bottom := image.Pt(150, 70), image.Pt(150, 200)
	noText := [][]string{{""}, {""}}
	for _, tc := range []struct {
		name        string
		hm          Heatmap
		check       func(c color.Color) bool
		checkBottom func(c color.Color) bool
	}{
		{"viridis", Heatmap{Values: [][]float64{{1}, {0}}, Text: noText, Min: 0, Max: 1},
			func(c color.Color) bool { return near(c, viridis[len(viridis)-1], 3) },
			func(c color.Color) bool { return near(c, viridis[0], 3) }},
		{"diverging", Heatmap{Values: [][]float64{{1}, {-1}}, Text: noText, Min: -1, Max: 1, Diverging: true},
			func(c color.Color) bool { r, _, b := rgb8(c); return r > b+60 },
			func(c color.Color) bool { r, _, b := rgb8(c); return b > r+60 }},
		{"clamped", Heatmap{Values: [][]float64{{5}, {-5}}, Text: noText, Min: 0, Max: 1},
			func(c color.Color) bool { return near(c, viridis[len(viridis)-1], 3) },
			func(c color.Color) bool { return near(c, viridis[0], 3) }},
		{"missing", Heatmap{Values: [][]float64{{math.NaN()}, {0}}, Min: 0, Max: 1},
			func(c color.Color) bool { r, g, b := rgb8(c); return r == g && g == b && r >= 0xb0 },
			func(c color.Color) bool { return near(c, viridis[0], 3) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.hm.Width, tc.hm.Height = w, h
			img := decode(t, func(b *bytes.Buffer) error { return HeatmapPNG(b, tc.hm) })
			if c := img.At(top.X, top.Y); !tc.check(c) {
				t.Errorf("top cell at %v has colour %v", top, c)
			}
			if c := img.At(bottom.X, bottom.Y); !tc.checkBottom(c) {
				t.Errorf("bottom cell at %v has colour %v", bottom, c)
			}
		})
	}
}

func TestContrastText(t *testing.T) {
	// Expected colours by hand from the WCAG 2.1 relative luminance:
	// white L=1 and yellow #fde725 L≈0.79 take black text; black L=0,
	// viridis' purple #440154 L≈0.02 and mid grey #777777 L≈0.184 → black
	// (just above 0.1791), #737373 L≈0.171 → white.
	for _, tc := range []struct {
		bg   color.Color
		want color.Color
	}{
		{color.White, color.Black},
		{viridis[len(viridis)-1], color.Black},
		{color.Black, color.White},
		{viridis[0], color.White},
		{color.Gray{Y: 0x77}, color.Black},
		{color.Gray{Y: 0x73}, color.White},
	} {
		if got := contrastText(tc.bg); got != tc.want {
			t.Errorf("contrastText(%v) = %v, want %v", tc.bg, got, tc.want)
		}
	}
}

func TestTenthTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi   float64
		n        int      // ticks
		labelled []string // labels in order
	}{
		// Hand-counted: -0.3..1.0 has 14 tenths, labels at even tenths.
		{-0.3, 1.0, 14, []string{"-0.2", "0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		// 0..0.3: only 0.0 and 0.2 are even, fewer than 4, so all labelled.
		{0, 0.3, 4, []string{"0.0", "0.1", "0.2", "0.3"}},
	} {
		ticks := tenthTicks{}.Ticks(tc.lo, tc.hi)
		if len(ticks) != tc.n {
			t.Errorf("[%v, %v]: %d ticks, want %d", tc.lo, tc.hi, len(ticks), tc.n)
		}
		var got []string
		for _, tk := range ticks {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if len(got) != len(tc.labelled) {
			t.Errorf("[%v, %v]: labels %q, want %q", tc.lo, tc.hi, got, tc.labelled)
			continue
		}
		for i := range got {
			if got[i] != tc.labelled[i] {
				t.Errorf("[%v, %v]: labels %q, want %q", tc.lo, tc.hi, got, tc.labelled)
				break
			}
		}
	}
}

// saturated reports whether c is a strong red or blue of the diverging
// palette: moreland.SmoothBlueRed's ends are (180, 4, 38) and
// (59, 76, 192), its centre grey (221, 221, 221); text and hatching are
// grey.
func saturated(c color.Color) bool {
	r, _, b := rgb8(c)
	return r-b > 100 || b-r > 100
}

// countPixels counts the pixels of img inside rect for which ok holds.
func countPixels(img image.Image, rect image.Rectangle, ok func(color.Color) bool) int {
	n := 0
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			if ok(img.At(x, y)) {
				n++
			}
		}
	}
	return n
}

// TestHeatmapNeutral: Neutral cells are white whatever their value, so
// differences of ±3e-9 marked as noise draw no red or blue, and with no
// coloured cell there is no colour bar; a real difference beside them
// still gets the palette's end colour (issue 17 item 6).
func TestHeatmapNeutral(t *testing.T) {
	const w, h = 400, 300
	top, bottom := image.Pt(150, 70), image.Pt(150, 200) // as in TestHeatmapOrientation
	noise := [][]float64{{3e-9}, {-3e-9}}
	for _, tc := range []struct {
		name      string
		hm        Heatmap
		saturated int // saturated pixels: at least 1 when > 0, none when 0
		topWhite  bool
	}{
		{"all noise, no scale", Heatmap{Values: noise, Neutral: [][]bool{{true}, {true}}, Diverging: true}, 0, true},
		// A scale that would paint the noise at its ends, but not used.
		{"all noise, scale given", Heatmap{Values: noise, Neutral: [][]bool{{true}, {true}}, Diverging: true, Min: -3e-9, Max: 3e-9}, 0, true},
		{"real beside noise", Heatmap{Values: [][]float64{{0.05}, {-3e-9}}, Neutral: [][]bool{{false}, {true}},
			Diverging: true, Min: -0.05, Max: 0.05}, 1, false},
		// The old picture: the same noise unmarked is painted red and blue.
		{"unmarked noise", Heatmap{Values: noise, Diverging: true, Min: -3e-9, Max: 3e-9}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.hm.Width, tc.hm.Height = w, h
			img := decode(t, func(b *bytes.Buffer) error { return HeatmapPNG(b, tc.hm) })
			n := countPixels(img, img.Bounds(), saturated)
			if (n > 0) != (tc.saturated > 0) {
				t.Errorf("%d saturated pixels, want %s", n, map[bool]string{true: "some", false: "none"}[tc.saturated > 0])
			}
			if c := img.At(bottom.X, bottom.Y); tc.hm.Neutral != nil && !near(c, color.RGBA{255, 255, 255, 255}, 0) {
				t.Errorf("neutral bottom cell at %v has colour %v, want white", bottom, c)
			}
			if c := img.At(top.X, top.Y); near(c, color.RGBA{255, 255, 255, 255}, 0) != tc.topWhite {
				t.Errorf("top cell at %v has colour %v, white: %v", top, c, tc.topWhite)
			}
			if tc.name == "real beside noise" && !saturated(img.At(top.X, top.Y)) {
				t.Errorf("real difference at %v drawn %v, want the palette's red", top, img.At(top.X, top.Y))
			}
		})
	}
}

// TestHeatmapLegend: a hatched swatch is drawn in a strip under the
// heatmap when MissingLabel is set and a cell is missing, and not
// otherwise; the entries follow the cells there are.
func TestHeatmapLegend(t *testing.T) {
	const w, h = 400, 300
	strip := image.Rect(0, h-30, w, h) // legendHeight
	isMissingFill := func(c color.Color) bool { return near(c, color.RGBA{0xe8, 0xe8, 0xe8, 0xff}, 0) }
	withNaN := [][]float64{{math.NaN()}, {0.5}}
	for _, tc := range []struct {
		name   string
		hm     Heatmap
		labels []string
	}{
		{"missing labelled", Heatmap{Values: withNaN, MissingLabel: "in one run only"}, []string{"in one run only"}},
		{"missing unlabelled", Heatmap{Values: withNaN}, nil},
		{"label, no missing cell", Heatmap{Values: [][]float64{{0.2}, {0.5}}, MissingLabel: "in one run only"}, nil},
		{"both", Heatmap{Values: withNaN, Neutral: [][]bool{{false}, {true}}, MissingLabel: "in one run only", NeutralLabel: "within noise"},
			[]string{"in one run only", "within noise"}},
		{"neutral only", Heatmap{Values: [][]float64{{0.2}, {0.5}}, Neutral: [][]bool{{false}, {true}}, MissingLabel: "in one run only", NeutralLabel: "within noise"},
			[]string{"within noise"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.hm.Width, tc.hm.Height, tc.hm.Min, tc.hm.Max = w, h, 0, 1
			_, missing, neutral := tc.hm.kinds()
			var labels []string
			for _, e := range tc.hm.legend(missing, neutral) {
				labels = append(labels, e.label)
			}
			if !slices.Equal(labels, tc.labels) {
				t.Errorf("legend %q, want %q", labels, tc.labels)
			}
			img := decode(t, func(b *bytes.Buffer) error { return HeatmapPNG(b, tc.hm) })
			// The hatched swatch is 40 x 18 px, mostly its fill: by hand,
			// over 300 pixels; the strip holds the x axis' label otherwise.
			n := countPixels(img, strip, isMissingFill)
			if hatched := slices.Contains(tc.labels, "in one run only"); hatched != (n > 300) {
				t.Errorf("%d pixels of the hatch fill in the legend strip; swatch wanted: %v", n, hatched)
			}
		})
	}
}
