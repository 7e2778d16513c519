package experiments

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"sweep/experiments/cluster/gmm"
	"sweep/experiments/dataset"
	"sweep/experiments/mapping"
	"sweep/experiments/reduce"
	"sweep/metrics"
	"sweep/runner"
)

// Sweep is a planned sweep: the resolved config, the data, the selected
// rows and folds of each data variant, and the cells. Its shared stages
// (the features of each features kind, per-fold scaling, per-(fold,
// reducer) reduction) are computed once, by whichever cell needs them
// first, and keyed by exactly the axis values they depend on (see
// IsDataAxis).
type Sweep struct {
	Config Config
	Data   *dataset.Dataset
	// Sel is the selection of the first variant of the grid; cells of
	// other data variants (a seed or data.* axis) have their own (see
	// Selection).
	Sel   *Selection
	Cells []Cell

	// Classes is 1 + the largest label among the selected rows; 0 for
	// unlabelled data. LabelNames names labels 0..Classes-1.
	Classes    int
	LabelNames []string
	// manual holds the config's manual mappings by cell (with its fold).
	manual map[Cell][]int

	index    CellIndex
	variants map[Axes]*variant // by all axis values
	stages   runner.Stages
	mu       sync.Mutex
	timing   []StageTiming
}

// variant is one combination of the extra axes' values: its config, and
// the data variant (selection) it shares with the variants that differ
// only in non-data axes.
type variant struct {
	cfg  Config
	data *dataVariant
}

// dataVariant is the selection of one combination of data axes; suffix
// ("" or "/seed=2/data.scale=unit") ends the keys of its shared stages.
type dataVariant struct {
	sel    *Selection
	suffix string
	feat   *featureSet // nil: the stages read the pixels
}

// StageTiming is the wall time of one shared stage.
type StageTiming struct {
	Stage   string
	Seconds float64
}

// NewSweep selects the rows of every data variant and checks the grid
// against the data: every component count must fit the pixels and the
// training rows, every cluster count the training rows of every fold.
func NewSweep(cfg Config, d *dataset.Dataset) (*Sweep, error) {
	s := &Sweep{Config: cfg, Data: d, Cells: cfg.Cells(), variants: map[Axes]*variant{}}
	s.index = NewCellIndex(s.Cells)
	byData := map[Axes]*dataVariant{}
	feats := map[string]*featureSet{}
	for _, a := range cfg.Grid.Variants() {
		vc, err := cfg.Variant(a)
		if err != nil {
			return nil, err
		}
		da := dataAxes(a)
		dv, ok := byData[da]
		if !ok {
			sel, err := Select(d, &vc)
			if err != nil {
				return nil, withAxes(da, err)
			}
			fs, err := newFeatureSet(&vc, da, d)
			if err != nil {
				return nil, withAxes(da, err)
			}
			if fs != nil {
				if f, ok := feats[fs.key]; ok {
					fs = f
				} else {
					feats[fs.key] = fs
				}
				fs.addRows(sel.Rows)
			}
			if err := checkGrid(&vc, d, fs, sel); err != nil {
				return nil, withAxes(da, err)
			}
			dv = &dataVariant{sel: sel, feat: fs}
			if da.Len() > 0 {
				dv.suffix = "/" + da.String()
			}
			byData[da] = dv
			if s.Sel == nil {
				s.Sel = sel
			}
			if d.HasLabels {
				for _, r := range sel.Rows {
					s.Classes = max(s.Classes, d.Labels[r]+1)
				}
			}
		}
		s.variants[a] = &variant{cfg: vc, data: dv}
	}
	for _, fs := range feats {
		fs.index(d.N())
	}
	names := cfg.Data.LabelNames
	if len(names) == 0 {
		names = d.LabelNames // an image folder's class folders
	}
	s.LabelNames = DefaultLabelNames(names, s.Classes)
	if len(s.LabelNames) < s.Classes {
		return nil, fieldErrorf("data.label_names", "%d names for %d classes", len(s.LabelNames), s.Classes)
	}
	if err := s.manualMappings(); err != nil {
		return nil, err
	}
	return s, nil
}

