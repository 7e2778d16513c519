// Package reduce fits principal components (PCA) and truncated SVDs of
// pixel matrices that are scaled and centred on the fly, so that no scaled
// copy of the data is ever stored.
//
// The source matrix is X = (A[rows] - Shift) * diag(Scale): raw float32
// pixels A, a per-feature shift and a per-feature scale. Min-max scaling
// followed by centring is Shift = column mean of the raw rows, Scale =
// 1/(max-min); min-max scaling without centring (TruncatedSVD) is Shift =
// min.
//
// The fit is randomized subspace iteration (Halko, Martinsson and Tropp
// 2011, "Finding structure with randomness", algorithm 4.4) on X^T X with
// l = k + Oversample columns and a Rayleigh-Ritz step every iteration,
// iterated until the leading k Ritz values are stable to RelTol and the
// span of the leading k Ritz vectors moved by at most SubspaceTol in the
// last iteration. At convergence it is an exact decomposition to that
// tolerance; the tests compare it with gonum's mat.SVD. The accuracy that
// holds: singular values to about RelTol relative, and the leading
// subspace within about SubspaceTol·r/(1−r) of the exact one, r being the
// per-iteration contraction of the subspace's move (0.28 on FER2013's
// folds: within 4e-6). A flat spectrum (iid noise) can reach MaxIter
// first; Model.Converged is then false and nothing is promised.
//
// Each iteration is one pass over the rows, built from three kernels (see
// kernel.go): scale a row, the dot products of 4 rows with 3 subspace
// vectors, and 3 subspace vectors plus 4 rows times coefficients. On amd64
// they run in assembly (AVX-512, or AVX2 with FMA) that performs the same
// floating-point operations in the same order as the Go definitions, so a
// model is the same to the bit on every CPU and with the purego build tag.
// Rows holding whole grey levels 0..255 are first copied as bytes (on
// AVX-512, when the copy takes at most 32 MiB), so that each pass reads a
// quarter of the memory.
package reduce

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// Source is the matrix X = (A[Rows] - Shift) * diag(Scale).
type Source struct {
	Pixels []float32 // A, row-major with Dim columns
	Dim    int       // features per row
	Rows   []int     // rows of A that form X, in order
	Shift  []float64 // per feature, len Dim
	Scale  []float64 // per feature, len Dim
}

func (s Source) check() {
	if s.Dim <= 0 || len(s.Shift) != s.Dim || len(s.Scale) != s.Dim {
		panic(fmt.Sprintf("reduce: dim %d with %d shifts and %d scales", s.Dim, len(s.Shift), len(s.Scale)))
	}
	if len(s.Pixels)%s.Dim != 0 {
		panic(fmt.Sprintf("reduce: %d pixels is not a multiple of dim %d", len(s.Pixels), s.Dim))
	}
	n := len(s.Pixels) / s.Dim
	for _, r := range s.Rows {
		if r < 0 || r >= n {
			panic(fmt.Sprintf("reduce: row %d out of range [0,%d)", r, n))
		}
	}
}

// Options tune the subspace iteration.
type Options struct {
	// Oversample is the number of extra subspace columns; default 10
	// (Halko et al. 2011, section 4.2, p = 10; scikit-learn's n_oversamples).
	Oversample int
	// RelTol stops the iteration when no leading Ritz value (sigma^2)
	// changed by more than RelTol relative to itself; default 1e-10.
	//
	// The Ritz values converge linearly, each iteration shrinking the error
	// by a ratio rho < 1 (at most (sigma_{l+1}/sigma_k)^2), so when the last
	// change is RelTol the error left is about RelTol*rho/(1-rho): on
	// FER2013's folds (rho about 0.12) the singular values are then within
	// 3e-12 and the components within an angle of 3e-6 of the exact ones
	// (measured against 60 iterations), far inside the 1e-9 to which the
	// tests compare singular values with LAPACK and scikit-learn and the
	// project's bound of 1e-4 on explained variance. 1e-12 costs two more
	// iterations of 12 for nothing visible.
	RelTol float64
	// SubspaceTol also requires the span of the leading k Ritz vectors to
	// have stopped moving: the part of this iteration's leading vectors
	// outside the last iteration's span must be at most SubspaceTol in
	// Frobenius norm (a bound on the sine of the largest principal angle
	// between the two spans). The span is checked as a whole, so leading
	// directions with nearly equal singular values, whose individual
	// vectors can turn within their common span, converge too; default
	// 1e-5 (see the package comment for the accuracy that holds). Leading
	// directions with singular values of rounding size (the data's rank is
	// below k) are left out of both checks; see numericalZero.
	SubspaceTol float64
	// MaxIter bounds the iterations; default 200.
	MaxIter int
}

