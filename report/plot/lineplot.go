package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one line of a LinePlot: points (X[i], Y[i]) joined in order and
// marked, with Y[i] ± Err[i] shown when Err is not nil: as vertical error
// bars, or as a shaded band when the plot's Bands is set.
type Series struct {
	Name string
	X, Y []float64
	Err  []float64
}

// HLine is a horizontal reference line at Y (e.g. a baseline score), drawn
// dashed across the X range of the series, with a legend entry Name.
type HLine struct {
	Name string
	Y    float64
}

// Mark is a highlighted point of a LinePlot (e.g. the knee of a curve):
// a large black ring at (X, Y), with a legend entry Name.
type Mark struct {
	Name string
	X, Y float64
}

// LinePlot is a plot of lines with points, optional error bars, optional
// horizontal reference lines and optional marked points.
type LinePlot struct {
	Title, XLabel, YLabel string
	Series                []Series
	HLines                []HLine
	Marks                 []Mark

	// Bands draws each series' Y ± Err as a translucent band in its
	// colour instead of error bars, which overlap less when lines are close.
	Bands bool

	// YMin and YMax fix the y range when YMin < YMax (e.g. one range for
	// the panels of small multiples); otherwise it fits the data.
	YMin, YMax float64

	// Width and Height are the picture size in pixels; 960 x 540 when 0.
	Width, Height int
}

// errXYs is a plotter.XYer and plotter.YErrorer.
type errXYs struct {
	plotter.XYs
	plotter.YErrors
}

// LinePlotPNG draws p as a PNG picture of p.Width x p.Height pixels to w.
// Series i is drawn in colour i mod 10 of the group colours (the dark
// ones), solid with circles for i < 10, then dashed with triangles, then
// dotted with squares, so that up to 30 series stay apart; reference line j
// is dashed in grey (black, then lighter greys); the legend stands at the
// right, outside the data. Axes get about five round ticks, whole numbers
// on the x axis when every x is one.
//
// LinePlotPNG panics if a series' X, Y (and Err when not nil) differ in
// length. It returns an error if a value is NaN or infinite.
func LinePlotPNG(w io.Writer, p LinePlot) error {
	for _, s := range p.Series {
		if len(s.X) != len(s.Y) || (s.Err != nil && len(s.Err) != len(s.X)) {
			panic(fmt.Sprintf("report: series %q has %d x, %d y, %d err", s.Name, len(s.X), len(s.Y), len(s.Err)))
		}
	}
	width, height := size(p.Width, p.Height, DefaultWidth, DefaultHeight)
	cv := newCanvas(width, height)

	pl := plot.New()
	pl.Title.Text = p.Title
	pl.Title.Padding = pixels(8)
	pl.X.Label.Text = p.XLabel
	pl.Y.Label.Text = p.YLabel
	pl.Y.Tick.Marker = niceTicks{}
	pl.Add(plotter.NewGrid())
	leg := newLegend()

	xmin, xmax := math.Inf(1), math.Inf(-1)
	integerX := true
	for i, s := range p.Series {
		if err := checkSeries(s); err != nil {
			return fmt.Errorf("line plot %q: %w", p.Title, err)
		}
		xys := make(plotter.XYs, len(s.X))
		for j := range s.X {
			xys[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
			xmin, xmax = math.Min(xmin, s.X[j]), math.Max(xmax, s.X[j])
			integerX = integerX && s.X[j] == math.Trunc(s.X[j])
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return fmt.Errorf("line plot %q: series %q: %w", p.Title, s.Name, err)
		}
		st := seriesStyle(i)
		line.LineStyle, points.GlyphStyle = st.line, st.glyph
		if s.Err != nil {
			if err := addSpread(pl, xys, s.Err, st.line.Color, p.Bands); err != nil {
				return fmt.Errorf("line plot %q: series %q: %w", p.Title, s.Name, err)
			}
		}
		pl.Add(line, points)
		leg.Add(s.Name, line, points)
	}
	if math.IsInf(xmin, 0) {
		xmin, xmax = 0, 1
	}
	pl.X.Tick.Marker = niceTicks{integer: integerX && len(p.Series) > 0}
	for j, hl := range p.HLines {
		if math.IsNaN(hl.Y) || math.IsInf(hl.Y, 0) {
			return fmt.Errorf("line plot %q: reference line %q at %v", p.Title, hl.Name, hl.Y)
		}
		line, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: hl.Y}, {X: xmax, Y: hl.Y}})
		if err != nil {
			return fmt.Errorf("line plot %q: reference line %q: %w", p.Title, hl.Name, err)
		}
		line.LineStyle = hlineStyle(j)
		pl.Add(line)
		leg.Add(hl.Name, line)
	}
	for _, m := range p.Marks {
		if err := checkFinite("mark "+m.Name, []float64{m.X, m.Y}); err != nil {
			return fmt.Errorf("line plot %q: %w", p.Title, err)
		}
		sc, err := plotter.NewScatter(plotter.XYs{{X: m.X, Y: m.Y}})
		if err != nil {
			return fmt.Errorf("line plot %q: mark %q: %w", p.Title, m.Name, err)
		}
		sc.Color = color.Black
		sc.Shape = draw.RingGlyph{}
		sc.Radius = pixels(10)
		pl.Add(sc)
		leg.Add(m.Name, sc)
	}
	if p.YMin < p.YMax {
		pl.Y.Min, pl.Y.Max = p.YMin, p.YMax
	}
	if len(p.Series)+len(p.HLines)+len(p.Marks) == 0 {
		leg = nil
	}
	drawWithLegend(draw.New(cv), pl, leg)
	if err := writePNG(w, cv.Image()); err != nil {
		return fmt.Errorf("line plot %q: %w", p.Title, err)
	}
	return nil
}