// withAxes names the variant an error belongs to.
func withAxes(a Axes, err error) error {
	if a.Len() == 0 {
		return err
	}
	return fmt.Errorf("%s: %w", a, err)
}

// checkGrid checks the component and cluster counts against the data (or
// its features fs, when not nil) and the training rows of every fold.
func checkGrid(cfg *Config, d *dataset.Dataset, fs *featureSet, sel *Selection) error {
	minTrain := math.MaxInt
	for f := 0; f < sel.Folds; f++ {
		minTrain = min(minTrain, len(sel.Train(f)))
	}
	for _, m := range cfg.Grid.Components {
		if fs != nil {
			if m > fs.dim {
				return fieldErrorf("grid.components", "%d is more than the %d %s features of an image", m, fs.dim, fs.name)
			}
		} else if m > d.Dim {
			return fieldErrorf("grid.components", "%d is more than the %d pixels of an image", m, d.Dim)
		}
		if m > minTrain {
			return fieldErrorf("grid.components", "%d is more than the %d training rows of a fold", m, minTrain)
		}
	}
	for _, k := range cfg.Grid.Clusters {
		if k > minTrain {
			return fieldErrorf("grid.clusters", "%d is more than the %d training rows of a fold", k, minTrain)
		}
	}
	return nil
}

// manualMappings reads the config's manual mappings.
func (s *Sweep) manualMappings() error {
	s.manual = map[Cell][]int{}
	for i, m := range s.Config.Mapping {
		if !s.Data.HasLabels {
			return fieldErrorf(fmt.Sprintf("mapping[%d]", i), "%s has no labels to map clusters to", s.Data.Name)
		}
		c, err := s.index.FindCell(m.Cell)
		if err != nil {
			return fieldErrorf(fmt.Sprintf("mapping[%d].cell", i), "%w", err)
		}
		c.Fold = m.Fold
		pairs := map[int]int{}
		for k, name := range m.Clusters {
			l, err := mapping.ParseLabel(name, s.LabelNames[:s.Classes])
			if err != nil {
				return fieldErrorf(fmt.Sprintf("mapping[%d].clusters[%d]", i, k), "%w", err)
			}
			pairs[k] = l
		}
		mm, err := mapping.Manual(pairs, c.Clusters, s.Classes)
		if err != nil {
			return fieldErrorf(fmt.Sprintf("mapping[%d].clusters", i), "%w", err)
		}
		if _, dup := s.manual[c]; dup {
			return fieldErrorf(fmt.Sprintf("mapping[%d]", i), "a second mapping for %s", c.Key())
		}
		s.manual[c] = mm
	}
	return nil
}

// variant returns the variant of cell c.
func (s *Sweep) variant(c Cell) *variant {
	v, ok := s.variants[c.Axes]
	if !ok {
		panic(fmt.Sprintf("experiments: cell %s is not in the grid", c.Key()))
	}
	return v
}

// Selection returns the rows and folds of cell c's data variant.
func (s *Sweep) Selection(c Cell) *Selection { return s.variant(c).data.sel }

// CellConfig returns the config of cell c's variant: the sweep's config
// with c's axis values in place.
func (s *Sweep) CellConfig(c Cell) *Config { return &s.variant(c).cfg }

// CellIndex returns the index of c in s.Cells, and whether it is there.
func (s *Sweep) CellIndex(c Cell) (int, bool) {
	i, ok := s.index[c]
	return i, ok
}

// DefaultLabelNames returns the configured names, else FER2013's emotions when
// the labels fit them, else the numbers.
func DefaultLabelNames(names []string, classes int) []string {
	if len(names) > 0 {
		return names
	}
	if fer := dataset.FER2013Emotions(); classes <= len(fer) {
		return fer
	}
	out := make([]string, classes)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

// Timings returns the shared stages' wall times in completion order.
func (s *Sweep) Timings() []StageTiming {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]StageTiming(nil), s.timing...)
}