func (o Options) withDefaults() Options {
	if o.Oversample == 0 {
		o.Oversample = 10
	}
	if o.RelTol == 0 {
		o.RelTol = 1e-10
	}
	if o.SubspaceTol == 0 {
		o.SubspaceTol = 1e-5
	}
	if o.MaxIter == 0 {
		o.MaxIter = 200
	}
	return o
}

// Model is a fitted decomposition with K components.
type Model struct {
	Dim, K int
	// Components holds the right singular vectors as K rows of Dim values
	// (scikit-learn's components_), sign-normalised so that the largest
	// absolute loading of each is positive.
	Components []float64
	// Singular holds the K singular values of X, descending.
	Singular []float64
	// Iter is the number of subspace iterations until convergence.
	Iter int
	// Converged reports whether RelTol was reached within MaxIter.
	Converged bool
}

// Fit computes the leading k right singular vectors of src's matrix.
func Fit(src Source, k int, opt Options, rng *rand.Rand) (*Model, error) {
	return fit(context.Background(), src, k, opt, rng, bestKernels())
}

// FitContext is Fit that stops soon after ctx ends and then returns
// ctx.Err(): ctx is checked every checkRows source rows of each pass.
func FitContext(ctx context.Context, src Source, k int, opt Options, rng *rand.Rand) (*Model, error) {
	return fit(ctx, src, k, opt, rng, bestKernels())
}

// checkRows is how many source rows a pass or a transform reads between
// two checks of its context: at FER2013's 2,304 features and 25 subspace
// vectors, about a millisecond of work against a few nanoseconds per check.
const checkRows = 256

