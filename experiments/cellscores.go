package experiments

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"sweep/experiments/cluster/gmm"
	"sweep/experiments/cluster/ward"
	"sweep/experiments/kmeans"
	"sweep/metrics"
	"sweep/runner"
)

// groupClustering is the k-means stage of a group: the group's embedding
// (training and held-out rows at its component count) and each cell's
// k-means model with the held-out rows' labels, in the order of
// Group.Cells.
type groupClustering struct {
	fs       *foldScale
	dim      int
	xtr, xte []float64
	cells    []clustered
	// note says that the group's reduction stopped unconverged, or is "".
	note string
}

// clustered is one cell's clustering of the training rows, whatever the
// algorithm: the labels, the cluster means (the k-means centres, or the
// means of the training rows of each cluster for gmm and ward) and their
// inertia, and the held-out rows' labels.
type clustered struct {
	labels   []int
	centers  []float64
	inertia  float64
	iter     int
	nonEmpty int
	gmm      *gmm.Model // nil unless the algorithm is gmm
	test     []int      // held-out rows' labels (labels with one fold)
	seconds  float64
}

// clustering computes (once per sweep) the k-means models of g's cells:
// each cell's k-means on the training rows, seeded by its own stream, and
// the held-out rows labelled by their nearest centre. It is a shared stage
// because the stability of a cell needs the models of all its folds (see
// stability); a fold's group that asks for another fold's models computes
// them, or waits for the worker that does, and the result is the same.
func (s *Sweep) clustering(ctx context.Context, g Group) (*groupClustering, error) {
	key := "kmeans/" + g.Key()
	return runner.Stage(ctx, &s.stages, key, func() (*groupClustering, error) {
		v := s.variants[g.Axes]
		fs, err := s.scaling(ctx, v, g.Fold)
		if err != nil {
			return nil, err
		}
		e, err := s.reduction(ctx, v, g.Fold, g.Reducer)
		if err != nil {
			return nil, err
		}
		dim := g.Components
		gc := &groupClustering{fs: fs, dim: dim, xtr: leading(e.Train, e.Dim, dim)}
		if !e.Model.Converged {
			gc.note = reductionNote(v, g.Fold, g.Reducer, e.Model.Iter)
		}
		gc.xte = gc.xtr
		split := v.data.sel.Split()
		if split {
			gc.xte = leading(e.Test, e.Dim, dim)
		}
		init, err := kmeans.ParseInit(cmp.Or(v.cfg.KMeans.Init, "k-means++"))
		if err != nil {
			return nil, fmt.Errorf("kmeans.init: %w", err)
		}
		var tree *ward.Tree
		if v.cfg.AlgorithmName() == Ward {
			// One hierarchy serves every k of the group.
			if tree, err = ward.BuildContext(ctx, gc.xtr, dim); err != nil {
				return nil, fmt.Errorf("group %s: ward: %w", g.Key(), err)
			}
		}
		gc.cells = make([]clustered, len(g.Cells))
		for j, i := range g.Cells {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			start := time.Now()
			c := s.Cells[i]
			cl, err := clusterCell(ctx, v, gc, c, init, tree)
			if err != nil {
				return nil, fmt.Errorf("cell %s: %s: %w", c.Key(), v.cfg.AlgorithmName(), err)
			}
			cl.test = cl.labels
			if split {
				cl.test = make([]int, len(fs.test))
				if cl.gmm != nil {
					cl.gmm.Predict(gc.xte, cl.test)
				} else {
					kmeans.Predict(gc.xte, dim, cl.centers, cl.test)
				}
			}
			cl.seconds = time.Since(start).Seconds()
			gc.cells[j] = cl
		}
		return gc, nil
	})
}

// clusterCell clusters the training rows of gc for cell c with the
// variant's algorithm, drawing from the cell's stream (the same stream
// for every algorithm: common random numbers). A ward cell cuts tree.
func clusterCell(ctx context.Context, v *variant, gc *groupClustering, c Cell, init kmeans.Init, tree *ward.Tree) (clustered, error) {
	dim := gc.dim
	rng := streamRand(v.cfg.Seed, c.classicKey())
	var cl clustered
	switch v.cfg.AlgorithmName() {
	case GMM:
		m, err := gmm.FitContext(ctx, gc.xtr, dim, gmm.Options{K: c.Clusters, Covariance: gmm.Covariance(v.cfg.GMM.Covariance), NInit: v.cfg.GMM.NInit}, rng)
		if err != nil {
			return cl, err
		}
		cl.gmm, cl.iter = m, m.NIter
		cl.labels = make([]int, len(gc.xtr)/dim)
		m.Predict(gc.xtr, cl.labels)
	case Ward:
		labels, err := tree.Cut(c.Clusters)
		if err != nil {
			return cl, err
		}
		cl.labels = labels
	default:
		km, err := kmeans.FitContext(ctx, gc.xtr, dim, kmeans.Options{
			K:       c.Clusters,
			NInit:   v.cfg.KMeans.NInit,
			MaxIter: v.cfg.KMeans.MaxIter,
			Tol:     v.cfg.KMeans.Tol,
			Init:    init,
		}, rng)
		if err != nil {
			return cl, err
		}
		return clustered{labels: km.Labels, centers: km.Centers, inertia: km.Inertia, iter: km.Iter, nonEmpty: km.NonEmpty}, nil
	}
	cl.centers, cl.nonEmpty = clusterMeans(gc.xtr, dim, cl.labels, c.Clusters)
	cl.inertia = metrics.Inertia(gc.xtr, dim, cl.centers, cl.labels)
	return cl, nil
}