func (s *Sweep) record(stage string, start time.Time) {
	s.mu.Lock()
	s.timing = append(s.timing, StageTiming{stage, time.Since(start).Seconds()})
	s.mu.Unlock()
}

// streamRand returns the random stream named key under the config seed:
// PCG seeded with (seed, FNV-1a of key). Results never depend on which
// worker runs what.
func streamRand(seed uint64, key string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(key))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// foldScale is the scaling fitted on a fold's training rows.
type foldScale struct {
	train, test []int // data rows
	// x is the matrix the scaling and the reductions read, dim columns:
	// the pixels, the variant's per-image scaled copy of them
	// (data.scale: image), or the variant's features; xtrain and xtest
	// are the rows of x for train and test.
	x             []float32
	dim           int
	xtrain, xtest []int
	stats         reduce.Stats
	offset        []float64 // subtracted before scaling: min (minmax) or 0
	scale         []float64
}

// scaling fits fold f's scaling of variant v's rows. Variants that share
// their data axes share it.
func (s *Sweep) scaling(ctx context.Context, v *variant, f int) (*foldScale, error) {
	key := fmt.Sprintf("scale/fold%d%s", f, v.data.suffix)
	return runner.Stage(ctx, &s.stages, key, func() (*foldScale, error) {
		sel := v.data.sel
		fs := &foldScale{train: sel.Train(f), test: sel.Test(f)}
		fs.x, fs.dim, fs.xtrain, fs.xtest = s.Data.Pixels, s.Data.Dim, fs.train, fs.test
		switch fe := v.data.feat; {
		case fe != nil && v.cfg.Data.Scale == "image":
			return nil, fieldErrorf("data.scale", "image min-max scales images; it does not apply to %s features", fe.name)
		case fe != nil:
			// Before the clock starts: the features stage records its own time.
			m, err := s.features(ctx, fe)
			if err != nil {
				return nil, err
			}
			fs.x, fs.dim, fs.xtrain, fs.xtest = m.x, fe.dim, fe.matrixRows(fs.train), fe.matrixRows(fs.test)
		case v.cfg.Data.Scale == "image":
			im, err := s.imageScaled(ctx, v)
			if err != nil {
				return nil, err
			}
			fs.x, fs.xtrain, fs.xtest = im.pixels, im.positions(fs.train), im.positions(fs.test)
		}
		start := time.Now()
		defer s.record(key, start)
		p := fs.dim
		fs.stats = reduce.ColumnStats(fs.x, p, fs.xtrain)
		fs.offset = make([]float64, p)
		fs.scale = make([]float64, p)
		for j := 0; j < p; j++ {
			switch v.cfg.Data.Scale {
			case "minmax":
				// scikit-learn MinMaxScaler: x' = (x - min) / (max - min), and a
				// constant feature keeps scale 1 (so it maps to 0 on the
				// training rows), as in sklearn's _handle_zeros_in_scale.
				fs.offset[j] = fs.stats.Min[j]
				fs.scale[j] = 1
				if r := fs.stats.Max[j] - fs.stats.Min[j]; r > 0 {
					fs.scale[j] = 1 / r
				}
			case "unit":
				fs.scale[j] = 1.0 / 255 // grey levels are 0..255
			default: // none, or image: scaled already
				fs.scale[j] = 1
			}
		}
		return fs, nil
	})
}

// Embedding is one (fold, reducer) of a data variant fitted at the grid's
// largest component count, with the training and held-out rows
// transformed (row-major, Dim columns; Test is Train with one fold). A
// row x of the data maps to y_i = sum_j (x_j - Shift_j) * Scale_j *
// Model.Components[i][j].
type Embedding struct {
	Dim          int
	Train, Test  []float64
	Model        *reduce.Model
	Shift, Scale []float64 // the fold's training rows' min or mean, and its scaling
	Rows         int       // training rows
}