// fit is Fit with the given kernels; both kernel sets give the same model
// to the bit (see kernel.go).
func fit(ctx context.Context, src Source, k int, opt Options, rng *rand.Rand, kern kernels) (*Model, error) {
	src.check()
	opt = opt.withDefaults()
	n, p := len(src.Rows), src.Dim
	if k < 1 {
		return nil, fmt.Errorf("components: %d is below 1", k)
	}
	if k > min(n, p) {
		return nil, fmt.Errorf("components: %d is more than min(rows %d, features %d)", k, n, p)
	}
	l := min(k+opt.Oversample, n, p)

	// The subspace is stored as the rows of Z (l x p), so that every
	// product below runs along contiguous rows of p features. Z and next
	// live in buffers of lp x pp values, l rounded up to whole 3-row tiles
	// and p to whole 8-value groups, whose padding stays zero (LAPACK
	// touches only the l x p matrix; the kernels add zero products to it).
	pp, lp := roundUp(p, 8), roundUp(l, 3)
	zbuf, nbuf := make([]float64, lp*pp), make([]float64, lp*pp)
	z, next := rowsView(zbuf, l, p, pp), rowsView(nbuf, l, p, pp)
	for i := range l {
		row := zbuf[i*pp : i*pp+p]
		for j := range row {
			row[j] = rng.NormFloat64()
		}
	}
	if err := orthonormalizeRows(z); err != nil {
		return nil, err
	}

	g := mat.NewSymDense(l, nil)
	ps := newPassState(src, l, lp, pp, kern)
	if kern.compactRow != nil && n*p <= maxCompact {
		ps.compact()
	}
	prev := make([]float64, k)
	var prevV *mat.Dense
	var eig mat.EigenSym
	m := &Model{Dim: p, K: k}
	for it := 1; ; it++ {
		// One pass: G = (XZ^T)^T (XZ^T), next = (X^T X Z^T)^T.
		if err := ps.pass(ctx, zbuf, nbuf, g); err != nil {
			return nil, err
		}
		if ok := eig.Factorize(g, true); !ok {
			return nil, errors.New("reduce: eigendecomposition failed")
		}
		vals := eig.Values(nil) // ascending
		conv := true
		nz := 0 // leading Ritz values above the numerical zero
		for i := 0; i < k; i++ {
			th := vals[l-1-i]
			if math.IsNaN(th) || math.IsInf(th, 0) {
				return nil, errors.New("reduce: non-finite values in the data")
			}
			if th > numericalZero*vals[l-1] {
				nz++
				if !(math.Abs(th-prev[i]) <= opt.RelTol*math.Abs(th)) {
					conv = false
				}
			}
			prev[i] = th
		}
		// The leading k Ritz vectors, V^T = W^T Z (rows ascending, the
		// leading k last), and how far the span of those with nonzero
		// values moved since the last iteration.
		var w mat.Dense
		eig.VectorsTo(&w)
		var v mat.Dense
		v.Mul(w.T(), z)
		moved := 0.0
		if nz > 0 {
			lead := v.Slice(l-nz, l, 0, p).(*mat.Dense)
			moved = subspaceMove(prevV, lead)
			prevV = mat.DenseCopyOf(lead)
		}
		if !(moved <= opt.SubspaceTol) {
			conv = false
		}
		if debugMoves != nil {
			debugMoves(it, moved)
		}
		if conv || it >= opt.MaxIter {
			m.Components = make([]float64, k*p)
			m.Singular = make([]float64, k)
			for i := 0; i < k; i++ {
				col := l - 1 - i
				m.Singular[i] = math.Sqrt(math.Max(vals[col], 0))
				comp := m.Components[i*p : (i+1)*p]
				copy(comp, v.RawRowView(col))
				normalise(comp)
			}
			m.Iter, m.Converged = it, conv
			return m, nil
		}
		z, next = next, z
		zbuf, nbuf = nbuf, zbuf
		if err := orthonormalizeRows(z); err != nil {
			return nil, err
		}
	}
}

// numericalZero is the share of the largest Ritz value (σ₁²) below which
// a Ritz value counts as zero: data of rank r < k leaves Ritz values of
// rounding size, about ε·σ₁² (5.6e-17·σ₁² for TestFitRankDeficient's
// rank-2 rows), in the directions beyond r. Those directions are any
// orthonormal completion, as LAPACK's are, and their vectors turn at random
// from one iteration to the next; so neither their values nor their
// vectors are asked to settle, else the fit would run to MaxIter and report
// itself unconverged. A singular value below 1e-6·σ₁ carries under 1e-12 of
// the leading variance.
const numericalZero = 1e-12

// debugMoves, when set (by tests), sees each iteration's subspace move.
var debugMoves func(it int, moved float64)

// subspaceMove returns the distance between the spans of the rows of a
// and b (both k x p with orthonormal rows): the Frobenius norm of
// b − (b aᵀ) a, the part of b outside span(a), which bounds the sine of the
// largest principal angle between the two spans from above (and is at
// most √k times it). It is +Inf when a is nil.
func subspaceMove(a, b *mat.Dense) float64 {
	if a == nil {
		return math.Inf(1)
	}
	var c, proj mat.Dense
	c.Mul(b, a.T())
	proj.Mul(&c, a)
	proj.Sub(b, &proj)
	return mat.Norm(&proj, 2)
}