// clusterMeans returns the means of the rows of each cluster (an empty
// cluster's mean is the mean of all rows, so that no held-out row is
// assigned to it unless it is nearest) and the number of non-empty
// clusters.
func clusterMeans(x []float64, dim int, labels []int, k int) ([]float64, int) {
	sum := make([]float64, k*dim)
	cnt := make([]int, k)
	var all []float64 = make([]float64, dim)
	for i, l := range labels {
		cnt[l]++
		for j := range dim {
			sum[l*dim+j] += x[i*dim+j]
			all[j] += x[i*dim+j]
		}
	}
	nonEmpty := 0
	for c, m := range cnt {
		for j := range dim {
			if m == 0 {
				sum[c*dim+j] = all[j] / float64(len(labels))
			} else {
				sum[c*dim+j] /= float64(m)
			}
		}
		if m > 0 {
			nonEmpty++
		}
	}
	return sum, nonEmpty
}

// gmmScores fills the Gaussian mixture scores of r from m (NaN when m is
// nil: another algorithm), and notes a degenerate fit.
func gmmScores(r *Result, m *gmm.Model, xtr, xte []float64) {
	if m == nil {
		r.LogLikTrain, r.LogLikTest, r.BIC, r.AIC, r.Converged = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return
	}
	r.LogLikTrain, r.LogLikTest = m.LogLikelihood(xtr), m.LogLikelihood(xte)
	r.BIC, r.AIC = m.BIC(xtr), m.AIC(xtr)
	r.Converged = 0
	if m.Converged {
		r.Converged = 1
	}
	if m.Note != "" {
		addNote(r, "gmm: "+m.Note)
	}
}

// addNote appends a note to r's.
func addNote(r *Result, note string) {
	if r.Note != "" {
		r.Note += "; "
	}
	r.Note += note
}

// internalScores fills the scores of r that need no labels and no other
// cell: Calinski-Harabasz, Davies-Bouldin and the inertia of the held-out
// rows xte (dim columns), and the cluster shares of the training rows.
// CH and DB are NaN when the held-out rows fall in fewer than 2 or more
// than n-1 clusters (scikit-learn refuses them).
func internalScores(r *Result, xte []float64, dim int) {
	r.TestInertia = metrics.Inertia(xte, dim, r.Centers, r.TestLabels)
	r.SizeMin, r.SizeMax = metrics.SizeShares(r.TrainLabels, r.Clusters)
	var err error
	if r.CalinskiHarabasz, err = metrics.CalinskiHarabasz(xte, dim, r.TestLabels); err != nil {
		r.CalinskiHarabasz = math.NaN()
	}
	if r.DaviesBouldin, err = metrics.DaviesBouldin(xte, dim, r.TestLabels); err != nil {
		r.DaviesBouldin = math.NaN()
	}
}

