package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap is a grid of coloured cells with the value printed in each cell,
// for example the mean silhouette per (components, clusters) pair.
type Heatmap struct {
	Title, XLabel, YLabel string

	// XTicks label the columns (e.g. clusters 5..15) and YTicks the rows
	// (e.g. components 2..5). When nil, the indices are used.
	XTicks, YTicks []string

	// Values holds the cells, [row][col]; a NaN cell is missing and is drawn
	// light grey with a hatch and no text. Row 0 is drawn at the top, as in
	// a table.
	Values [][]float64

	// Text optionally overrides the printed text per cell, [row][col]
	// (e.g. "123\n45%"); it may hold several lines. NaN cells get no text.
	Text [][]string

	// Min and Max fix the colour scale, so that heatmaps drawn with the same
	// Min and Max compare. Values outside [Min, Max] get the end colours.
	Min, Max float64

	// Diverging selects a blue-white-red palette centred at 0 over
	// [-m, m], m = max(|Min|, |Max|) (moreland.SmoothBlueRed), instead of
	// the sequential viridis-like palette over [Min, Max].
	Diverging bool

	// Label says what the colour means (e.g. "mean silhouette", "Δ ARI");
	// it is written along the colour bar.
	Label string

	// Format is the fmt verb for printed values; "%.3f" when empty.
	Format string

	// Mark lists cells (row, col) to outline, e.g. the best cell.
	Mark [][2]int

	// Neutral optionally marks cells, [row][col], drawn white with grey
	// text whatever their value: values that stand for "no difference",
	// such as deltas within floating-point noise, which the colour scale
	// would otherwise amplify. NaN cells stay missing.
	Neutral [][]bool

	// MissingLabel and NeutralLabel name the legend entries drawn under
	// the heatmap: a hatched swatch for the NaN cells (e.g. "in one run
	// only") and a white one for the Neutral cells. An entry is drawn only
	// when its label is set and a cell of its kind exists.
	MissingLabel, NeutralLabel string

	// Width and Height are the picture size in pixels; 960 x 540 when 0.
	Width, Height int
}

// viridis holds control colours of matplotlib's viridis colour map at
// 0, 1/8, ..., 1: matplotlib 3.6.3 cm.get_cmap("viridis")(i/8), scaled by
// 255 and rounded. Its CIELAB lightness increases monotonically, as
// moreland.NewLuminance requires.
var viridis = [...]color.RGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x47, 0x2d, 0x7b, 0xff}, {0x3b, 0x52, 0x8b, 0xff},
	{0x2c, 0x72, 0x8e, 0xff}, {0x21, 0x91, 0x8c, 0xff}, {0x28, 0xae, 0x80, 0xff},
	{0x5e, 0xc9, 0x62, 0xff}, {0xad, 0xdc, 0x30, 0xff}, {0xfd, 0xe7, 0x25, 0xff},
}

// missingColor fills NaN cells; missingHatch draws their hatch.
// neutralColor fills Neutral cells, whose text is neutralText.
var (
	missingColor = color.Gray{Y: 0xe8}
	missingHatch = color.Gray{Y: 0xb0}
	neutralColor = color.White
	neutralText  = color.Gray{Y: 0x60}
	neutralGrid  = color.Gray{Y: 0xd8}
)