// roundUp returns n rounded up to a multiple of m.
func roundUp(n, m int) int { return (n + m - 1) / m * m }

// rowsView returns the r x c matrix whose rows start every stride values
// of buf.
func rowsView(buf []float64, r, c, stride int) *mat.Dense {
	var d mat.Dense
	d.SetRawMatrix(blas64.General{Rows: r, Cols: c, Stride: stride, Data: buf[:(r-1)*stride+c]})
	return &d
}

// passRows is the number of source rows a pass holds at once, two tiles
// of 4: 8 rows of 2304 features are 147 KB, inside the second-level cache,
// so each row of Z and of next is fetched from farther away once per 8
// source rows rather than once per row.
const passRows = 8

// passState holds the buffers of the passes of one fit.
type passState struct {
	src   Source
	l, lp int
	pp    int
	kern  kernels
	bytes []uint8          // the source rows as bytes, in order, or nil
	x     []float64        // passRows x pp scaled rows, zero padded
	y     []float64        // passRows x lp products <x_r, z_i>
	acc   [][12][8]float64 // lane sums of the dot tiles of a block
	cofs  [][12]float64    // coefficients of the axpy tiles of a block
}

// colBlock is the width of the column blocks a pass works through: a
// block of the 8 rows and of the 15 subspace rows of FER2013's grid,
// 23 x 256 x 8 bytes = 46 KB, stays in a 48 KB first-level data cache
// while all the tiles use it (measured 1.2x faster per pass than whole
// rows, which are served from the second-level cache).
const colBlock = 256

// maxCompact bounds the bytes of the compact copy of the source rows. On
// FER2013 the copy of a balanced fold's 3,063 rows (7 MB) makes a pass 15%
// faster; the copy of a full fold's 28,709 rows (66 MB, two of them while
// two reductions run) saves 8% of a full-data sweep's CPU time but adds
// 90 MB to its peak memory (measured 722 MB against 630 MB with GOGC=25),
// so copies larger than this are not made.
const maxCompact = 32 << 20

// compact stores the source rows as bytes when they hold whole grey
// levels 0..255, so that each pass reads a quarter of the memory.
func (ps *passState) compact() {
	p := ps.src.Dim
	b := make([]uint8, len(ps.src.Rows)*p)
	for t, row := range ps.src.Rows {
		if !ps.kern.compactRow(ps.src.Pixels[row*p:(row+1)*p], b[t*p:(t+1)*p]) {
			return
		}
	}
	ps.bytes = b
}

func newPassState(src Source, l, lp, pp int, kern kernels) *passState {
	tiles := passRows / 4 * lp / 3
	return &passState{src: src, l: l, lp: lp, pp: pp, kern: kern,
		x: make([]float64, passRows*pp), y: make([]float64, passRows*lp),
		acc: make([][12][8]float64, tiles), cofs: make([][12]float64, tiles)}
}

