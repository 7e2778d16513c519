package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Link is one merge of a hierarchical clustering, as a row of scipy's
// linkage matrix: clusters A and B (ids below N are the N leaves, id N+i
// is the cluster made by merge i) joined at Height into Size leaves.
type Link struct {
	A, B   int
	Height float64
	Size   int
}

// Dendrogram is the top of a hierarchy, drawn as scipy's
// dendrogram(Z, truncate_mode='lastp', p=P): only the last P−1 merges,
// whose P children that are not themselves drawn merges become the leaves,
// each labelled with its size ("(n)", or the row id of a single row, as
// scipy's ivl).
type Dendrogram struct {
	Title string
	N     int    // leaves of the whole hierarchy (rows)
	Links []Link // its N−1 merges in the order they were made
	P     int    // leaves drawn, at most N; 30 when 0
	// Cut, when not NaN, is drawn as a dashed horizontal line labelled
	// CutLabel (the height that cuts the tree into the cell's k clusters).
	Cut      float64
	CutLabel string
	// LeafNames, when set, gives a name after each drawn leaf's label, by
	// cluster id (e.g. the cluster the leaf falls in after the cut).
	LeafNames map[int]string
	// Width and Height are the picture size in pixels; 960 x 540 when 0.
	Width, Height int
}

// DendrogramLeaf is a drawn leaf: cluster ID at X, with Size rows.
type DendrogramLeaf struct {
	ID, Size int
	X        float64
}

// DendrogramU is the ∩ of one drawn merge: from (XLeft, YLeft) up to
// height Y, across to XRight and down to (XRight, YRight), as a column of
// scipy's icoord and dcoord.
type DendrogramU struct {
	XLeft, XRight, YLeft, YRight, Y float64
}

// DendrogramLayout returns scipy's geometry of the top p leaves of the
// hierarchy of n leaves with the given merges (truncate_mode='lastp',
// neither count_sort nor distance_sort): leaves left to right at x = 5,
// 15, 25, …, found depth first from the root with A before B; a drawn
// leaf stands at height 0; each merge's ∩ joins the x of its children (a
// leaf's x, or the middle of a merge's top) at the merge's height. The ∩s
// come in the order of their merges. p is clamped to [1, n]. It panics if
// len(merges) != n−1 or a merge names a cluster not made before it.
func DendrogramLayout(n int, merges []Link, p int) ([]DendrogramLeaf, []DendrogramU) {
	if n < 1 || len(merges) != n-1 {
		panic(fmt.Sprintf("report: dendrogram of %d leaves has %d merges (want n-1)", n, len(merges)))
	}
	p = min(max(p, 1), n)
	first := n - p // merges before first are inside the drawn leaves
	size := func(id int) int {
		if id < n {
			return 1
		}
		return merges[id-n].Size
	}
	var leaves []DendrogramLeaf
	us := make([]DendrogramU, 0, p-1)
	type pos struct{ x, y float64 }
	at := make(map[int]pos, 2*p)
	// Iterative depth-first walk: children are placed before their parent.
	type frame struct {
		id       int
		expanded bool
	}
	stack := []frame{{id: 2*n - 2}}
	if n == 1 {
		stack[0].id = 0
	}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.id < n+first {
			if f.id >= n+len(merges) || f.id < 0 {
				panic(fmt.Sprintf("report: dendrogram names cluster %d of %d leaves", f.id, n))
			}
			x := 5 + 10*float64(len(leaves))
			leaves = append(leaves, DendrogramLeaf{ID: f.id, Size: size(f.id), X: x})
			at[f.id] = pos{x, 0}
			continue
		}
		m := merges[f.id-n]
		if !f.expanded {
			if m.A >= f.id || m.B >= f.id {
				panic(fmt.Sprintf("report: dendrogram merge %d joins cluster %d or %d made later", f.id-n, m.A, m.B))
			}
			stack = append(stack, frame{f.id, true}, frame{id: m.B}, frame{id: m.A})
			continue
		}
		l, r := at[m.A], at[m.B]
		at[f.id] = pos{(l.x + r.x) / 2, m.Height}
		us = append(us, DendrogramU{XLeft: l.x, XRight: r.x, YLeft: l.y, YRight: r.y, Y: m.Height})
	}
	return leaves, us
}