// HeatmapPNG draws h as a PNG picture of h.Width x h.Height pixels to w,
// with a vertical colour bar showing the scale at the right, labelled with
// Label and about five round ticks, and the legend of MissingLabel and
// NeutralLabel underneath. When no cell takes a colour from the scale
// (each is Neutral or NaN, and one is Neutral), there is no colour bar,
// and Min and Max are not used.
//
// Each cell's text is drawn in black or white, whichever contrasts more
// with the cell colour: black when the WCAG 2 relative luminance
// L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB colour is at
// least 0.1791, where (L+0.05)/0.05 = 1.05/(L+0.05) (WCAG 2.1, "contrast
// ratio"). One font size, at most 12 pt, is used for all cells, shrunk
// until every text fits its cell.
//
// HeatmapPNG panics if Values is empty or ragged, if XTicks, YTicks, Text
// or Neutral do not match its shape, or if a Mark is outside it. It returns an error
// if the colour scale is empty or not finite.
func HeatmapPNG(w io.Writer, h Heatmap) error {
	nr, nc := h.shape()
	coloured, missing, neutral := h.kinds()
	var cmap palette.ColorMap
	if coloured || !neutral {
		var err error
		if cmap, err = h.colorMap(); err != nil {
			return fmt.Errorf("heatmap %q: %w", h.Title, err)
		}
	}
	width, height := size(h.Width, h.Height, DefaultWidth, DefaultHeight)
	cv := newCanvas(width, height)
	dc := draw.New(cv)

	p := plot.New()
	p.Title.Text = h.Title
	p.Title.Padding = pixels(8)
	p.X.Label.Text = h.XLabel
	p.Y.Label.Text = h.YLabel
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Marker = indexTicks(h.XTicks, nc, func(c int) float64 { return float64(c) })
	p.Y.Tick.Marker = indexTicks(h.YTicks, nr, func(r int) float64 { return float64(nr - 1 - r) })
	p.Add(&heatCells{h: &h, cmap: cmap, nr: nr, nc: nc})

	legend := h.legend(missing, neutral)
	bottom := vg.Length(0)
	if len(legend) > 0 {
		bottom = legendHeight
	}
	top := vg.Length(0)
	if h.Title == "" {
		top = -pixels(10) // room for the colour bar's top label.
	}
	if cmap == nil {
		mc := draw.Crop(dc, 0, -pixels(12), bottom, top)
		p.Draw(mc)
		drawLegend(draw.Crop(dc, p.DataCanvas(mc).Min.X-dc.Min.X, 0, 0, bottom-dc.Size().Y), p.TextHandler, legend)
	} else {
		mc := drawWithColorBar(dc, p, cmap, h.Label, bottom, top)
		drawLegend(draw.Crop(dc, p.DataCanvas(mc).Min.X-dc.Min.X, 0, 0, bottom-dc.Size().Y), p.TextHandler, legend)
	}

	if err := writePNG(w, cv.Image()); err != nil {
		return fmt.Errorf("heatmap %q: %w", h.Title, err)
	}
	return nil
}

// drawWithColorBar draws p on dc, less bottom and top, beside a vertical
// colour bar of cmap labelled label, and returns the canvas p was drawn on.
func drawWithColorBar(dc draw.Canvas, p *plot.Plot, cmap palette.ColorMap, label string, bottom, top vg.Length) draw.Canvas {
	cb := plot.New()
	cb.Add(&plotter.ColorBar{ColorMap: cmap, Vertical: true})
	cb.HideX()
	cb.Y.Label.Text = label
	cb.Y.Tick.Marker = niceTicks{}
	cb.X.Padding, cb.Y.Padding = 0, 0

	// Lay out: heatmap | gap | colour bar (barWidth wide, its axis at its
	// left) | margin. The colour bar's data area is aligned with the
	// heatmap's vertically.
	barWidth, gap, margin := pixels(24), pixels(24), pixels(12)
	probe := draw.Crop(dc, dc.Size().X-pixels(200), 0, 0, 0)
	axisWidth := probe.Size().X - cb.DataCanvas(probe).Size().X
	stripWidth := axisWidth + barWidth
	mc := draw.Crop(dc, 0, -(stripWidth + gap + margin), bottom, top)
	p.Draw(mc)
	dm := p.DataCanvas(mc)
	bc := dc
	bc.Min.X = mc.Max.X + gap
	bc.Max.X = bc.Min.X + stripWidth
	bc.Min.Y, bc.Max.Y = dm.Min.Y, dm.Max.Y
	db := cb.DataCanvas(bc)
	bc.Min.Y -= db.Min.Y - dm.Min.Y
	bc.Max.Y += dm.Max.Y - db.Max.Y
	cb.Draw(bc)
	return mc
}