// pass streams the source rows once: for each block of scaled rows x,
// y = Z x (dot tiles), G += y y^T and next += y x^T (axpy tiles). z and
// next are lp x pp buffers (see fit); every entry of next is an FMA chain
// over the source rows in order, and G is summed in row order. It returns
// ctx.Err(), checked every checkRows rows, when ctx ends.
func (ps *passState) pass(ctx context.Context, z, next []float64, g *mat.SymDense) error {
	src, p, pp, l, lp := ps.src, ps.src.Dim, ps.pp, ps.l, ps.lp
	clear(next)
	gr := g.RawSymmetric()
	clear(gr.Data)
	x, y := ps.x, ps.y
	for start := 0; start < len(src.Rows); start += passRows {
		if start%checkRows == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rows := src.Rows[start:min(start+passRows, len(src.Rows))]
		for r, row := range rows {
			if ps.bytes != nil {
				t := start + r
				ps.kern.fillBytes(ps.bytes[t*p:(t+1)*p], src.Shift, src.Scale, x[r*pp:r*pp+p])
			} else {
				ps.kern.fillRow(src.Pixels[row*p:(row+1)*p], src.Shift, src.Scale, x[r*pp:r*pp+p])
			}
		}
		rb := roundUp(len(rows), 4)
		clear(x[len(rows)*pp : rb*pp]) // a last, partial tile: zero rows
		// y[r,i] = <x_r, z_i>: the tiles' lane sums over column blocks that
		// stay in the first-level cache, then added up.
		acc := ps.acc[:rb/4*lp/3]
		clear(acc)
		for cb := 0; cb < pp; cb += colBlock {
			w8 := (min(pp, cb+colBlock) - cb) / 8
			t := 0
			for rt := 0; rt < rb; rt += 4 {
				for it := 0; it < lp; it += 3 {
					ps.kern.dotTile(x[rt*pp+cb:], pp, z[it*pp+cb:], pp, w8, &acc[t])
					t++
				}
			}
		}
		t := 0
		for rt := 0; rt < rb; rt += 4 {
			for it := 0; it < lp; it += 3 {
				for r := range 4 {
					for i := range 3 {
						y[(rt+r)*lp+it+i] = hsum8(&acc[t][r*3+i])
					}
				}
				t++
			}
		}
		for r := range rows {
			yr := y[r*lp : r*lp+l]
			for i := 0; i < l; i++ {
				gi := gr.Data[i*gr.Stride:]
				for j := i; j < l; j++ {
					gi[j] += float64(yr[i] * yr[j])
				}
			}
		}
		// next_i += sum_r y[r,i] x_r, by column blocks; within a block the
		// row tiles of each next_i in order, so that every entry of next
		// stays one FMA chain over the rows in order.
		cofs := ps.cofs[:rb/4*lp/3]
		t = 0
		for it := 0; it < lp; it += 3 {
			for rt := 0; rt < rb; rt += 4 {
				for r := range 4 {
					for i := range 3 {
						cofs[t][r*3+i] = y[(rt+r)*lp+it+i]
					}
				}
				t++
			}
		}
		for cb := 0; cb < pp; cb += colBlock {
			w8 := (min(pp, cb+colBlock) - cb) / 8
			t := 0
			for it := 0; it < lp; it += 3 {
				for rt := 0; rt < rb; rt += 4 {
					ps.kern.axpyTile(&cofs[t], x[rt*pp+cb:], pp, next[it*pp+cb:], pp, w8)
					t++
				}
			}
		}
	}
	return nil
}

// orthonormalizeRows replaces the rows of z (l x p, l <= p) by an
// orthonormal basis of their span: the Q of an LQ factorization (LAPACK
// dgelqf, dorglq).
func orthonormalizeRows(z *mat.Dense) error {
	a := z.RawMatrix()
	tau := make([]float64, min(a.Rows, a.Cols))
	work := []float64{0}
	lapack64.Gelqf(a, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Gelqf(a, tau, work, len(work))
	lapack64.Orglq(a, tau, work, -1)
	if need := int(work[0]); need > len(work) {
		work = make([]float64, need)
	}
	lapack64.Orglq(a, tau, work, len(work))
	for _, v := range a.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errors.New("reduce: non-finite values in the data")
		}
	}
	return nil
}

// normalise flips v so that its largest absolute entry is positive; the
// first such entry decides ties.
func normalise(v []float64) {
	best := 0
	for i, x := range v {
		if math.Abs(x) > math.Abs(v[best]) {
			best = i
		}
	}
	if v[best] < 0 {
		for i := range v {
			v[i] = -v[i]
		}
	}
}

// Transform writes the first c coordinates of each source row in the
// model's basis into dst (len(src.Rows) x c, row-major) and returns it.
// c may be below m.K: the leading columns of a larger fit are the fit of
// that smaller size.
func (m *Model) Transform(src Source, c int, dst []float64) []float64 {
	dst, _ = m.TransformContext(context.Background(), src, c, dst)
	return dst
}

