package report

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"sweep/experiments"
	"sweep/experiments/cluster/ward"
	"sweep/experiments/dataset"
	"sweep/internal/atomicfile"
	"sweep/metrics"
	"sweep/report/plot"
)

// montageImages is the number of faces per cluster in each montage row:
// the seed study showed the 14 images nearest each centroid.
const montageImages = 14

// CellView names the pictures drawn for one inspected cell.
type CellView struct {
	Cell                                       experiments.Cell
	Reason                                     string // "best silhouette" or "report.inspect"
	Nearest, Random, Scatter, Silhouette, Conf string // file names in the report directory
	Dendrogram                                 string // ward cells only, else ""
}

// cellViews returns the cells to draw: the best cell by mean
// silhouette first, then report.inspect in order. A cell is drawn at fold
// 0 (or the fold of a manual mapping for that cell); an inspect entry
// that names a fold ("pca-3-7/fold2") is drawn at that fold.
func cellViews(s *experiments.Sweep, sum []experiments.Summary) []CellView {
	var out []CellView
	seen := map[experiments.Cell]bool{}
	add := func(c experiments.Cell, reason string) {
		if seen[c] {
			return
		}
		seen[c] = true
		out = append(out, newCellView(s, c, reason))
	}
	atManualFold := func(c experiments.Cell) experiments.Cell {
		if f, ok := s.ManualFold(c); ok {
			c.Fold = f
		}
		return c
	}
	for _, b := range sum {
		if b.Best {
			add(atManualFold(b.Cell), "best silhouette")
		}
	}
	for _, n := range s.Config.Report.Inspect {
		c, hasFold, err := s.FindCellFold(n)
		if err != nil {
			continue // Validate rejected it
		}
		if !hasFold {
			c = atManualFold(c)
		}
		add(c, "report.inspect")
	}
	return out
}

// Picture is one picture of a cell view: its file name in the report
// directory and its caption.
type Picture struct {
	File, Caption string
}

// Pictures lists the pictures of v that apply to s, in the order pages
// show them, with their captions: index.html's inspected cells and sweep
// serve's cell pages both read them from here. A picture that was not
// drawn (no images for montages, no labels for the confusion, a
// silhouette of fewer than two clusters) may still be listed; callers
// check that the file exists.
func (v CellView) Pictures(s *experiments.Sweep) []Picture {
	ps := []Picture{
		{v.Nearest, "The training images nearest each centre, one row per cluster (id, members, majority label, purity)."},
		{v.Random, "Random training members of each cluster, for comparison with the nearest ones."},
		{v.Scatter, scatterCaption(s)},
		{v.Silhouette, "Silhouette of each held-out row, sorted within its cluster; the dashed line is the mean."},
		{v.Dendrogram, "The top of Ward's hierarchy of the training rows: the last merges, each leaf labelled (rows below it) and the cluster it falls in; the dashed line cuts the tree into the cell's k clusters."},
	}
	if s.Classes > 0 {
		ps = append(ps, Picture{v.Conf, "Held-out rows by cluster and true label: counts and share of the cluster."})
	}
	return slices.DeleteFunc(ps, func(p Picture) bool { return p.File == "" })
}

// newCellView names the pictures of cell c (at its fold) drawn for reason.
func newCellView(s *experiments.Sweep, c experiments.Cell, reason string) CellView {
	base := "cell_" + strings.ReplaceAll(c.Name(), "/", "_") + fmt.Sprintf("_fold%d_", c.Fold)
	cv := CellView{
		Cell: c, Reason: reason,
		Nearest: base + "nearest.png", Random: base + "random.png", Scatter: base + "scatter.png",
		Silhouette: base + "silhouette.png", Conf: base + "confusion.png",
	}
	if s.CellConfig(c).AlgorithmName() == experiments.Ward {
		cv.Dendrogram = base + "dendrogram.png"
	}
	if s.Data.ImageData() == nil {
		cv.Nearest, cv.Random = "", "" // no images to show (a NumPy matrix without data.images)
	}
	return cv
}