// Embedding returns the embedding cell c's group clusters: the reduction
// of its fold and reducer in its data variant, computed once per sweep.
func (s *Sweep) Embedding(ctx context.Context, c Cell) (*Embedding, error) {
	return s.reduction(ctx, s.variant(c), c.Fold, c.Reducer)
}

// CellGMM returns the Gaussian mixture that cell c fitted to its
// training rows, or nil when c's algorithm is not gmm.
func (s *Sweep) CellGMM(ctx context.Context, c Cell) (*gmm.Model, error) {
	i, ok := s.index[c]
	if !ok {
		return nil, fmt.Errorf("cell %s is not in the grid", c.Key())
	}
	g := s.Groups([]int{i})[0]
	gc, err := s.clustering(ctx, g)
	if err != nil {
		return nil, err
	}
	return gc.cells[slices.Index(g.Cells, i)].gmm, nil
}

// Leading copies the first c of the dim columns of the row-major x.
func Leading(x []float64, dim, c int) []float64 { return leading(x, dim, c) }

// Rand returns cell c's random stream for purpose ("montage"): PCG seeded
// with the cell's seed and the purpose and classic cell key, so pictures
// drawn from it never depend on -workers.
func (s *Sweep) Rand(c Cell, purpose string) *rand.Rand {
	return streamRand(s.CellConfig(c).Seed, purpose+"/"+c.classicKey())
}

// FindCell returns the cell of the grid named name (without fold), at
// fold 0.
func (s *Sweep) FindCell(name string) (Cell, error) { return s.index.FindCell(name) }

// FindCellFold returns the cell of the grid named by name or key
// ("pca-2-7" or "pca-2-7/fold2"), at the fold the key names (fold 0 for a
// name), and whether it named one.
func (s *Sweep) FindCellFold(name string) (Cell, bool, error) { return s.index.FindCellFold(name) }

// ManualFold returns the fold of the config's manual mapping of cell c (at
// any fold), and whether it has one.
func (s *Sweep) ManualFold(c Cell) (int, bool) {
	for m := range s.manual {
		f := m.Fold
		m.Fold = c.Fold
		if m == c {
			return f, true
		}
	}
	return 0, false
}

// LabelName names label l: its name, "unmapped" for -1, else its number.
func (s *Sweep) LabelName(l int) string {
	if l < 0 {
		return "unmapped"
	}
	if l < len(s.LabelNames) {
		return s.LabelNames[l]
	}
	return strconv.Itoa(l)
}

// reduction fits (fold f, reducer) on variant v's scaled training rows.
// Its random stream is named by the fold and reducer alone, under the
// variant's seed.
func (s *Sweep) reduction(ctx context.Context, v *variant, f int, reducer string) (*Embedding, error) {
	stream := fmt.Sprintf("reduce/fold%d/%s", f, reducer)
	key := stream + v.data.suffix
	return runner.Stage(ctx, &s.stages, key, func() (*Embedding, error) {
		fs, err := s.scaling(ctx, v, f)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		defer s.record(key, start)
		src := reduce.Source{Pixels: fs.x, Dim: fs.dim, Rows: fs.xtrain, Scale: fs.scale}
		switch reducer {
		case "pca":
			// Centre the scaled training rows: (x-off)*s - mean((x-off)*s) = (x-mean)*s.
			src.Shift = fs.stats.Mean
		case "svd":
			src.Shift = fs.offset
		default:
			return nil, fieldErrorf("grid.reducer", "unknown value %q", reducer)
		}
		k := v.cfg.MaxComponents()
		m, err := reduce.FitContext(ctx, src, k, reduce.Options{}, streamRand(v.cfg.Seed, stream))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		e := &Embedding{Dim: k, Model: m, Shift: src.Shift, Scale: src.Scale, Rows: len(fs.train)}
		if e.Train, err = m.TransformContext(ctx, src, k, nil); err != nil {
			return nil, err
		}
		if !v.data.sel.Split() {
			e.Test = e.Train
		} else {
			src.Rows = fs.xtest
			if e.Test, err = m.TransformContext(ctx, src, k, nil); err != nil {
				return nil, err
			}
		}
		return e, nil
	})
}

