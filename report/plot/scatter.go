package plot

import (
	"fmt"
	"image/color"
	"io"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Scatter is a panel of 2-D points coloured by group, with optional
// centres marked by a large cross.
type Scatter struct {
	Title, XLabel, YLabel string

	// X, Y and Group give each point and its group g >= 0; point i is drawn
	// in group colour Group[i] (circles for groups 0-9, filled triangles for
	// 10-19, filled squares after), translucent, in a shuffled order (see
	// drawOrder) so that no group is systematically drawn over another.
	X, Y  []float64
	Group []int
	// GroupNames are the legend entries; when nil the groups are named by
	// their numbers.
	GroupNames []string

	// CX, CY are centres (e.g. k-means centres) drawn as large crosses;
	// both may be nil.
	CX, CY []float64
}

// Default ScatterPairPNG size in pixels.
const (
	defaultPairWidth  = 1600
	defaultPairHeight = 720
)

// ScatterPairPNG draws two scatter panels side by side, e.g. points
// coloured by cluster (left) and by true label (right), as a PNG picture of
// width x height pixels (1600 x 720 when 0) to w. Each panel has its legend
// at its right, outside the data.
//
// Glyphs are translucent and shrink as the number of points n grows:
// radius 3 px with 70% opacity for n <= 2000, 2 px with 70% for n <= 10000
// and 1.25 px with 60% above, so that dense regions show as darker.
//
// ScatterPairPNG panics if a panel's X, Y and Group, or CX and CY, differ
// in length, or a group is negative or has no name. It returns an error if
// a coordinate is NaN or infinite.
func ScatterPairPNG(w io.Writer, left, right Scatter, width, height int) error {
	width, height = size(width, height, defaultPairWidth, defaultPairHeight)
	cv := newCanvas(width, height)
	dc := draw.New(cv)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: pixels(16)}
	for i, s := range []*Scatter{&left, &right} {
		p, leg, err := s.plot()
		if err != nil {
			return fmt.Errorf("scatter %q: %w", s.Title, err)
		}
		drawWithLegend(tiles.At(dc, i, 0), p, leg)
	}
	if err := writePNG(w, cv.Image()); err != nil {
		return fmt.Errorf("scatter %q | %q: %w", left.Title, right.Title, err)
	}
	return nil
}

// Default ScatterPNG size in pixels.
const (
	defaultScatterWidth  = 960
	defaultScatterHeight = 720
)

// ScatterPNG draws one scatter panel, as ScatterPairPNG draws each of
// its two, as a PNG picture of width x height pixels (960 x 720 when 0)
// to w: for data without a second colouring (no true labels).
//
// ScatterPNG panics and returns errors as ScatterPairPNG does.
func ScatterPNG(w io.Writer, s Scatter, width, height int) error {
	width, height = size(width, height, defaultScatterWidth, defaultScatterHeight)
	cv := newCanvas(width, height)
	p, leg, err := s.plot()
	if err != nil {
		return fmt.Errorf("scatter %q: %w", s.Title, err)
	}
	drawWithLegend(draw.New(cv), p, leg)
	if err := writePNG(w, cv.Image()); err != nil {
		return fmt.Errorf("scatter %q: %w", s.Title, err)
	}
	return nil
}