// DrawCellView recomputes cell c of s at its fold and draws its pictures
// into dir, as the report draws its best and inspected cells (the same
// file names, the same pictures), with reason in the montages' titles. It
// is how sweep serve draws any cell on demand. A picture that does not
// apply (confusion without labels, montages without images, silhouette
// of fewer than two clusters) is not written; its name stays in the
// returned CellView, so the caller checks which files exist.
func DrawCellView(ctx context.Context, dir string, s *experiments.Sweep, c experiments.Cell, reason string) (CellView, error) {
	v := newCellView(s, c, reason)
	return v, writeCellView(ctx, dir, s, v)
}

// writeCellView recomputes an inspected cell (deterministically: the same
// stream gives the same clustering) and draws its pictures.
func writeCellView(ctx context.Context, dir string, s *experiments.Sweep, v CellView) error {
	i, ok := s.CellIndex(v.Cell)
	if !ok {
		return fmt.Errorf("cell %s is not in the grid", v.Cell.Key())
	}
	r, err := s.RunCell(ctx, i)
	if err != nil {
		return err
	}
	e, err := s.Embedding(ctx, v.Cell)
	if err != nil {
		return err
	}
	return drawCell(ctx, dir, s, v, r, e)
}

func drawCell(ctx context.Context, dir string, s *experiments.Sweep, v CellView, r *experiments.Result, e *experiments.Embedding) error {
	c := v.Cell
	dim := c.Components
	xtr := experiments.Leading(e.Train, e.Dim, dim)
	xte := experiments.Leading(e.Test, e.Dim, dim)
	k := c.Clusters
	members := make([][]int, k) // indices into r.TrainRows
	for i, l := range r.TrainLabels {
		members[l] = append(members[l], i)
	}
	dist := func(i, j int) float64 { // training row i to centre j
		var d float64
		for t := 0; t < dim; t++ {
			x := xtr[i*dim+t] - r.Centers[j*dim+t]
			d += x * x
		}
		return d
	}
	write := func(name string, f func(io.Writer) error) error {
		return atomicfile.Write(filepath.Join(dir, name), f)
	}
	if img := s.Data.ImageData(); img != nil && v.Nearest != "" {
		if err := drawMontages(dir, s, img, v, r, members, dist); err != nil {
			return err
		}
	}

	// Scatter of the training rows on the first two components.
	y := func(i int) float64 {
		if dim > 1 {
			return xtr[i*dim+1]
		}
		return 0
	}
	left := plot.Scatter{Title: "clusters (" + s.CellConfig(c).AlgorithmName() + ")", XLabel: "component 1", YLabel: "component 2"}
	right := plot.Scatter{Title: "true labels", XLabel: "component 1", YLabel: "component 2"}
	for j := 0; j < k; j++ {
		left.GroupNames = append(left.GroupNames, fmt.Sprintf("cluster %d", j))
		left.CX = append(left.CX, r.Centers[j*dim])
		cy := 0.0
		if dim > 1 {
			cy = r.Centers[j*dim+1]
		}
		left.CY = append(left.CY, cy)
	}
	for i := range r.TrainRows {
		left.X = append(left.X, xtr[i*dim])
		left.Y = append(left.Y, y(i))
		left.Group = append(left.Group, r.TrainLabels[i])
	}
	// Without labels, one panel: a right panel would repeat the left.
	drawScatter := func(w io.Writer) error { return plot.ScatterPNG(w, left, 0, 0) }
	if s.Classes > 0 {
		right.X, right.Y = left.X, left.Y
		for i := range r.TrainRows {
			right.Group = append(right.Group, s.Data.Labels[r.TrainRows[i]])
		}
		right.GroupNames = s.LabelNames[:s.Classes]
		drawScatter = func(w io.Writer) error { return plot.ScatterPairPNG(w, left, right, 0, 0) }
	}
	if err := write(v.Scatter, drawScatter); err != nil {
		return err
	}

	if v.Dendrogram != "" {
		d, err := dendrogram(ctx, c, xtr, r.TrainLabels)
		if err != nil {
			return err
		}
		if err := write(v.Dendrogram, func(w io.Writer) error { return plot.DendrogramPNG(w, d) }); err != nil {
			return err
		}
	}

	// Per-cluster silhouette of the held-out rows.
	vals, err := metrics.SilhouetteSamplesContext(ctx, xte, dim, r.TestLabels)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err == nil {
		sp := plot.SilhouettePlot{
			Title:  fmt.Sprintf("%s fold %d: silhouette of the held-out rows per cluster", c.Name(), c.Fold),
			Values: vals, Labels: r.TestLabels, Mean: r.Silhouette,
		}
		if err := write(v.Silhouette, func(w io.Writer) error { return plot.SilhouettePlotPNG(w, sp) }); err != nil {
			return err
		}
	}

	// Confusion matrix: clusters x true labels on the held-out rows.
	if s.Classes > 0 {
		h := plot.Heatmap{
			Title:  fmt.Sprintf("%s fold %d: held-out rows, cluster x true label (count, share of the cluster)", c.Name(), c.Fold),
			XLabel: "true label", YLabel: "cluster", Min: 0, Max: 1, Format: "%.2f",
			Label: "share of the cluster's held-out rows",
		}
		for l := 0; l < s.Classes; l++ {
			h.XTicks = append(h.XTicks, s.LabelName(l))
		}
		counts := make([][]int, k)
		for j := range counts {
			counts[j] = make([]int, s.Classes)
		}
		for i, row := range r.TestRows {
			counts[r.TestLabels[i]][s.Data.Labels[row]]++
		}
		for j := 0; j < k; j++ {
			tick := fmt.Sprintf("%d", j)
			if r.Majority != nil {
				tick = fmt.Sprintf("%d -> %s", j, s.LabelName(r.Majority[j]))
			}
			h.YTicks = append(h.YTicks, tick)
			n := 0
			for _, x := range counts[j] {
				n += x
			}
			vals := make([]float64, s.Classes)
			text := make([]string, s.Classes)
			for l, x := range counts[j] {
				vals[l] = math.NaN()
				if n > 0 {
					vals[l] = float64(x) / float64(n)
					text[l] = fmt.Sprintf("%d\n%.0f%%", x, 100*vals[l])
				}
			}
			h.Values = append(h.Values, vals)
			h.Text = append(h.Text, text)
		}
		h.Height = max(540, 60+40*k)
		if err := write(v.Conf, func(w io.Writer) error { return plot.HeatmapPNG(w, h) }); err != nil {
			return err
		}
	}
	return nil
}