// TransformContext is Transform that stops soon after ctx ends and then
// returns ctx.Err() (and dst partly written): ctx is checked every
// checkRows source rows.
func (m *Model) TransformContext(ctx context.Context, src Source, c int, dst []float64) ([]float64, error) {
	src.check()
	if src.Dim != m.Dim {
		panic(fmt.Sprintf("reduce: source dim %d, model dim %d", src.Dim, m.Dim))
	}
	if c < 1 || c > m.K {
		panic(fmt.Sprintf("reduce: %d components of a %d-component model", c, m.K))
	}
	n, p := len(src.Rows), src.Dim
	if cap(dst) < n*c {
		dst = make([]float64, n*c)
	}
	dst = dst[:n*c]
	// Tiles of 4 rows by 3 components, as in the pass: the components are
	// copied into zero-padded rows of pp values, 3 per tile.
	kern := bestKernels()
	pp, cp := roundUp(p, 8), roundUp(c, 3)
	comp := make([]float64, cp*pp)
	for i := range c {
		copy(comp[i*pp:i*pp+p], m.Components[i*p:(i+1)*p])
	}
	x := make([]float64, 4*pp)
	var acc [12][8]float64
	for start := 0; start < n; start += 4 {
		if start%checkRows == 0 {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		rows := src.Rows[start:min(start+4, n)]
		for r, row := range rows {
			kern.fillRow(src.Pixels[row*p:(row+1)*p], src.Shift, src.Scale, x[r*pp:r*pp+p])
		}
		clear(x[len(rows)*pp:])
		for it := 0; it < cp; it += 3 {
			acc = [12][8]float64{}
			kern.dotTile(x, pp, comp[it*pp:], pp, pp/8, &acc)
			for r := range rows {
				for i := range min(3, c-it) {
					dst[(start+r)*c+it+i] = hsum8(&acc[r*3+i])
				}
			}
		}
	}
	return dst, nil
}

// Stats are per-feature statistics of raw rows.
type Stats struct {
	N                   int
	Min, Max, Mean, Var []float64 // Var with n-1 in the denominator (0 when N == 1)
}

// ColumnStats computes Stats over the given rows of a (dim columns),
// which must not hold NaN: the mean and the variance in two passes
// (the second sums squared deviations from the mean), the extremes by
// comparison.
func ColumnStats(a []float32, dim int, rows []int) Stats {
	s := Stats{
		N:    len(rows),
		Min:  make([]float64, dim),
		Max:  make([]float64, dim),
		Mean: make([]float64, dim),
		Var:  make([]float64, dim),
	}
	if len(rows) == 0 {
		return s
	}
	mn, mx, sum := s.Min, s.Max, s.Mean
	for j := range dim {
		mn[j] = math.Inf(1)
		mx[j] = math.Inf(-1)
	}
	for _, r := range rows {
		row := a[r*dim : (r+1)*dim]
		mn, mx, sum := mn[:len(row)], mx[:len(row)], sum[:len(row)]
		for j, v := range row {
			x := float64(v)
			if x < mn[j] {
				mn[j] = x
			}
			if x > mx[j] {
				mx[j] = x
			}
			sum[j] += x
		}
	}
	inv := 1 / float64(len(rows))
	for j := range s.Mean {
		s.Mean[j] *= inv
	}
	if len(rows) > 1 {
		mean, ss := s.Mean, s.Var
		for _, r := range rows {
			row := a[r*dim : (r+1)*dim]
			mean, ss := mean[:len(row)], ss[:len(row)]
			for j, v := range row {
				d := float64(v) - mean[j]
				ss[j] += float64(d * d)
			}
		}
		for j := range s.Var {
			s.Var[j] /= float64(len(rows) - 1)
		}
	}
	return s
}
