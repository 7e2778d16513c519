package plot

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
)

// TestNiceTicks: about five round ticks, labelled with the decimals the
// step needs; counts get whole numbers (issue 17: classes.png said
// "7500.00", silhouette_vs_k had two ticks). Expected ticks by hand.
func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi  float64
		integer bool
		want    []string
	}{
		{0, 7215 * 1.05, true, []string{"0", "2000", "4000", "6000"}},
		{0, 1140, true, []string{"0", "200", "400", "600", "800", "1000"}},
		{0.241, 0.354, false, []string{"0.26", "0.28", "0.30", "0.32", "0.34"}},
		{5, 10, true, []string{"5", "6", "7", "8", "9", "10"}},
		{2, 3, true, []string{"2", "3"}},
		{-0.05, 0.05, false, []string{"-0.04", "-0.02", "0.00", "0.02", "0.04"}},
		{0, 1, false, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{0, 0.5, false, []string{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5"}},
		// A delta scale of compare (issue 17 item 6): steps finer than 1e-5
		// in powers of ten, by hand: step 2e-8 over ±4.46e-8.
		{-4.46e-8, 4.46e-8, false, []string{"-4e-8", "-2e-8", "0", "2e-8", "4e-8"}},
		// Step 1e-5 still has 5 decimals; finer steps write every tick
		// with the step's power of ten.
		{0, 4.5e-5, false, []string{"0.00000", "0.00001", "0.00002", "0.00003", "0.00004"}},
		{-1e-7, 1e-7, false, []string{"-10e-8", "-5e-8", "0", "5e-8", "10e-8"}},
		// ±1.9e-8: steps 5e-9 and 1e-8 give 7 and 3 ticks, 2 from 5 each;
		// the smaller step wins the tie.
		{-1.9e-8, 1.9e-8, false, []string{"-15e-9", "-10e-9", "-5e-9", "0", "5e-9", "10e-9", "15e-9"}},
	} {
		var got []string
		for _, tk := range (niceTicks{integer: tc.integer}).Ticks(tc.lo, tc.hi) {
			got = append(got, tk.Label)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("[%v, %v] integer=%v: ticks %q, want %q", tc.lo, tc.hi, tc.integer, got, tc.want)
		}
	}
}

// TestNiceTicksProperties: over random ranges, 3 to 11 labelled ticks,
// inside the range, evenly spaced, all labels distinct, and whole numbers
// for integer tickers.
func TestNiceTicksProperties(t *testing.T) {
	rnd := rand.New(rand.NewPCG(17, 7))
	for range 2000 {
		lo := (rnd.Float64() - 0.5) * math.Pow(10, float64(rnd.IntN(8)-3))
		hi := lo + math.Pow(10, rnd.Float64()*8-3)
		integer := rnd.IntN(2) == 0
		if integer {
			lo, hi = math.Round(lo), math.Round(lo)+math.Max(4, math.Round(hi-lo))
		}
		ticks := (niceTicks{integer: integer}).Ticks(lo, hi)
		if len(ticks) < 3 || len(ticks) > 11 {
			t.Fatalf("[%v, %v] integer=%v: %d ticks", lo, hi, integer, len(ticks))
		}
		seen := map[string]bool{}
		for i, tk := range ticks {
			if tk.Value < lo-1e-9*(hi-lo) || tk.Value > hi+1e-9*(hi-lo) {
				t.Fatalf("[%v, %v]: tick %v outside", lo, hi, tk.Value)
			}
			if seen[tk.Label] {
				t.Fatalf("[%v, %v]: label %q twice", lo, hi, tk.Label)
			}
			seen[tk.Label] = true
			if integer && strings.Contains(tk.Label, ".") {
				t.Fatalf("[%v, %v]: integer tick %q", lo, hi, tk.Label)
			}
			if i > 1 && math.Abs((tk.Value-ticks[i-1].Value)-(ticks[1].Value-ticks[0].Value)) > 1e-9*(hi-lo) {
				t.Fatalf("[%v, %v]: uneven ticks %v", lo, hi, ticks)
			}
		}
	}
}

// TestSansFont: every text of the pictures is Liberation Sans, matching
// the sans-serif page (gonum/plot's own default is Liberation Serif).
func TestSansFont(t *testing.T) {
	p := plot.New()
	l := plot.NewLegend()
	label, title := montageStyles()
	for _, f := range []struct {
		what string
		fnt  font.Font
	}{
		{"default", plot.DefaultFont},
		{"title", p.Title.TextStyle.Font},
		{"axis label", p.X.Label.TextStyle.Font},
		{"tick label", p.Y.Tick.Label.Font},
		{"legend", l.TextStyle.Font},
		{"montage label", label.Font},
		{"montage title", title.Font},
	} {
		face := font.DefaultCache.Lookup(f.fnt, 12)
		if !font.DefaultCache.Has(font.Font{Typeface: f.fnt.Typeface, Variant: f.fnt.Variant, Style: f.fnt.Style, Weight: f.fnt.Weight}) {
			t.Errorf("%s: font %+v is not in the cache", f.what, f.fnt)
			continue
		}
		name, err := face.Face.Name(nil, sfnt.NameIDFull)
		if err != nil {
			t.Fatal(err)
		}
		if name != "Liberation Sans" {
			t.Errorf("%s: font %q, want Liberation Sans", f.what, name)
		}
	}
}

// countNear counts the pixels of img within r that are within tol of c.
func countNear(img image.Image, r image.Rectangle, c color.RGBA, tol int) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(img.At(x, y), c, tol) {
				n++
			}
		}
	}
	return n
}