// drawMontages draws the cell's montages from img, the images of the data
// in its row order: the training images nearest each centre, and random
// members of each cluster.
func drawMontages(dir string, s *experiments.Sweep, img *dataset.Dataset, v CellView, r *experiments.Result, members [][]int, dist func(i, j int) float64) error {
	c, k := v.Cell, v.Cell.Clusters
	rng := s.Rand(c, "montage")
	title := fmt.Sprintf("%s fold %d (%s)", c.Name(), c.Fold, v.Reason)
	near := plot.Montage{Title: title + ": the training images nearest each centre", Side: img.Side, Scale: max(1, 96/max(img.Side, 1))}
	random := plot.Montage{Title: title + ": random training members of each cluster", Side: near.Side, Scale: near.Scale}
	for j := 0; j < k; j++ {
		mem := slices.Clone(members[j])
		label := fmt.Sprintf("cluster %d  n=%d", j, len(mem))
		if r.Majority != nil {
			hit := 0
			for _, i := range mem {
				if s.Data.Labels[r.TrainRows[i]] == r.Majority[j] {
					hit++
				}
			}
			purity := math.NaN()
			if len(mem) > 0 {
				purity = float64(hit) / float64(len(mem))
			}
			label += fmt.Sprintf("  -> %s  purity %.2f", s.LabelName(r.Majority[j]), purity)
		}
		slices.SortFunc(mem, func(a, b int) int { return cmp.Or(cmp.Compare(dist(a, j), dist(b, j)), cmp.Compare(a, b)) })
		nr := plot.MontageRow{Label: label}
		for _, i := range mem[:min(montageImages, len(mem))] {
			nr.Images = append(nr.Images, img.Row(r.TrainRows[i]))
		}
		near.Rows = append(near.Rows, nr)
		rr := plot.MontageRow{Label: label}
		pick := slices.Clone(members[j])
		rng.Shuffle(len(pick), func(a, b int) { pick[a], pick[b] = pick[b], pick[a] })
		for _, i := range pick[:min(montageImages, len(pick))] {
			rr.Images = append(rr.Images, img.Row(r.TrainRows[i]))
		}
		random.Rows = append(random.Rows, rr)
	}
	if err := atomicfile.Write(filepath.Join(dir, v.Nearest), func(w io.Writer) error { return plot.MontagePNG(w, near) }); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, v.Random), func(w io.Writer) error { return plot.MontagePNG(w, random) })

}