// kinds tells which kinds of cells h has: drawn in a colour of the scale,
// missing (NaN) and Neutral.
func (h *Heatmap) kinds() (coloured, missing, neutral bool) {
	for r, row := range h.Values {
		for c, v := range row {
			switch {
			case math.IsNaN(v):
				missing = true
			case h.isNeutral(r, c):
				neutral = true
			default:
				coloured = true
			}
		}
	}
	return coloured, missing, neutral
}

// legend returns the legend entries of h, which has missing or neutral
// cells as told.
func (h *Heatmap) legend(missing, neutral bool) []legendEntry {
	var entries []legendEntry
	if missing && h.MissingLabel != "" {
		entries = append(entries, legendEntry{h.MissingLabel, fillHatched})
	}
	if neutral && h.NeutralLabel != "" {
		entries = append(entries, legendEntry{h.NeutralLabel, fillNeutral})
	}
	return entries
}

// isNeutral reports whether cell (r, c) is marked Neutral.
func (h *Heatmap) isNeutral(r, c int) bool { return h.Neutral != nil && h.Neutral[r][c] }

// shape checks h and returns its number of rows and columns.
func (h *Heatmap) shape() (nr, nc int) {
	nr = len(h.Values)
	if nr == 0 || len(h.Values[0]) == 0 {
		panic("report: empty heatmap")
	}
	nc = len(h.Values[0])
	for r, row := range h.Values {
		if len(row) != nc {
			panic(fmt.Sprintf("report: heatmap row %d has %d values, row 0 has %d", r, len(row), nc))
		}
	}
	if h.XTicks != nil && len(h.XTicks) != nc {
		panic(fmt.Sprintf("report: heatmap has %d x ticks for %d columns", len(h.XTicks), nc))
	}
	if h.YTicks != nil && len(h.YTicks) != nr {
		panic(fmt.Sprintf("report: heatmap has %d y ticks for %d rows", len(h.YTicks), nr))
	}
	if h.Text != nil {
		if len(h.Text) != nr {
			panic(fmt.Sprintf("report: heatmap has %d text rows for %d rows", len(h.Text), nr))
		}
		for r, row := range h.Text {
			if len(row) != nc {
				panic(fmt.Sprintf("report: heatmap text row %d has %d cells for %d columns", r, len(row), nc))
			}
		}
	}
	if h.Neutral != nil {
		if len(h.Neutral) != nr {
			panic(fmt.Sprintf("report: heatmap has %d neutral rows for %d rows", len(h.Neutral), nr))
		}
		for r, row := range h.Neutral {
			if len(row) != nc {
				panic(fmt.Sprintf("report: heatmap neutral row %d has %d cells for %d columns", r, len(row), nc))
			}
		}
	}
	for _, m := range h.Mark {
		if m[0] < 0 || m[0] >= nr || m[1] < 0 || m[1] >= nc {
			panic(fmt.Sprintf("report: heatmap mark %v outside %dx%d", m, nr, nc))
		}
	}
	return nr, nc
}

// colorMap returns the colour map of h with its range set.
func (h *Heatmap) colorMap() (palette.ColorMap, error) {
	if math.IsNaN(h.Min) || math.IsNaN(h.Max) || math.IsInf(h.Min, 0) || math.IsInf(h.Max, 0) {
		return nil, fmt.Errorf("colour scale [%v, %v] not finite", h.Min, h.Max)
	}
	if h.Diverging {
		m := math.Max(math.Abs(h.Min), math.Abs(h.Max))
		if m == 0 {
			return nil, errors.New("diverging colour scale [0, 0] is empty")
		}
		cmap := moreland.SmoothBlueRed()
		cmap.SetMin(-m)
		cmap.SetMax(m)
		return cmap, nil
	}
	if h.Min >= h.Max {
		return nil, fmt.Errorf("colour scale [%v, %v] is empty", h.Min, h.Max)
	}
	controls := make([]color.Color, len(viridis))
	for i, c := range viridis {
		controls[i] = c
	}
	cmap, err := moreland.NewLuminance(controls)
	if err != nil {
		panic(err) // viridis is a constant table.
	}
	cmap.SetMin(h.Min)
	cmap.SetMax(h.Max)
	return cmap, nil
}