// over returns c at opacity alpha over white.
func over(c color.RGBA, alpha float64) color.RGBA {
	f := func(v uint8) uint8 { return uint8(math.Round(float64(v)*alpha + 255*(1-alpha))) }
	return color.RGBA{f(c.R), f(c.G), f(c.B), 0xff}
}

// TestScatterAlpha: points are translucent (70% for few points), so the
// data area shows group 0's colour over white and never the opaque colour
// (which only the legend's thumbnail uses).
func TestScatterAlpha(t *testing.T) {
	s := Scatter{Title: "alpha"}
	for i := range 200 {
		s.X = append(s.X, float64(i%20))
		s.Y = append(s.Y, float64(i/20))
		s.Group = append(s.Group, 0)
	}
	img := decode(t, func(b *bytes.Buffer) error { return ScatterPNG(b, s, 600, 400) })
	data := image.Rect(0, 0, 420, 400) // left of the legend column
	if n := countNear(img, data, groupColor(0), 2); n > 0 {
		t.Errorf("%d opaque pixels of group 0 in the data area", n)
	}
	if n := countNear(img, data, over(groupColor(0), 179.0/255), 3); n < 200 {
		t.Errorf("%d translucent pixels of group 0, want a glyph's worth per point", n)
	}
}

// TestDrawOrder: the points' drawing order is a seeded permutation, the
// same every time, and shuffled (rows sorted by label would otherwise put
// the last label on top everywhere).
func TestDrawOrder(t *testing.T) {
	a, b := drawOrder(1000), drawOrder(1000)
	if !slices.Equal(a, b) {
		t.Fatal("drawOrder differs between calls")
	}
	sorted := slices.Sorted(slices.Values(a))
	for i, v := range sorted {
		if v != i {
			t.Fatalf("drawOrder(1000) is not a permutation: %d at %d", v, i)
		}
	}
	// In the second half of the order, about half the points come from
	// the first half of the rows (a sorted order has none).
	firstHalf := 0
	for _, o := range a[500:] {
		if o < 500 {
			firstHalf++
		}
	}
	if firstHalf < 200 || firstHalf > 300 {
		t.Errorf("%d of the last 500 drawn are among the first 500 rows, want about 250", firstHalf)
	}
}