// dendrogramLeaves is how many clusters the dendrogram of a ward cell
// shows at the bottom (scipy's truncate_mode='lastp', p=30), or twice
// the cell's k when that is more.
const dendrogramLeaves = 30

// dendrogram rebuilds the Ward hierarchy of a ward cell's training rows
// xtr (deterministic: the tree the cell was cut from) and describes its top
// merges, the cut into the cell's k clusters (halfway between the heights
// of the last merge kept and the first undone) and, under each leaf, the
// cluster of the cut it falls in (its rows' label in labels).
func dendrogram(ctx context.Context, c experiments.Cell, xtr []float64, labels []int) (plot.Dendrogram, error) {
	tree, err := ward.BuildContext(ctx, xtr, c.Components)
	if err != nil {
		return plot.Dendrogram{}, fmt.Errorf("cell %s: dendrogram: %w", c.Key(), err)
	}
	n, k := tree.N, c.Clusters
	d := plot.Dendrogram{
		Title: fmt.Sprintf("%s fold %d: the last merges of Ward's hierarchy of the %d training rows", c.Name(), c.Fold, n),
		N:     n, P: max(dendrogramLeaves, 2*k), Cut: math.NaN(), LeafNames: map[int]string{},
	}
	rep := make([]int, 2*n-1) // a row of each cluster id
	for i := range n {
		rep[i] = i
	}
	for i, m := range tree.Merges {
		d.Links = append(d.Links, plot.Link{A: m.A, B: m.B, Height: m.Height, Size: m.Size})
		rep[n+i] = rep[m.A]
	}
	if 1 < k && k <= n {
		lo, hi := 0.0, tree.Merges[n-k].Height
		if n-k-1 >= 0 {
			lo = tree.Merges[n-k-1].Height
		}
		d.Cut = (lo + hi) / 2
		d.CutLabel = fmt.Sprintf("cut into k=%d clusters", k)
	}
	for id := range rep {
		if len(labels) == n {
			d.LeafNames[id] = fmt.Sprintf("c%d", labels[rep[id]])
		}
	}
	return d, nil
}

// scatterCaption describes a cell's scatter picture: two panels with
// labels, one without.
func scatterCaption(s *experiments.Sweep) string {
	if s.Classes == 0 {
		return "The training rows on the first two components, coloured by cluster with centres marked (the data has no labels to colour by)."
	}
	return "The training rows on the first two components: coloured by cluster with centres marked (left), by true label (right)."
}

// foldsKind names the folds: stratified by label when the data has labels.
func foldsKind(s *experiments.Sweep) string {
	if s.Classes == 0 {
		return "folds"
	}
	return "stratified folds"
}
