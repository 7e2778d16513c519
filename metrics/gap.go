package metrics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// ClusterFunc clusters the n = len(x)/dim points of x into k clusters and
// returns W_k, the within-cluster sum of squared distances to the cluster
// means (k-means' inertia). Any randomness comes from rng.
type ClusterFunc func(x []float64, dim, k int, rng *rand.Rand) (float64, error)

// GapReference returns b reference data sets for the gap statistic, each of
// n = len(x)/dim points (row-major, like x), drawn uniformly in the bounding
// box of the data's principal axes (Tibshirani et al. 2001, reference
// distribution (b)): with m the mean of the points and X − m = U D Vᵀ the
// thin singular value decomposition of the centred data, the centred points
// are rotated to X' = (X − m) V, a point z' is drawn uniformly in the box
// [min X'_j, max X'_j] of each column j, and rotated back, z = z' Vᵀ + m. Each
// right singular vector (column of V) is signed so that its entry of largest
// magnitude is positive, which makes the sets a function of x and rng alone.
//
// The uniform numbers are drawn with rng.Float64, set after set, point after
// point, axis after axis, and z'_j = lo_j + u·(hi_j − lo_j).
//
// It returns an error if x has no points or a coordinate is NaN or infinite,
// or if the decomposition fails. It panics if dim <= 0, if len(x) is not a
// multiple of dim or if b <= 0.
func GapReference(x []float64, dim, b int, rng *rand.Rand) ([][]float64, error) {
	if dim <= 0 || len(x)%dim != 0 {
		panic(fmt.Sprintf("metrics: len(x) = %d is not a positive multiple of dim = %d", len(x), dim))
	}
	if b <= 0 {
		panic(fmt.Sprintf("metrics: %d reference sets", b))
	}
	n := len(x) / dim
	r := min(n, dim)
	u := make([][]float64, b)
	for i := range u {
		u[i] = make([]float64, n*r)
		for j := range u[i] {
			u[i][j] = rng.Float64()
		}
	}
	return gapReferenceFrom(x, dim, u)
}

// gapReferenceFrom returns the reference sets of GapReference for the given
// uniform numbers: u[b] holds n·r numbers in [0, 1), r = min(n, dim), point
// after point, principal axis after axis.
func gapReferenceFrom(x []float64, dim int, u [][]float64) ([][]float64, error) {
	n := len(x) / dim
	if n == 0 {
		return nil, errors.New("gap reference: no points")
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("gap reference: coordinate %d of point %d is %v", i%dim, i/dim, v)
		}
	}
	mean := make([]float64, dim)
	for i := range n {
		for d, v := range x[i*dim : (i+1)*dim] {
			mean[d] += v
		}
	}
	for d := range mean {
		mean[d] /= float64(n)
	}
	xc := mat.NewDense(n, dim, nil)
	for i := range n {
		for d := range dim {
			xc.Set(i, d, x[i*dim+d]-mean[d])
		}
	}
	v, err := principalAxes(xc)
	if err != nil {
		return nil, err
	}
	r := v.RawMatrix().Cols
	var xp mat.Dense
	xp.Mul(xc, v)
	lo, hi := make([]float64, r), make([]float64, r)
	for j := range r {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for i := range n {
			lo[j] = min(lo[j], xp.At(i, j))
			hi[j] = max(hi[j], xp.At(i, j))
		}
	}
	refs := make([][]float64, len(u))
	for b, ub := range u {
		if len(ub) != n*r {
			panic(fmt.Sprintf("metrics: %d uniform numbers for reference set %d, want %d", len(ub), b, n*r))
		}
		zp := mat.NewDense(n, r, nil)
		for i := range n {
			for j := range r {
				zp.Set(i, j, lo[j]+ub[i*r+j]*(hi[j]-lo[j]))
			}
		}
		z := mat.NewDense(n, dim, nil)
		z.Mul(zp, v.T())
		refs[b] = z.RawMatrix().Data
		for i := range n {
			for d := range dim {
				refs[b][i*dim+d] += mean[d]
			}
		}
	}
	return refs, nil
}