// lineStyle is how series i of a LinePlot is drawn.
type lineStyle struct {
	line  draw.LineStyle
	glyph draw.GlyphStyle
}

// seriesStyle returns the style of series i: colour i mod 10 of the dark
// group colours; solid lines and circles for i < 10, dashed lines and
// triangles for 10 <= i < 20, dotted lines and squares after (repeating
// every 30).
func seriesStyle(i int) lineStyle {
	col := groupColor(i % 10)
	st := lineStyle{
		line:  draw.LineStyle{Color: col, Width: pixels(2)},
		glyph: draw.GlyphStyle{Color: col, Radius: pixels(4), Shape: draw.CircleGlyph{}},
	}
	switch (i / 10) % 3 {
	case 1:
		st.line.Dashes = []vg.Length{pixels(10), pixels(4)}
		st.glyph.Shape, st.glyph.Radius = draw.PyramidGlyph{}, pixels(5)
	case 2:
		st.line.Dashes = []vg.Length{pixels(2), pixels(3)}
		st.glyph.Shape = draw.BoxGlyph{}
	}
	return st
}

// hlineStyle returns the style of reference line j: dashed, black for
// j = 0 and lighter greys after, each with its own dash pattern.
func hlineStyle(j int) draw.LineStyle {
	greys := []uint8{0x00, 0x70, 0xa0}
	dashes := [][]vg.Length{
		{pixels(8), pixels(5)},
		{pixels(3), pixels(3)},
		{pixels(12), pixels(3), pixels(3), pixels(3)},
	}
	return draw.LineStyle{Color: color.Gray{Y: greys[j%3]}, Width: pixels(2), Dashes: dashes[j%3]}
}

// addSpread adds xys' Y ± err to pl in col: a translucent band when band is
// set, else vertical error bars.
func addSpread(pl *plot.Plot, xys plotter.XYs, errs []float64, col color.Color, band bool) error {
	if !band {
		ye := make(plotter.YErrors, len(errs))
		for j, e := range errs {
			ye[j].Low, ye[j].High = e, e
		}
		bars, err := plotter.NewYErrorBars(errXYs{XYs: xys, YErrors: ye})
		if err != nil {
			return err
		}
		bars.Color = col
		bars.Width = pixels(1.5)
		bars.CapWidth = pixels(8)
		pl.Add(bars)
		return nil
	}
	// The band's outline: along the top left to right, back along the
	// bottom.
	poly := make(plotter.XYs, 0, 2*len(xys))
	for j, pt := range xys {
		poly = append(poly, plotter.XY{X: pt.X, Y: pt.Y + errs[j]})
	}
	for j := len(xys) - 1; j >= 0; j-- {
		poly = append(poly, plotter.XY{X: xys[j].X, Y: xys[j].Y - errs[j]})
	}
	pg, err := plotter.NewPolygon(poly)
	if err != nil {
		return err
	}
	pg.Color = translucent(col, bandAlpha)
	pg.LineStyle.Width = 0
	pl.Add(pg)
	return nil
}

// bandAlpha is the opacity of a LinePlot's bands: light enough that two
// overlapping bands and the lines over them stay visible.
const bandAlpha = 0.18

// translucent returns c with opacity alpha in [0, 1], premultiplied as
// color.RGBA requires.
func translucent(c color.Color, alpha float64) color.RGBA {
	r, g, b, _ := c.RGBA()
	f := func(v uint32) uint8 { return uint8(math.Round(float64(v>>8) * alpha)) }
	return color.RGBA{R: f(r), G: f(g), B: f(b), A: uint8(math.Round(255 * alpha))}
}

// checkSeries returns an error if s holds a NaN or infinite value.
func checkSeries(s Series) error {
	for _, c := range []struct {
		what string
		xs   []float64
	}{{"x", s.X}, {"y", s.Y}, {"err", s.Err}} {
		if err := checkFinite(c.what, c.xs); err != nil {
			return fmt.Errorf("series %q: %w", s.Name, err)
		}
	}
	return nil
}