// indexTicks returns ticks labelled labels (or the indices when nil) at
// pos(i) for i in [0, n).
func indexTicks(labels []string, n int, pos func(int) float64) plot.ConstantTicks {
	ticks := make(plot.ConstantTicks, n)
	for i := range n {
		l := strconv.Itoa(i)
		if labels != nil {
			l = labels[i]
		}
		ticks[i] = plot.Tick{Value: pos(i), Label: l}
	}
	return ticks
}

// heatCells is the plot.Plotter drawing the cells of a Heatmap; cell
// (r, c) covers [c-0.5, c+0.5] x [nr-1-r-0.5, nr-1-r+0.5] in data units.
type heatCells struct {
	h      *Heatmap
	cmap   palette.ColorMap
	nr, nc int
}

// DataRange implements plot.DataRanger.
func (hc *heatCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(hc.nc) - 0.5, -0.5, float64(hc.nr) - 0.5
}

// cellRect returns the canvas rectangle of cell (r, c).
func (hc *heatCells) cellRect(c *draw.Canvas, p *plot.Plot, r, col int) vg.Rectangle {
	trX, trY := p.Transforms(c)
	y := float64(hc.nr - 1 - r)
	return vg.Rectangle{
		Min: vg.Point{X: trX(float64(col) - 0.5), Y: trY(y - 0.5)},
		Max: vg.Point{X: trX(float64(col) + 0.5), Y: trY(y + 0.5)},
	}
}

// text returns the text printed in cell (r, c).
func (hc *heatCells) text(r, c int) string {
	v := hc.h.Values[r][c]
	if math.IsNaN(v) {
		return ""
	}
	if hc.h.Text != nil {
		return hc.h.Text[r][c]
	}
	format := hc.h.Format
	if format == "" {
		format = "%.3f"
	}
	return fmt.Sprintf(format, v)
}

// Plot implements plot.Plotter.
func (hc *heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	sty := text.Style{
		Font:    font.From(plot.DefaultFont, 12),
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
		Handler: p.TextHandler,
	}
	// Shrink the font until the widest and the tallest text fit in 85% of
	// a cell.
	cell := hc.cellRect(&c, p, 0, 0).Size()
	var tw, th vg.Length
	for r := range hc.nr {
		for col := range hc.nc {
			if s := hc.text(r, col); s != "" {
				tw = max(tw, sty.Width(s))
				th = max(th, sty.Height(s))
			}
		}
	}
	scale := 1.0
	if tw > 0 {
		scale = math.Min(scale, float64(0.85*cell.X/tw))
	}
	if th > 0 {
		scale = math.Min(scale, float64(0.85*cell.Y/th))
	}
	sty.Font.Size = max(sty.Font.Size*vg.Length(scale), 5)

	for r := range hc.nr {
		for col := range hc.nc {
			rect := hc.cellRect(&c, p, r, col)
			v := hc.h.Values[r][col]
			// White lines part the cells, light grey ones the white
			// Neutral cells.
			grid := draw.LineStyle{Color: color.White, Width: pixels(1)}
			switch {
			case math.IsNaN(v):
				fillHatched(c, rect)
			case hc.h.isNeutral(r, col):
				fillNeutral(c, rect)
				sty.Color = neutralText
				grid.Color = neutralGrid
			default:
				fill, err := hc.cmap.At(math.Max(hc.cmap.Min(), math.Min(hc.cmap.Max(), v)))
				if err != nil {
					panic(err) // v is clamped into the colour map's range.
				}
				c.SetColor(fill)
				c.Fill(rect.Path())
				sty.Color = contrastText(fill)
			}
			c.SetLineStyle(grid)
			c.Stroke(rect.Path())
			if s := hc.text(r, col); s != "" {
				c.FillText(sty, rect.Min.Add(rect.Max).Scale(0.5), s)
			}
		}
	}
	for _, m := range hc.h.Mark {
		rect := hc.cellRect(&c, p, m[0], m[1])
		for _, ls := range []draw.LineStyle{
			{Color: color.White, Width: pixels(7)},
			{Color: color.Black, Width: pixels(3)},
		} {
			in := pixels(4)
			r := vg.Rectangle{Min: rect.Min.Add(vg.Point{X: in, Y: in}), Max: rect.Max.Sub(vg.Point{X: in, Y: in})}
			c.SetLineStyle(ls)
			c.Stroke(r.Path())
		}
	}
}