// drawOrder returns the order points 0..n-1 are drawn in: a permutation
// shuffled by a PCG generator seeded with (1, n), so the same points
// always give the same picture while groups listed one after another
// (e.g. rows sorted by label) are interleaved.
func drawOrder(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rnd := rand.New(rand.NewPCG(1, uint64(n)))
	rnd.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// plot checks s and returns its plot and legend.
func (s *Scatter) plot() (*plot.Plot, *plot.Legend, error) {
	n := len(s.X)
	if len(s.Y) != n || len(s.Group) != n {
		panic(fmt.Sprintf("report: scatter %q has %d x, %d y, %d groups", s.Title, n, len(s.Y), len(s.Group)))
	}
	if len(s.CX) != len(s.CY) {
		panic(fmt.Sprintf("report: scatter %q has %d centre x, %d centre y", s.Title, len(s.CX), len(s.CY)))
	}
	ngroups := len(s.GroupNames)
	for i, g := range s.Group {
		if g < 0 || (s.GroupNames != nil && g >= len(s.GroupNames)) {
			panic(fmt.Sprintf("report: scatter %q point %d in group %d of %d names", s.Title, i, g, len(s.GroupNames)))
		}
		if s.GroupNames == nil {
			ngroups = max(ngroups, g+1)
		}
	}
	for _, c := range []struct {
		what string
		xs   []float64
	}{{"x", s.X}, {"y", s.Y}, {"centre x", s.CX}, {"centre y", s.CY}} {
		if err := checkFinite(c.what, c.xs); err != nil {
			return nil, nil, err
		}
	}

	p := plot.New()
	p.Title.Text = s.Title
	p.Title.Padding = pixels(8)
	p.X.Label.Text = s.XLabel
	p.Y.Label.Text = s.YLabel
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{}, niceTicks{}
	leg := newLegend()

	radius, alpha := pixels(3), uint8(179)
	switch {
	case n > 10000:
		radius, alpha = pixels(1.25), 153
	case n > 2000:
		radius = pixels(2)
	}
	styles := make([]draw.GlyphStyle, ngroups)
	for g := range styles {
		c := groupColor(g)
		c.R, c.G, c.B = scaleAlpha(c.R, alpha), scaleAlpha(c.G, alpha), scaleAlpha(c.B, alpha)
		c.A = alpha
		styles[g] = draw.GlyphStyle{Color: c, Radius: radius, Shape: groupShape(g)}
	}
	if n > 0 {
		order := drawOrder(n)
		xys := make(plotter.XYs, n)
		for i, o := range order {
			xys[i] = plotter.XY{X: s.X[o], Y: s.Y[o]}
		}
		pts, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, nil, err
		}
		pts.GlyphStyleFunc = func(i int) draw.GlyphStyle { return styles[s.Group[order[i]]] }
		p.Add(pts)
	}
	for g := range ngroups {
		name := strconv.Itoa(g)
		if s.GroupNames != nil {
			name = s.GroupNames[g]
		}
		leg.Add(name, glyphThumb{Color: groupColor(g), Radius: pixels(5), Shape: groupShape(g)})
	}
	if len(s.CX) > 0 {
		xys := make(plotter.XYs, len(s.CX))
		for i := range xys {
			xys[i] = plotter.XY{X: s.CX[i], Y: s.CY[i]}
		}
		cs, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, nil, err
		}
		cs.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: pixels(10), Shape: bigCross{}}
		p.Add(cs)
		leg.Add("centres", glyphThumb{Color: color.Black, Radius: pixels(7), Shape: bigCross{}})
	}
	if ngroups == 0 && len(s.CX) == 0 {
		leg = nil
	}
	return p, leg, nil
}

// scaleAlpha premultiplies a colour component by alpha/255.
func scaleAlpha(c, alpha uint8) uint8 { return uint8((uint16(c)*uint16(alpha) + 127) / 255) }

// groupShape returns the glyph of group g: circles for 0-9, triangles for
// 10-19, squares after.
func groupShape(g int) draw.GlyphDrawer {
	switch {
	case g < 10:
		return draw.CircleGlyph{}
	case g < 20:
		return draw.PyramidGlyph{}
	}
	return draw.BoxGlyph{}
}

// glyphThumb is a legend thumbnail showing one glyph.
type glyphThumb draw.GlyphStyle

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyphNoClip(draw.GlyphStyle(g), c.Center())
}

// bigCross is a glyph drawing a black "x" with a white outline, visible on
// any background.
type bigCross struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (bigCross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	for _, ls := range []draw.LineStyle{
		{Color: color.White, Width: pixels(6)},
		{Color: sty.Color, Width: pixels(3)},
	} {
		c.StrokeLine2(ls, pt.X-r, pt.Y-r, pt.X+r, pt.Y+r)
		c.StrokeLine2(ls, pt.X-r, pt.Y+r, pt.X+r, pt.Y-r)
	}
}
