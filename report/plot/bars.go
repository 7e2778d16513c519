package plot

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars is a grouped bar chart, e.g. class counts (categories) per usage
// split (groups).
type Bars struct {
	Title, XLabel, YLabel string
	Categories            []string
	Groups                []string
	// Values are the bar heights, [group][category].
	Values [][]float64
	// Width and Height are the picture size in pixels; 960 x 540 when 0.
	Width, Height int
}

// BarsPNG draws b as a PNG picture of b.Width x b.Height pixels to w. The
// bars of one category stand side by side, group g in group colour g,
// together 80% of the distance between categories; the legend stands at
// the right, outside the data, when there are two groups or more. The y
// axis has about five round ticks, whole numbers when every value is one
// (counts).
//
// BarsPNG panics if there are no categories or Values does not have
// len(Groups) rows of len(Categories) values. It returns an error if a
// value is NaN or infinite.
func BarsPNG(w io.Writer, b Bars) error {
	nc, ng := len(b.Categories), len(b.Groups)
	if nc == 0 {
		panic("report: bar chart without categories")
	}
	if len(b.Values) != ng {
		panic(fmt.Sprintf("report: bar chart %q has %d value rows for %d groups", b.Title, len(b.Values), ng))
	}
	for g, vs := range b.Values {
		if len(vs) != nc {
			panic(fmt.Sprintf("report: bar chart %q group %d has %d values for %d categories", b.Title, g, len(vs), nc))
		}
		if err := checkFinite(fmt.Sprintf("values[%d]", g), vs); err != nil {
			return fmt.Errorf("bar chart %q: %w", b.Title, err)
		}
	}
	width, height := size(b.Width, b.Height, DefaultWidth, DefaultHeight)
	cv := newCanvas(width, height)
	dc := draw.New(cv)

	p := plot.New()
	p.Title.Text = b.Title
	p.Title.Padding = pixels(8)
	p.X.Label.Text = b.XLabel
	p.Y.Label.Text = b.YLabel
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	p.Add(grid)
	leg := newLegend()
	charts := make([]*plotter.BarChart, ng)
	for g, vs := range b.Values {
		bc, err := plotter.NewBarChart(plotter.Values(vs), pixels(1))
		if err != nil {
			return fmt.Errorf("bar chart %q: group %q: %w", b.Title, b.Groups[g], err)
		}
		bc.Color = groupColor(g)
		bc.LineStyle.Width = 0
		charts[g] = bc
		p.Add(bc)
		leg.Add(b.Groups[g], bc)
	}
	integer := true
	for _, vs := range b.Values {
		for _, v := range vs {
			integer = integer && v == math.Trunc(v)
		}
	}
	p.Y.Tick.Marker = niceTicks{integer: integer}
	p.NominalX(b.Categories...)
	p.X.Min, p.X.Max = -0.5, float64(nc)-0.5
	// 5% headroom above the tallest bar (and below the lowest negative one).
	p.Y.Max += 0.05 * (p.Y.Max - p.Y.Min)
	if p.Y.Min < 0 {
		p.Y.Min -= 0.05 * (p.Y.Max - p.Y.Min)
	}
	if ng <= 1 {
		leg = nil
	}
	// Size the bars from the width of the data area, one unit per category.
	pc := plotArea(dc, leg)
	unit := p.DataCanvas(pc).Size().X / vg.Length(nc)
	bw := 0.8 * unit / vg.Length(max(ng, 1))
	for g, bc := range charts {
		bc.Width = bw
		bc.Offset = (vg.Length(g) - vg.Length(ng-1)/2) * bw
	}
	drawWithLegend(dc, p, leg)
	if err := writePNG(w, cv.Image()); err != nil {
		return fmt.Errorf("bar chart %q: %w", b.Title, err)
	}
	return nil
}
