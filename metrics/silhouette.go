package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// LabelCountError reports a labeling whose number of distinct labels is
// outside [2, n-1], where the silhouette is undefined. It mirrors
// scikit-learn's check_number_of_labels.
type LabelCountError struct {
	Labels int // number of distinct labels
	N      int // number of points
}

func (e *LabelCountError) Error() string {
	return fmt.Sprintf("number of labels is %d; valid values are 2 to n-1 (inclusive), n = %d", e.Labels, e.N)
}

// checkLabelCount returns a *LabelCountError unless 2 <= e.k() <= n-1.
func checkLabelCount(e encoded) error {
	n := len(e.codes)
	if k := e.k(); k < 2 || k > n-1 {
		return &LabelCountError{Labels: k, N: n}
	}
	return nil
}

// Silhouette returns the mean silhouette coefficient (Rousseeuw 1987) of the
// labeling of the n = len(labels) points in x, with Euclidean distance:
//
//	a(i) = Σ_{j≠i, l(j)=l(i)} ‖x_i − x_j‖ / (|C_l(i)| − 1)
//	b(i) = min_{c≠l(i)} Σ_{l(j)=c} ‖x_i − x_j‖ / |C_c|
//	s(i) = (b(i) − a(i)) / max(a(i), b(i))
//	Silhouette = (1/n) Σ_i s(i)
//
// As in scikit-learn 1.2.1 (sklearn.metrics.silhouette_score), a point alone
// in its cluster scores 0, and so does a point with a(i) = b(i) = 0. The
// points must be finite.
//
// It returns a *LabelCountError, wrapped, when the number of distinct labels is
// not in [2, n-1] (this includes n = 0). It panics if dim <= 0, if
// len(x) != len(labels)*dim or if a label is negative.
//
// Reference: P. J. Rousseeuw (1987), "Silhouettes: a graphical aid to the
// interpretation and validation of cluster analysis", J. Comput. Appl. Math.
// 20, 53-65.
func Silhouette(x []float64, dim int, labels []int) (float64, error) {
	return silhouette(context.Background(), x, dim, labels)
}

// silhouette is Silhouette that stops when ctx ends, as
// SilhouetteBatchContext does.
func silhouette(ctx context.Context, x []float64, dim int, labels []int) (float64, error) {
	s, err := silhouetteSamples(ctx, x, dim, labels)
	if err != nil {
		return 0, err
	}
	return mean(s), nil
}

// SilhouetteSamples returns the silhouette coefficient s(i) of every point, in
// the order of the points, as defined for Silhouette (and as
// sklearn.metrics.silhouette_samples). Errors and panics are as for
// Silhouette.
func SilhouetteSamples(x []float64, dim int, labels []int) ([]float64, error) {
	return silhouetteSamples(context.Background(), x, dim, labels)
}

// SilhouetteSamplesContext is SilhouetteSamples that stops soon after ctx
// ends and then returns ctx.Err(), as SilhouetteBatchContext does.
func SilhouetteSamplesContext(ctx context.Context, x []float64, dim int, labels []int) ([]float64, error) {
	return silhouetteSamples(ctx, x, dim, labels)
}

// silhouetteSamples implements SilhouetteSamplesContext.
func silhouetteSamples(ctx context.Context, x []float64, dim int, labels []int) ([]float64, error) {
	n := len(labels)
	checkPoints(x, dim, n)
	e := encode(labels)
	if err := checkLabelCount(e); err != nil {
		return nil, fmt.Errorf("silhouette: %w", err)
	}
	cs, err := newClusterSums(ctx, x, dim, []encoded{e})
	if err != nil {
		return nil, err
	}
	s := make([]float64, n)
	cs.samples(s, 0, e)
	return s, nil
}

// SilhouetteBatch returns the mean silhouette (see Silhouette) of each
// labeling of the same n points in x; every labeling must have n = len(x)/dim
// labels. The result equals calling Silhouette for each labeling, up to
// floating-point summation order (differences are below 1e-12 in practice).
//
// Each pairwise distance is computed once, for i < j only, and shared by all
// labelings. Points are first sorted by their tuple of labels across all
// labelings, so that runs of points with the same tuple ("groups") are
// contiguous. The pairs are then visited in cache-sized tiles (a chunk of rows
// from one group against a block of columns); inside a tile the distances from
// row i to a run of columns are summed in a branch-free loop and the sum is
// added once to each labeling's per-point per-cluster accumulator, while the
// distances are also accumulated per column and added once per tile to the
// columns' accumulators. Memory is O(n·Σk) for the accumulators, where Σk is
// the total number of clusters over all labelings; no n×n matrix is formed.
// The cost is n(n−1)/2 distances (one square root each) plus, per labeling,
// one addition per (point, later run) and per (group chunk, later point)
// rather than per pair, so labelings that largely agree, as k-means runs with
// different k on one embedding do, share most of the work. With G groups the
// extra work is about n·G·len(labelings) additions; at worst (random
// labelings, G ≈ n) it is that of the direct method.
//
// It returns an error wrapping a *LabelCountError if any labeling has a number
// of distinct labels outside [2, n-1]; no result is computed then. It panics if
// dim <= 0, if len(x) is not a multiple of dim, if a labeling's length is not
// n, or if a label is negative.
func SilhouetteBatch(x []float64, dim int, labelings [][]int) ([]float64, error) {
	return SilhouetteBatchContext(context.Background(), x, dim, labelings)
}