// DendrogramPNG draws d as a PNG picture to w: the ∩s of DendrogramLayout
// in black, the leaves labelled below the axis, and the cut. It returns an
// error if a height or Cut is infinite, and panics as DendrogramLayout.
func DendrogramPNG(w io.Writer, d Dendrogram) error {
	p := d.P
	if p == 0 {
		p = 30
	}
	for i, m := range d.Links {
		if math.IsNaN(m.Height) || math.IsInf(m.Height, 0) {
			return fmt.Errorf("dendrogram %q: merge %d has height %v", d.Title, i, m.Height)
		}
	}
	if math.IsInf(d.Cut, 0) {
		return fmt.Errorf("dendrogram %q: cut at %v", d.Title, d.Cut)
	}
	leaves, us := DendrogramLayout(d.N, d.Links, p)
	width, height := size(d.Width, d.Height, DefaultWidth, DefaultHeight)
	cv := newCanvas(width, height)
	pl := plot.New()
	pl.Title.Text = d.Title
	pl.Title.Padding = pixels(8)
	pl.Y.Label.Text = "merge height (Ward distance)"
	pl.X.Label.Text = fmt.Sprintf("the last %d merges; leaves: (rows below) or a lone row's number", len(us))
	if len(d.LeafNames) > 0 {
		pl.X.Label.Text += ", then its name"
	}
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	pl.Add(grid)
	top := 0.0
	for _, u := range us {
		line, err := plotter.NewLine(plotter.XYs{{X: u.XLeft, Y: u.YLeft}, {X: u.XLeft, Y: u.Y}, {X: u.XRight, Y: u.Y}, {X: u.XRight, Y: u.YRight}})
		if err != nil {
			return fmt.Errorf("dendrogram %q: %w", d.Title, err)
		}
		line.Color = color.Black
		line.Width = pixels(1.5)
		pl.Add(line)
		top = max(top, u.Y)
	}
	var ticks plot.ConstantTicks
	for _, l := range leaves {
		label := "(" + strconv.Itoa(l.Size) + ")"
		if l.Size == 1 {
			label = strconv.Itoa(l.ID)
		}
		if name, ok := d.LeafNames[l.ID]; ok {
			label += " " + name
		}
		ticks = append(ticks, plot.Tick{Value: l.X, Label: label})
	}
	pl.X.Tick.Marker = ticks
	// Leaf labels read upwards, one per leaf, so that wide ones (row ids,
	// thousands of rows) do not run into their neighbours.
	pl.X.Tick.Label.Rotation = math.Pi / 2
	pl.X.Tick.Label.XAlign = draw.XRight
	pl.X.Tick.Label.YAlign = draw.YCenter
	pl.X.Min, pl.X.Max = 0, 10*float64(len(leaves))
	pl.X.Padding = 0
	pl.Y.Min, pl.Y.Max = 0, math.Max(top, d.Cut)*1.05
	if top == 0 {
		pl.Y.Max = 1
	}
	var leg *plot.Legend
	if !math.IsNaN(d.Cut) {
		leg = newLegend()
		cut, err := plotter.NewLine(plotter.XYs{{X: pl.X.Min, Y: d.Cut}, {X: pl.X.Max, Y: d.Cut}})
		if err != nil {
			return fmt.Errorf("dendrogram %q: %w", d.Title, err)
		}
		cut.Color = color.RGBA{R: 214, G: 39, B: 40, A: 255}
		cut.Width = pixels(2)
		cut.Dashes = []vg.Length{pixels(8), pixels(5)}
		pl.Add(cut)
		leg.Add(d.CutLabel, cut)
	}
	drawWithLegend(draw.New(cv), pl, leg)
	return writePNG(w, cv.Image())
}