// leading copies the first c of dim columns of x.
func leading(x []float64, dim, c int) []float64 {
	n := len(x) / dim
	out := make([]float64, n*c)
	for i := 0; i < n; i++ {
		copy(out[i*c:(i+1)*c], x[i*dim:i*dim+c])
	}
	return out
}

// Group is a set of cells that share one embedding and variant: the same
// axis values, fold, reducer and component count, differing in the
// cluster count. Their held-out silhouettes are computed together, each
// pairwise distance once for all of them.
type Group struct {
	Axes       Axes
	Fold       int
	Reducer    string
	Components int
	Cells      []int // indices into Sweep.Cells, clusters ascending
}

// groupOf returns the (cell-less) group of c.
func groupOf(c Cell) Group {
	return Group{Axes: c.Axes, Fold: c.Fold, Reducer: c.Reducer, Components: c.Components}
}

// Key names the group, e.g. "pca-2/fold0" or "pca-2/seed=2/fold0".
func (g Group) Key() string {
	k := fmt.Sprintf("%s-%d", g.Reducer, g.Components)
	if g.Axes.Len() > 0 {
		k += "/" + g.Axes.String()
	}
	return fmt.Sprintf("%s/fold%d", k, g.Fold)
}

// Groups collects the given cells into groups, in the order to schedule
// them: component count, reducer, then fold, so that the first groups to
// start need different reductions of different folds, and the workers
// compute those and the folds' scalings in parallel instead of one
// waiting for a scaling the other computes.
//
// A group always holds all its cells, whichever of them were asked for:
// the batched silhouette sums distances in an order that depends on every
// labeling of the batch, so a cell's silhouette is reproducible to the bit
// only within its whole group.
func (s *Sweep) Groups(cells []int) []Group {
	want := map[string]bool{}
	for _, i := range cells {
		want[groupOf(s.Cells[i]).Key()] = true
	}
	byKey := map[string]*Group{}
	var out []*Group
	for i, c := range s.Cells {
		g := groupOf(c)
		if !want[g.Key()] {
			continue
		}
		if p, ok := byKey[g.Key()]; ok {
			p.Cells = append(p.Cells, i)
			continue
		}
		g.Cells = []int{i}
		byKey[g.Key()] = &g
		out = append(out, &g)
	}
	rank := map[string]int{}
	for i, r := range s.Config.Grid.Reducer {
		rank[r] = i
	}
	// Stable: variants keep their grid order within each rank.
	slices.SortStableFunc(out, func(a, b *Group) int {
		return cmp.Or(cmp.Compare(a.Components, b.Components), cmp.Compare(rank[a.Reducer], rank[b.Reducer]), cmp.Compare(a.Fold, b.Fold))
	})
	groups := make([]Group, len(out))
	for i, g := range out {
		slices.SortFunc(g.Cells, func(a, b int) int { return cmp.Compare(s.Cells[a].Clusters, s.Cells[b].Clusters) })
		groups[i] = *g
	}
	return groups
}

// RunCell computes cell i by computing its group; the result is the one
// a whole sweep records.
func (s *Sweep) RunCell(ctx context.Context, i int) (*Result, error) {
	g := s.Groups([]int{i})[0]
	rs, err := s.RunGroup(ctx, g)
	if err != nil {
		return nil, err
	}
	return rs[slices.Index(g.Cells, i)], nil
}