// SilhouetteBatchContext is SilhouetteBatch that stops soon after ctx ends
// and then returns ctx.Err(): ctx is checked every half million pairs or
// so, about a millisecond of work.
func SilhouetteBatchContext(ctx context.Context, x []float64, dim int, labelings [][]int) ([]float64, error) {
	if dim <= 0 {
		panic(fmt.Sprintf("metrics: dimension %d is not positive", dim))
	}
	if len(x)%dim != 0 {
		panic(fmt.Sprintf("metrics: len(x) = %d is not a multiple of dim = %d", len(x), dim))
	}
	n := len(x) / dim
	encs := make([]encoded, len(labelings))
	for l, labels := range labelings {
		if len(labels) != n {
			panic(fmt.Sprintf("metrics: labeling %d has %d labels, want %d", l, len(labels), n))
		}
		encs[l] = encode(labels)
		if err := checkLabelCount(encs[l]); err != nil {
			return nil, fmt.Errorf("silhouette batch: labeling %d: %w", l, err)
		}
	}
	means := make([]float64, len(labelings))
	if len(labelings) == 0 {
		return means, nil
	}
	cs, err := newClusterSums(ctx, x, dim, encs)
	if err != nil {
		return nil, err
	}
	s := make([]float64, n)
	for l, e := range encs {
		cs.samples(s, l, e)
		means[l] = mean(s)
	}
	return means, nil
}

// SilhouetteSampled returns the mean silhouette (see Silhouette) of a random
// subset of size points of x, drawn without replacement using rng, with the
// silhouette computed among the subset only. This is scikit-learn's
// sample_size option of silhouette_score, for very large n; the subset (and so
// the value) is reproducible for a given rng state, but differs from the one
// scikit-learn draws.
//
// It returns an error if size is not in [1, n], or wrapping a
// *LabelCountError if the subset's number of distinct labels is not in
// [2, size-1]. It panics as Silhouette does, and if rng is nil.
func SilhouetteSampled(x []float64, dim int, labels []int, size int, rng *rand.Rand) (float64, error) {
	return SilhouetteSampledContext(context.Background(), x, dim, labels, size, rng)
}

// SilhouetteSampledContext is SilhouetteSampled that stops soon after ctx
// ends, as SilhouetteBatchContext does, and then returns an error wrapping
// ctx.Err().
func SilhouetteSampledContext(ctx context.Context, x []float64, dim int, labels []int, size int, rng *rand.Rand) (float64, error) {
	n := len(labels)
	checkPoints(x, dim, n)
	if rng == nil {
		panic("metrics: nil rng")
	}
	if size < 1 || size > n {
		return 0, fmt.Errorf("silhouette sample: size %d out of range [1, %d]", size, n)
	}
	// Partial Fisher-Yates shuffle: idx[:size] is a uniform random subset.
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for i := range size {
		j := i + rng.IntN(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	idx = idx[:size]
	slices.Sort(idx) // keep the points in their original order
	sx := make([]float64, 0, size*dim)
	sl := make([]int, size)
	for t, i := range idx {
		sx = append(sx, x[i*dim:(i+1)*dim]...)
		sl[t] = labels[i]
	}
	s, err := silhouette(ctx, sx, dim, sl)
	if err != nil {
		return 0, fmt.Errorf("silhouette sample: %w", err)
	}
	return s, nil
}

// mean returns (1/n) Σ s_i, or NaN for empty s.
func mean(s []float64) float64 {
	var sum float64
	for _, v := range s {
		sum += v
	}
	return sum / float64(len(s))
}

// samples writes into dst the silhouette of every point for labeling l of
// cs, whose encoding is e. dst is indexed by original point index.
//
// The arithmetic follows sklearn.metrics.silhouette_samples 1.2.1: the
// intra-cluster sum is divided by |C|−1, each other cluster's sum by its size,
// b is the minimum of those means, s = (b−a)/max(a, b), and a singleton
// cluster or max(a, b) = 0 gives s = 0 (scikit-learn's nan_to_num of 0/0).
func (cs *clusterSums) samples(dst []float64, l int, e encoded) {
	n := cs.n
	off := cs.off[l]
	for q, p := range cs.perm {
		own := int(e.codes[p])
		if e.counts[own] == 1 {
			dst[p] = 0
			continue
		}
		a := cs.sums[(off+own)*n+q] / float64(e.counts[own]-1)
		b := math.Inf(1)
		for c, size := range e.counts {
			if c == own {
				continue
			}
			b = min(b, cs.sums[(off+c)*n+q]/float64(size))
		}
		m := max(a, b)
		if m == 0 {
			dst[p] = 0
			continue
		}
		dst[p] = (b - a) / m
	}
}