// TestLinePlotBands: with Bands, the sd is a translucent band in the
// series' colour (a wide area of its tint over white); with error bars
// there is no such area.
func TestLinePlotBands(t *testing.T) {
	p := LinePlot{Width: 600, Height: 400, Series: []Series{{
		Name: "a", X: []float64{1, 2, 3, 4}, Y: []float64{0.3, 0.35, 0.32, 0.4}, Err: []float64{0.05, 0.05, 0.05, 0.05},
	}}}
	tint := over(groupColor(0), bandAlpha)
	all := image.Rect(0, 0, 600, 400)
	bars := decode(t, func(b *bytes.Buffer) error { return LinePlotPNG(b, p) })
	p.Bands = true
	bands := decode(t, func(b *bytes.Buffer) error { return LinePlotPNG(b, p) })
	if n := countNear(bands, all, tint, 3); n < 5000 {
		t.Errorf("bands: %d pixels of the band's tint, want a band", n)
	}
	if n := countNear(bars, all, tint, 3); n > 100 {
		t.Errorf("error bars: %d pixels of the band's tint", n)
	}
}

// TestSeriesStyles: 30 series are drawn in 30 different (colour, dashes,
// glyph) styles (silhouette_vs_k had 18 lines in repeated colours).
func TestSeriesStyles(t *testing.T) {
	seen := map[string]int{}
	for i := range 30 {
		st := seriesStyle(i)
		key := fmt.Sprintf("%v %v %T", st.line.Color, st.line.Dashes, st.glyph.Shape)
		if j, ok := seen[key]; ok {
			t.Errorf("series %d and %d share style %q", j, i, key)
		}
		seen[key] = i
	}
}

// TestHeatmapColourBarLabel: the colour bar's label is drawn (the strip
// right of the cells differs with and without it).
func TestHeatmapColourBarLabel(t *testing.T) {
	h := Heatmap{Values: [][]float64{{0, 1}}, Min: 0, Max: 1, Width: 500, Height: 300}
	plain := decode(t, func(b *bytes.Buffer) error { return HeatmapPNG(b, h) })
	h.Label = "Δ ARI"
	labelled := decode(t, func(b *bytes.Buffer) error { return HeatmapPNG(b, h) })
	dark := func(img image.Image) int {
		n := 0
		for y := range 300 {
			for x := 380; x < 500; x++ {
				if r, _, _ := rgb8(img.At(x, y)); r < 100 {
					n++
				}
			}
		}
		return n
	}
	if a, b := dark(plain), dark(labelled); b <= a+20 {
		t.Errorf("colour bar strip: %d dark pixels without label, %d with", a, b)
	}
}

// TestLongTitleNotCut: a title wider than the plot area (a wide legend
// beside it, as in criteria_vs_k.png's gap panel) is drawn whole: its ink
// is as wide as the same title's over a plot without a legend (centred
// over the plot area alone, it was cut at the picture's left edge).
func TestLongTitleNotCut(t *testing.T) {
	p := LinePlot{Title: "gap ± s(k) (smallest k with gap(k) ≥ gap(k+1) − s(k+1))", Width: 640, Height: 400,
		Series: []Series{{X: []float64{5, 6, 7}, Y: []float64{1, 2, 3}}}}
	alone := titleInk(t, p)
	for i := range 6 {
		p.Series = append(p.Series, Series{Name: fmt.Sprintf("svd, 3 components, algorithm=kmeans %d", i),
			X: []float64{5, 6, 7}, Y: []float64{1, 2, float64(i)}})
	}
	beside := titleInk(t, p)
	if beside[1]-beside[0] != alone[1]-alone[0] || beside[0] < 0 {
		t.Errorf("title ink x = %d..%d beside a legend, %d..%d without: cut", beside[0], beside[1], alone[0], alone[1])
	}
}

// titleInk returns the first and last column with dark pixels in the top
// 20 rows of p's picture (the title's band).
func titleInk(t *testing.T, p LinePlot) [2]int {
	t.Helper()
	img := decode(t, func(b *bytes.Buffer) error { return LinePlotPNG(b, p) })
	ink := [2]int{img.Bounds().Max.X, -1}
	for y := range 20 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0x8000 {
				ink = [2]int{min(ink[0], x), max(ink[1], x)}
			}
		}
	}
	if ink[1] < 0 {
		t.Fatal("no title drawn")
	}
	return ink
}