// fillHatched fills rect as a missing cell: light grey with a diagonal
// hatch, 8 px apart, clipped to rect.
func fillHatched(c draw.Canvas, rect vg.Rectangle) {
	c.SetColor(missingColor)
	c.Fill(rect.Path())
	hatch := draw.LineStyle{Color: missingHatch, Width: pixels(1)}
	step := pixels(8)
	sz := rect.Size()
	for d := step; d < sz.X+sz.Y; d += step {
		a := vg.Point{X: rect.Min.X + max(0, d-sz.Y), Y: rect.Min.Y + min(d, sz.Y)}
		b := vg.Point{X: rect.Min.X + min(d, sz.X), Y: rect.Min.Y + max(0, d-sz.X)}
		c.StrokeLine2(hatch, a.X, a.Y, b.X, b.Y)
	}
}

// fillNeutral fills rect as a Neutral cell.
func fillNeutral(c draw.Canvas, rect vg.Rectangle) {
	c.SetColor(neutralColor)
	c.Fill(rect.Path())
}

// legendEntry is a swatch drawn by fill and its label.
type legendEntry struct {
	label string
	fill  func(draw.Canvas, vg.Rectangle)
}

// legendHeight is the height of the legend strip under a heatmap, and
// swatchWidth the width of a swatch in it.
var (
	legendHeight = pixels(30)
	swatchWidth  = pixels(40)
)

// drawLegend draws entries left to right, vertically centred in c: each a
// swatch outlined in grey and its label.
func drawLegend(c draw.Canvas, th text.Handler, entries []legendEntry) {
	sty := text.Style{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, 11),
		XAlign:  draw.XLeft,
		YAlign:  draw.YCenter,
		Handler: th,
	}
	y := (c.Min.Y + c.Max.Y) / 2
	x := c.Min.X
	for _, e := range entries {
		sw := vg.Rectangle{Min: vg.Point{X: x, Y: y - pixels(9)}, Max: vg.Point{X: x + swatchWidth, Y: y + pixels(9)}}
		e.fill(c, sw)
		c.SetLineStyle(draw.LineStyle{Color: missingHatch, Width: pixels(1)})
		c.Stroke(sw.Path())
		x += swatchWidth + pixels(6)
		c.FillText(sty, vg.Point{X: x, Y: y}, e.label)
		x += sty.Width(e.label) + pixels(24)
	}
}

// contrastText returns black or white, whichever has the higher WCAG 2.1
// contrast ratio against bg: black when the relative luminance of bg is at
// least 0.1791 (see HeatmapPNG).
func contrastText(bg color.Color) color.Color {
	r, g, b, _ := bg.RGBA()
	lin := func(v uint32) float64 {
		c := float64(v) / 0xffff
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	if (l+0.05)*(l+0.05) >= 0.05*1.05 {
		return color.Black
	}
	return color.White
}