// principalAxes returns V (dim×r, r = min(n, dim)) of the thin SVD
// xc = U D Vᵀ, singular values in decreasing order, each column signed so
// that its entry of largest magnitude is positive.
func principalAxes(xc *mat.Dense) (*mat.Dense, error) {
	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThinV) {
		return nil, errors.New("gap reference: singular value decomposition did not converge")
	}
	var v mat.Dense
	svd.VTo(&v)
	rows, cols := v.Dims()
	for j := range cols {
		big := 0
		for i := range rows {
			if math.Abs(v.At(i, j)) > math.Abs(v.At(big, j)) {
				big = i
			}
		}
		if v.At(big, j) < 0 {
			for i := range rows {
				v.Set(i, j, -v.At(i, j))
			}
		}
	}
	return &v, nil
}

// Gap returns gap = mean(logWref) − logWk and s = sd·√(1 + 1/B), where sd is
// the standard deviation of the B = len(logWref) values with 1/B (Tibshirani
// et al. 2001, eq. (5) and step 3 of §4). It panics if logWref is empty.
func Gap(logWk float64, logWref []float64) (gap, s float64) {
	nb := len(logWref)
	if nb == 0 {
		panic("metrics: gap without reference sets")
	}
	var sum float64
	for _, v := range logWref {
		sum += v
	}
	mean := sum / float64(nb)
	var ss float64
	for _, v := range logWref {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(nb))
	return mean - logWk, sd * math.Sqrt(1+1/float64(nb))
}

// GapStatistic returns the gap statistic of Tibshirani, Walther & Hastie
// (2001) for each k in ks, which compares log W_k, the log within-cluster sum
// of squares of a clustering of the data into k clusters, with its mean over
// B reference data sets without cluster structure:
//
//	gap(k) = (1/B) Σ_b log W*_kb − log W_k,
//	s(k) = sd_b(log W*_kb) · √(1 + 1/B),  sd with 1/B.
//
// It clusters x and every reference set in refs (from GapReference) into k
// clusters with cluster, in that order, k after k, all with rng, and applies
// Gap to the logarithms of the returned W values. GapPick then picks k. The
// clustering is the caller's, so this package depends on no clustering
// algorithm.
//
// It returns an error, naming k and the data set, if cluster fails or
// returns a W that is not positive and finite (log W undefined, for example
// when k is at least the number of distinct points). It panics if refs is
// empty or dim <= 0.
//
// Reference: R. Tibshirani, G. Walther and T. Hastie (2001), "Estimating the
// number of clusters in a data set via the gap statistic", J. R. Statist.
// Soc. B 63(2), 411-423, §3 and §4.
func GapStatistic(x []float64, dim int, refs [][]float64, ks []int, cluster ClusterFunc, rng *rand.Rand) (gap, s []float64, err error) {
	if len(refs) == 0 {
		panic("metrics: gap without reference sets")
	}
	if dim <= 0 {
		panic(fmt.Sprintf("metrics: dimension %d is not positive", dim))
	}
	logW := func(z []float64, k int, what string) (float64, error) {
		w, err := cluster(z, dim, k, rng)
		if err != nil {
			return 0, fmt.Errorf("gap statistic: k = %d, %s: %w", k, what, err)
		}
		if !(w > 0) || math.IsInf(w, 1) {
			return 0, fmt.Errorf("gap statistic: k = %d, %s: within-cluster sum of squares %v has no logarithm", k, what, w)
		}
		return math.Log(w), nil
	}
	gap, s = make([]float64, len(ks)), make([]float64, len(ks))
	lref := make([]float64, len(refs))
	for i, k := range ks {
		lw, err := logW(x, k, "data")
		if err != nil {
			return nil, nil, err
		}
		for b, z := range refs {
			if lref[b], err = logW(z, k, fmt.Sprintf("reference set %d", b)); err != nil {
				return nil, nil, err
			}
		}
		gap[i], s[i] = Gap(lw, lref)
	}
	return gap, s, nil
}

// GapPick returns the smallest k in ks with gap(k) ≥ gap(k+1) − s(k+1)
// (Tibshirani et al. 2001, step 3 of §4), where k+1 is the next entry of ks,
// which should be increasing, and gap[i], s[i] belong to ks[i]. The last k
// has no successor and is never picked; ok is false when no k qualifies
// (comparisons with NaN fail). It panics if the lengths differ.
func GapPick(ks []int, gap, s []float64) (k int, ok bool) {
	if len(gap) != len(ks) || len(s) != len(ks) {
		panic(fmt.Sprintf("metrics: %d ks, %d gaps and %d standard errors", len(ks), len(gap), len(s)))
	}
	for i := 0; i+1 < len(ks); i++ {
		if gap[i] >= gap[i+1]-s[i+1] {
			return ks[i], true
		}
	}
	return 0, false
}