// RunGroup computes the cells of g: for each, k-means on the training
// rows' embedding and the held-out rows labelled by their nearest centre
// (the group's clustering stage, which other folds' groups reuse for
// stability); the label scores, the internal scores and the gap
// statistic; the stability across folds; then the silhouettes of the
// held-out rows for all of them at once. Every cell draws from its own
// random streams, so the results do not depend on how cells are grouped.
func (s *Sweep) RunGroup(ctx context.Context, g Group) ([]*Result, error) {
	v := s.variants[g.Axes]
	gc, err := s.clustering(ctx, g)
	if err != nil {
		return nil, err
	}
	dim, xtr, xte := gc.dim, gc.xtr, gc.xte
	out := make([]*Result, len(g.Cells))
	for j, i := range g.Cells {
		start := time.Now()
		c := s.Cells[i]
		cl := gc.cells[j]
		r := &Result{Cell: c, TrainRows: gc.fs.train, TestRows: gc.fs.test}
		r.Inertia, r.Iterations, r.NonEmpty = cl.inertia, cl.iter, cl.nonEmpty
		r.Centers = cl.centers
		r.TrainLabels, r.TestLabels = cl.labels, cl.test
		gmmScores(r, cl.gmm, xtr, xte)
		r.KMeansSeconds = cl.seconds
		if gc.note != "" {
			addNote(r, gc.note)
		}
		s.external(r)
		internalScores(r, xte, dim)
		r.Seconds = cl.seconds + time.Since(start).Seconds()
		out[j] = r
	}
	if err := s.gapScores(ctx, v, g, xtr, dim, out); err != nil {
		return nil, err
	}
	if err := s.stability(ctx, g, out); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.silhouettes(ctx, v, g, out, silhouetteRows(v.cfg.Silhouette.Rows, v.data.sel.Split(), xtr, xte, dim)); err != nil {
		return nil, err
	}
	return out, nil
}

// silRows are the rows whose silhouette scores a cell (silhouette.rows):
// their embedding, what to call them in notes, and each result's labels
// of them.
type silRows struct {
	x      []float64
	what   string
	labels func(r *Result) []int
}

// silhouetteRows returns the rows silhouette.rows names: the held-out
// rows (test), the training rows (train) or both, training rows first
// (all). Without a split all three are the same rows.
func silhouetteRows(which string, split bool, xtr, xte []float64, dim int) silRows {
	switch {
	case which == "train" && split:
		return silRows{xtr, "training", func(r *Result) []int { return r.TrainLabels }}
	case which == "all" && split:
		x := append(slices.Clip(xtr), xte...)
		return silRows{x, "", func(r *Result) []int { return append(slices.Clip(r.TrainLabels), r.TestLabels...) }}
	}
	return silRows{xte, "held-out", func(r *Result) []int { return r.TestLabels }}
}

// silhouettes scores the cells of g on the rows rs: the labelings
// scikit-learn accepts (2..n-1 distinct labels) in one batch, or each on
// its own seeded sample (silhouette.sample); the others are undefined.
func (s *Sweep) silhouettes(ctx context.Context, v *variant, g Group, out []*Result, rs silRows) error {
	dim := g.Components
	what := strings.TrimSpace(rs.what + " rows")
	start := time.Now()
	var labelings [][]int
	var scored []*Result
	for _, r := range out {
		labels := rs.labels(r)
		if n := distinct(labels); n < 2 || n > len(labels)-1 {
			r.Silhouette = math.NaN()
			addNote(r, fmt.Sprintf("silhouette undefined: %d distinct clusters among %d %s", n, len(labels), what))
			continue
		}
		labelings = append(labelings, labels)
		scored = append(scored, r)
	}
	xte := rs.x
	if n := v.cfg.Silhouette.Sample; n > 0 && n < len(xte)/dim {
		// silhouette.sample: each cell scores its own seeded sample of the
		// rows, as scikit-learn's sample_size.
		for i, r := range scored {
			sil, err := metrics.SilhouetteSampledContext(ctx, xte, dim, labelings[i], n, streamRand(v.cfg.Seed, "silhouette/"+r.classicKey()))
			var lc *metrics.LabelCountError
			switch {
			case errors.As(err, &lc):
				r.Silhouette = math.NaN()
				addNote(r, fmt.Sprintf("silhouette undefined: %d distinct clusters among %d sampled %s", lc.Labels, n, what))
			case err != nil:
				return fmt.Errorf("cell %s: %w", r.Key(), err)
			default:
				r.Silhouette = sil
			}
		}
	} else if len(labelings) > 0 {
		sil, err := metrics.SilhouetteBatchContext(ctx, xte, dim, labelings)
		if err != nil {
			return fmt.Errorf("group %s: %w", g.Key(), err)
		}
		for j, r := range scored {
			r.Silhouette = sil[j]
		}
	}
	// The batch's time is shared by its cells.
	per := time.Since(start).Seconds() / float64(len(out))
	for _, r := range out {
		r.SilhouetteSeconds = per
		r.Seconds += per
	}
	return nil
}

