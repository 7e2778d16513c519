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
// marked, with vertical error bars Y[i] ± Err[i] when Err is not nil.
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

	// Width and Height are the picture size in pixels; 960 x 540 when 0.
	Width, Height int
}

// errXYs is a plotter.XYer and plotter.YErrorer.
type errXYs struct {
	plotter.XYs
	plotter.YErrors
}

// LinePlotPNG draws p as a PNG picture of p.Width x p.Height pixels to w.
// Series i is drawn in group colour i, reference line j dashed in group
// colour len(p.Series)+j; the legend stands at the right, outside the data.
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
	pl.Add(plotter.NewGrid())
	leg := newLegend()

	xmin, xmax := math.Inf(1), math.Inf(-1)
	for i, s := range p.Series {
		if err := checkSeries(s); err != nil {
			return fmt.Errorf("line plot %q: %w", p.Title, err)
		}
		xys := make(plotter.XYs, len(s.X))
		for j := range s.X {
			xys[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
			xmin, xmax = math.Min(xmin, s.X[j]), math.Max(xmax, s.X[j])
		}
		col := groupColor(i)
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return fmt.Errorf("line plot %q: series %q: %w", p.Title, s.Name, err)
		}
		line.Color = col
		line.Width = pixels(2)
		points.Color = col
		points.Shape = draw.CircleGlyph{}
		points.Radius = pixels(4)
		if s.Err != nil {
			ye := make(plotter.YErrors, len(s.Err))
			for j, e := range s.Err {
				ye[j].Low, ye[j].High = e, e
			}
			bars, err := plotter.NewYErrorBars(errXYs{XYs: xys, YErrors: ye})
			if err != nil {
				return fmt.Errorf("line plot %q: series %q: %w", p.Title, s.Name, err)
			}
			bars.Color = col
			bars.Width = pixels(1.5)
			bars.CapWidth = pixels(8)
			pl.Add(bars)
		}
		pl.Add(line, points)
		leg.Add(s.Name, line, points)
	}
	if math.IsInf(xmin, 0) {
		xmin, xmax = 0, 1
	}
	for j, hl := range p.HLines {
		if math.IsNaN(hl.Y) || math.IsInf(hl.Y, 0) {
			return fmt.Errorf("line plot %q: reference line %q at %v", p.Title, hl.Name, hl.Y)
		}
		line, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: hl.Y}, {X: xmax, Y: hl.Y}})
		if err != nil {
			return fmt.Errorf("line plot %q: reference line %q: %w", p.Title, hl.Name, err)
		}
		line.Color = groupColor(len(p.Series) + j)
		line.Width = pixels(2)
		line.Dashes = []vg.Length{pixels(8), pixels(5)}
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
	if len(p.Series)+len(p.HLines)+len(p.Marks) == 0 {
		leg = nil
	}
	drawWithLegend(draw.New(cv), pl, leg)
	if err := writePNG(w, cv.Image()); err != nil {
		return fmt.Errorf("line plot %q: %w", p.Title, err)
	}
	return nil
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