// gapScores fills the gap statistic of the cells of g (Tibshirani,
// Walther and Hastie 2001). The gap.b reference sets are drawn once per
// group, from the stream "gap/fold<f>/<reducer>-<components>" under the
// variant's seed, uniformly in the bounding box of the training
// embedding's principal axes (metrics.GapReference), so every k of the
// group is compared with the same draws, as the statistic needs. Each
// cell clusters every reference set with its own k-means settings but a
// single restart (Tibshirani et al. use one start for the references
// too), drawing from its own stream "gap/" + classicKey; log W_k of the
// data is the log of the cell's own inertia. With one restart the
// reference W*_kb can lie a little above the best of n_init restarts,
// which biases gap(k) up by the same small amount at every k.
//
// gap and gap_s are NaN when gap.b is 0, and, with a note, when the
// cell's inertia is 0 (log W undefined).
func (s *Sweep) gapScores(ctx context.Context, v *variant, g Group, xtr []float64, dim int, out []*Result) error {
	for _, r := range out {
		r.Gap, r.GapS = math.NaN(), math.NaN()
	}
	b := v.cfg.Gap.B
	if b == 0 {
		return nil
	}
	stream := fmt.Sprintf("gap/fold%d/%s-%d", g.Fold, g.Reducer, g.Components)
	refs, err := metrics.GapReference(xtr, dim, b, streamRand(v.cfg.Seed, stream))
	if err != nil {
		return fmt.Errorf("group %s: %w", g.Key(), err)
	}
	// Each cell draws from its own stream, reference set after reference
	// set; the loop runs over the sets outside so that each set's points
	// are prepared once for all the cells (kmeans.Points).
	rngs := make([]*rand.Rand, len(out))
	logRef := make([][]float64, len(out))
	for c, r := range out {
		if r.Inertia > 0 {
			rngs[c] = streamRand(v.cfg.Seed, "gap/"+r.classicKey())
			logRef[c] = make([]float64, b)
		} else {
			addNote(r, "gap undefined: the training inertia is 0")
		}
	}
	seconds := make([]float64, len(out))
	for i, z := range refs {
		pts, err := kmeans.NewPoints(z, dim)
		if err != nil {
			return fmt.Errorf("group %s: gap reference set %d: %w", g.Key(), i, err)
		}
		for c, r := range out {
			if rngs[c] == nil {
				continue
			}
			start := time.Now()
			km, err := pts.Fit(ctx, kmeans.Options{
				K: r.Clusters, NInit: 1, MaxIter: v.cfg.KMeans.MaxIter, Tol: v.cfg.KMeans.Tol,
			}, rngs[c])
			if err != nil {
				return fmt.Errorf("cell %s: gap reference set %d: k-means: %w", r.Key(), i, err)
			}
			logRef[c][i] = math.Log(km.Inertia)
			seconds[c] += time.Since(start).Seconds()
		}
	}
	for c, r := range out {
		if rngs[c] == nil {
			continue
		}
		r.Gap, r.GapS = metrics.Gap(math.Log(r.Inertia), logRef[c])
		if math.IsNaN(r.Gap) || math.IsInf(r.Gap, 0) {
			r.Gap, r.GapS = math.NaN(), math.NaN()
			addNote(r, "gap undefined: a reference set's inertia is 0")
		}
		r.Seconds += seconds[c]
	}
	return nil
}

// stability fills the stability of the cells of g: for each cell, every
// fold's k-means model labels all the selected rows (its training rows
// with their k-means labels, which are their nearest centres, and its
// held-out rows with their nearest centres), and the stability is the
// mean and sd of the adjusted Rand index over all pairs of folds
// (metrics.Stability). The models come from the folds' clustering
// stages, so each fold's result holds the same values, computed from the
// same deterministic models: a resumed sweep stores them with every fold
// and reads them back unchanged, and a fold computed again (another
// shard, a lost record) finds them again. It is NaN with one fold.
func (s *Sweep) stability(ctx context.Context, g Group, out []*Result) error {
	sel := s.variants[g.Axes].data.sel
	for _, r := range out {
		r.Stability, r.StabilitySD = math.NaN(), math.NaN()
	}
	if sel.Folds < 2 {
		return nil
	}
	all := make([][][]int, len(out)) // cell, fold -> labels of sel.Rows
	for f := 0; f < sel.Folds; f++ {
		gf := g
		gf.Fold = f
		gf.Cells = s.foldCells(g, f)
		gc, err := s.clustering(ctx, gf)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			for _, r := range out {
				addNote(r, fmt.Sprintf("stability undefined: fold %d failed: %v", f, err))
			}
			return nil
		}
		for j := range out {
			all[j] = append(all[j], allRowLabels(sel, f, gc.cells[j]))
		}
	}
	for j, r := range out {
		r.Stability, r.StabilitySD = metrics.Stability(all[j])
	}
	return nil
}

// foldCells returns the indices of the cells of g's group in fold f, in
// the order of g.Cells.
func (s *Sweep) foldCells(g Group, f int) []int {
	out := make([]int, len(g.Cells))
	for j, i := range g.Cells {
		c := s.Cells[i]
		c.Fold = f
		k, ok := s.index[c]
		if !ok {
			panic(fmt.Sprintf("experiments: cell %s is not in the grid", c.Key()))
		}
		out[j] = k
	}
	return out
}

// allRowLabels returns the cluster of every selected row (in sel.Rows
// order) under fold f's model: Train(f) and Test(f) list the rows outside
// and inside fold f in sel.Rows order.
func allRowLabels(sel *Selection, f int, cl clustered) []int {
	out := make([]int, len(sel.Rows))
	tr, te := 0, 0
	for i, fold := range sel.Fold {
		if fold == f {
			out[i] = cl.test[te]
			te++
		} else {
			out[i] = cl.labels[tr]
			tr++
		}
	}
	return out
}