// distinct counts the distinct values of labels (cluster ids >= 0).
func distinct(labels []int) int {
	seen := map[int]bool{}
	for _, l := range labels {
		seen[l] = true
	}
	return len(seen)
}

// external fills the label-based scores of r.
func (s *Sweep) external(r *Result) {
	for _, sc := range scores {
		if sc.Labels {
			sc.set(r, math.NaN())
		}
	}
	if s.Classes == 0 {
		return
	}
	truth := func(rows []int) []int {
		out := make([]int, len(rows))
		for i, row := range rows {
			out[i] = s.Data.Labels[row]
		}
		return out
	}
	trainTruth, testTruth := truth(r.TrainRows), truth(r.TestRows)
	r.ARI = metrics.AdjustedRandIndex(testTruth, r.TestLabels)
	r.NMI = metrics.NormalizedMutualInfo(testTruth, r.TestLabels)
	r.AMI = metrics.AdjustedMutualInfo(testTruth, r.TestLabels)
	r.Purity = metrics.Purity(testTruth, r.TestLabels)
	r.Majority = mapping.Majority(r.TrainLabels, trainTruth, r.Clusters, s.Classes)
	r.AccMajority = accuracy(mapping.Apply(r.Majority, r.TestLabels), testTruth)
	if r.Clusters >= s.Classes {
		m, err := mapping.OneToOne(r.TrainLabels, trainTruth, r.Clusters, s.Classes)
		if err == nil {
			r.OneToOne = m
			r.AccOneToOne = accuracy(mapping.Apply(m, r.TestLabels), testTruth)
		}
	}
	if m, ok := s.manual[r.Cell]; ok {
		r.AccManual = accuracy(mapping.Apply(m, r.TestLabels), testTruth)
	}
}

// accuracy is the share of rows whose mapped label equals the truth; an
// unmapped row (-1) counts as wrong.
func accuracy(mapped, truth []int) float64 {
	if len(truth) == 0 {
		return math.NaN()
	}
	hit := 0
	for i, t := range truth {
		if mapped[i] == t {
			hit++
		}
	}
	return float64(hit) / float64(len(truth))
}

// Run computes every cell on workers goroutines (0 = all cores) and
// returns the results in cell order. On error or cancellation it returns
// the results finished so far (nil entries for the rest) and the error.
// onDone, when not nil, is called for each finished cell, one call at a
// time.
func (s *Sweep) Run(ctx context.Context, workers int, onDone func(*Result)) ([]*Result, error) {
	all := make([]int, len(s.Cells))
	for i := range all {
		all[i] = i
	}
	return s.RunCells(ctx, all, workers, false, onDone)
}

// failed returns the result recorded for a cell whose group failed.
func failed(c Cell, err error) *Result {
	r := &Result{Cell: c, Failed: err.Error()}
	nanScores(r)
	return r
}

