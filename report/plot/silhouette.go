package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SilhouettePlot is the per-sample silhouette picture of scikit-learn's
// "Selecting the number of clusters with silhouette analysis on KMeans
// clustering" example.
type SilhouettePlot struct {
	Title string
	// Values are the per-sample silhouette coefficients s(i) in [-1, 1] and
	// Labels the samples' clusters (>= 0).
	Values []float64
	Labels []int
	// Mean is drawn as a dashed vertical line, normally the mean of Values.
	Mean float64
	// Width and Height are the picture size in pixels; 960 x 540 when 0.
	Width, Height int
}

// SilhouettePlotPNG draws p as a PNG picture of p.Width x p.Height pixels
// to w. As in the scikit-learn example, each cluster's values are sorted
// ascending and drawn as horizontal bars from 0, stacked upward from the
// bottom with cluster 0 lowest, the cluster id at the left of its block and
// the mean as a dashed vertical line. Blocks are separated by
// ceil(0.1*n/(k+1)) empty rows for n samples in k clusters (scikit-learn
// uses a fixed 10), so the gaps take about a tenth of the height whatever
// n. Cluster c is filled with group colour c.
//
// SilhouettePlotPNG panics if Values and Labels differ in length or a label
// is negative. It returns an error if a value or Mean is NaN or infinite.
func SilhouettePlotPNG(w io.Writer, p SilhouettePlot) error {
	n := len(p.Values)
	if len(p.Labels) != n {
		panic(fmt.Sprintf("report: silhouette plot %q has %d values, %d labels", p.Title, n, len(p.Labels)))
	}
	if err := checkFinite("value", p.Values); err != nil {
		return fmt.Errorf("silhouette plot %q: %w", p.Title, err)
	}
	if math.IsNaN(p.Mean) || math.IsInf(p.Mean, 0) {
		return fmt.Errorf("silhouette plot %q: mean is %v", p.Title, p.Mean)
	}
	byLabel := make(map[int][]float64)
	for i, l := range p.Labels {
		if l < 0 {
			panic(fmt.Sprintf("report: silhouette plot %q sample %d has label %d", p.Title, i, l))
		}
		byLabel[l] = append(byLabel[l], p.Values[i])
	}
	labels := make([]int, 0, len(byLabel))
	for l := range byLabel {
		labels = append(labels, l)
	}
	slices.Sort(labels)

	width, height := size(p.Width, p.Height, DefaultWidth, DefaultHeight)
	cv := newCanvas(width, height)
	pl := plot.New()
	pl.Title.Text = p.Title
	pl.Title.Padding = pixels(8)
	pl.X.Label.Text = "silhouette coefficient"
	pl.Y.Label.Text = "cluster"
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0
	pl.Add(grid)

	gap := int(math.Ceil(0.1 * float64(n) / float64(len(labels)+1)))
	lo, hi := math.Min(0, p.Mean), math.Max(0, p.Mean)
	y := gap
	var ticks plot.ConstantTicks
	for _, l := range labels {
		vs := byLabel[l]
		slices.Sort(vs)
		// A staircase: bar j spans rows [y+j, y+j+1] from 0 to vs[j].
		xys := make(plotter.XYs, 0, 2*len(vs)+2)
		xys = append(xys, plotter.XY{X: 0, Y: float64(y)})
		for j, v := range vs {
			xys = append(xys, plotter.XY{X: v, Y: float64(y + j)}, plotter.XY{X: v, Y: float64(y + j + 1)})
		}
		xys = append(xys, plotter.XY{X: 0, Y: float64(y + len(vs))})
		poly, err := plotter.NewPolygon(xys)
		if err != nil {
			return fmt.Errorf("silhouette plot %q: cluster %d: %w", p.Title, l, err)
		}
		poly.Color = groupColor(l)
		poly.LineStyle.Width = 0
		pl.Add(poly)
		ticks = append(ticks, plot.Tick{Value: float64(y) + float64(len(vs))/2, Label: strconv.Itoa(l)})
		lo, hi = math.Min(lo, vs[0]), math.Max(hi, vs[len(vs)-1])
		y += len(vs) + gap
	}
	pl.Y.Tick.Marker = ticks
	pl.Y.Min, pl.Y.Max = 0, float64(y)
	pl.Y.Padding = 0
	pl.X.Min, pl.X.Max = lo, hi
	pl.X.Tick.Marker = tenthTicks{}

	mean, err := plotter.NewLine(plotter.XYs{{X: p.Mean, Y: 0}, {X: p.Mean, Y: float64(y)}})
	if err != nil {
		return fmt.Errorf("silhouette plot %q: %w", p.Title, err)
	}
	mean.Color = color.Black
	mean.Width = pixels(2)
	mean.Dashes = []vg.Length{pixels(8), pixels(5)}
	pl.Add(mean)
	leg := newLegend()
	leg.Add(fmt.Sprintf("mean %.3f", p.Mean), mean)

	drawWithLegend(draw.New(cv), pl, leg)
	if err := writePNG(w, cv.Image()); err != nil {
		return fmt.Errorf("silhouette plot %q: %w", p.Title, err)
	}
	return nil
}

// tenthTicks marks multiples of 0.1, labelling the multiples of 0.2 (and
// all of them when fewer than 4 would be labelled), so that 0 is always
// labelled on a silhouette axis.
type tenthTicks struct{}

// Ticks implements plot.Ticker.
func (tenthTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	first, last := int(math.Ceil(lo*10-1e-9)), int(math.Floor(hi*10+1e-9))
	all := last/2-(first+1)/2+1 < 4
	for k := first; k <= last; k++ {
		t := plot.Tick{Value: float64(k) / 10}
		if all || k%2 == 0 {
			t.Label = strconv.FormatFloat(t.Value, 'f', 1, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}