// RunCells is Run for the groups holding the given cells (a shard, or
// the cells a resumed sweep still lacks); the result slice is indexed
// like s.Cells and holds every cell of those groups.
//
// With keepGoing, a group that fails records each of its cells as failed
// (Result.Failed) and the others go on; without it the first failure
// cancels the rest.
func (s *Sweep) RunCells(ctx context.Context, cells []int, workers int, keepGoing bool, onDone func(*Result)) ([]*Result, error) {
	results := make([]*Result, len(s.Cells))
	groups := s.Groups(cells)
	units := stabilityUnits(groups)
	if runner.Workers(workers) > len(units) {
		// More workers than units: one group each keeps every worker busy,
		// at the price of some waiting for shared folds.
		units = make([][]Group, len(groups))
		for i, g := range groups {
			units[i] = []Group{g}
		}
	}
	var mu sync.Mutex
	runGroup := func(ctx context.Context, g Group) error {
		rs, err := s.RunGroup(ctx, g)
		if err != nil {
			if !keepGoing || ctx.Err() != nil {
				return err
			}
			rs = make([]*Result, len(g.Cells))
			for j, i := range g.Cells {
				rs[j] = failed(s.Cells[i], err)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for j, i := range g.Cells {
			results[i] = rs[j]
			if onDone != nil {
				onDone(rs[j])
			}
		}
		return nil
	}
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	_, err := runner.Run(ctx, order, workers, func(ctx context.Context, ui int) error {
		for _, g := range units[ui] {
			if err := runGroup(ctx, g); err != nil {
				return err
			}
		}
		return nil
	})
	return results, err
}

// stabilityUnits collects groups that differ only in the fold into one
// unit, run by one worker in fold order: each fold's stability needs the
// k-means models of all the unit's folds (shared stages), and run apart
// the workers would wait for each other's folds (configs/fer2013.yaml on
// 2 cores: 5.77 s against 6.23 s, medians, same results). Each group is
// still stored as it finishes. Units keep the groups' scheduling order.
func stabilityUnits(groups []Group) [][]Group {
	type unitKey struct {
		axes       Axes
		reducer    string
		components int
	}
	at := map[unitKey]int{}
	var units [][]Group
	for _, g := range groups {
		k := unitKey{g.Axes, g.Reducer, g.Components}
		i, ok := at[k]
		if !ok {
			i = len(units)
			at[k] = i
			units = append(units, nil)
		}
		units[i] = append(units[i], g)
	}
	return units
}

// Finished counts the non-nil results.
func Finished(results []*Result) int {
	n := 0
	for _, r := range results {
		if r != nil {
			n++
		}
	}
	return n
}

// ferSource says where FER2013 comes from.
const ferSource = "FER2013 is fer2013.csv from the Kaggle challenge \"Challenges in Representation Learning: " +
	"Facial Expression Recognition Challenge\", https://www.kaggle.com/c/challenges-in-representation-learning-facial-expression-recognition-challenge/data"

// ErrNoData is returned when no data file is configured.
var ErrNoData = errors.New("no data file: set data.path in the config, pass -data, or set FER2013_CSV (" + ferSource + ")")

// missingData is a data file that does not exist, with where FER2013
// comes from.
type missingData struct{ err error }

func (e missingData) Error() string { return e.err.Error() + " (" + ferSource + ")" }
func (e missingData) Unwrap() error { return e.err }

// MissingData is err, the failure to open a data file that does not
// exist, as one error that adds where FER2013 comes from; it adds that
// once, however often it is called.
func MissingData(err error) error {
	var m missingData
	if errors.As(err, &m) {
		return err
	}
	return missingData{err}
}

// Baselines are the accuracies a labelling of the selected rows gets
// without looking at the images: always the most frequent class, and a
// uniform guess.
func (s *Sweep) Baselines(sel *Selection) (largest, uniform float64) {
	if s.Classes == 0 || len(sel.Rows) == 0 {
		return math.NaN(), math.NaN()
	}
	count := make([]int, s.Classes)
	for _, r := range sel.Rows {
		count[s.Data.Labels[r]]++
	}
	return float64(slices.Max(count)) / float64(len(sel.Rows)), 1 / float64(s.Classes)
}
