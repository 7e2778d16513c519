// Package kmeans implements k-means clustering with k-means++ seeding and
// restarts, following scikit-learn 1.2.1 KMeans(algorithm="lloyd") so that
// inertias can be compared with it.
//
// Points are stored row-major in a []float64 of length n*dim. Iterations use
// Hamerly's bounds (G. Hamerly, "Making k-means even faster", SDM 2010),
// which skip distance computations that cannot change an assignment and give
// the same labels, centres and iteration counts as plain Lloyd iterations.
//
// On amd64 CPUs with AVX-512, for k <= 16 and up to 5 dimensions, the bound
// updates, the nearest-centre searches and the k-means++ potentials run 8
// points at a time in assembly (simd_amd64.s). They compute every distance
// with the same operations in the same order as the Go code, so the results
// are the same to the bit on every CPU and with the purego build tag.
package kmeans

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// Options configures Fit. Zero values select the defaults noted per field.
type Options struct {
	K       int     // clusters, >= 1
	NInit   int     // restarts, default 10 when 0; keep the lowest inertia (first wins ties)
	MaxIter int     // default 300 when 0
	Tol     float64 // default 1e-4 when 0; scikit-learn semantics (see Fit)
	Init    Init    // how each restart seeds its centres; default k-means++
}

// Init says how a restart seeds its centres.
type Init int

const (
	// InitKMeansPlusPlus is greedy k-means++ (scikit-learn's
	// init="k-means++", its default); see Fit.
	InitKMeansPlusPlus Init = iota
	// InitRandom takes K distinct points chosen uniformly at random
	// (scikit-learn's init="random": the first K of a random permutation
	// of the points).
	InitRandom
)

// ParseInit reads the scikit-learn spelling of an init: "k-means++" or
// "random".
func ParseInit(s string) (Init, error) {
	switch s {
	case "k-means++":
		return InitKMeansPlusPlus, nil
	case "random":
		return InitRandom, nil
	}
	return 0, fmt.Errorf("kmeans: unknown init %q (want k-means++ or random)", s)
}

// String returns the scikit-learn spelling.
func (i Init) String() string {
	if i == InitRandom {
		return "random"
	}
	return "k-means++"
}

// Result is the best of the restarts run by Fit.
type Result struct {
	Centers  []float64 // K*dim
	Labels   []int     // len n, nearest centre (ties -> lowest index)
	Inertia  float64   // sum of squared distances to assigned centres
	Iter     int       // Lloyd iterations of the kept run
	NonEmpty int       // clusters with >= 1 member at the end
}

// Defaults used for zero Options fields: the defaults of scikit-learn 1.2.1
// KMeans (n_init=10, max_iter=300, tol=1e-4).
const (
	defaultNInit   = 10
	defaultMaxIter = 300
	defaultTol     = 1e-4
)

// Fit clusters the n = len(x)/dim points of x (row-major) into opt.K
// clusters, minimising the inertia Σ_i ‖x_i − c_{label(i)}‖².
//
// Each of opt.NInit restarts seeds the centres with greedy k-means++
// (Arthur and Vassilvitskii 2007, with 2 + ⌊ln K⌋ candidates per centre as in
// scikit-learn; see state.seed), or with K distinct points drawn uniformly
// when opt.Init is InitRandom (see state.seedRandom), and runs Lloyd iterations: assign every point
// to its nearest centre (lowest index on ties), then move every centre to
// the mean of its points. A cluster left
// empty is given, in increasing cluster order, the point farthest from its
// assigned centre among clusters that keep at least one other point
// (scikit-learn's relocation rule, restricted so that no cluster is emptied
// and no centre becomes NaN). Iteration stops at the first of
//
//   - strict convergence: the assignment equals that of the previous
//     iteration;
//   - Σ_j ‖c_j^new − c_j^old‖² <= Tol · (1/dim) Σ_d Var(x_{·d}), with Var the
//     population variance of feature d (scikit-learn _tolerance);
//   - MaxIter iterations.
//
// Unless convergence was strict, a final assignment step makes the labels
// match the returned centres; Result.Iter does not count it. The restart with the lowest inertia is kept,
// the first on ties. When x has fewer than K distinct points Fit succeeds
// and Result.NonEmpty < K.
//
// Fit returns an error for K < 1, K > n, NInit < 0, MaxIter < 0, Tol < 0 or
// NaN, n == 0, a NaN or infinite coordinate, or a coordinate so large
// (above √(MaxFloat64/dim)/2 in magnitude) that squared distances could
// overflow. It panics if dim < 1, len(x) is
// not a multiple of dim, or rng is nil. Results depend only on x, dim, opt
// and the state of rng, and are bit-identical for equal inputs. Fit does not
// retain x.
func Fit(x []float64, dim int, opt Options, rng *rand.Rand) (*Result, error) {
	return fitWith(context.Background(), x, dim, opt, rng, true, true)
}

// FitContext is Fit that stops soon after ctx ends and then returns
// ctx.Err(): ctx is checked before every k-means++ centre and every
// Lloyd iteration, whose cost is one pass over the points.
func FitContext(ctx context.Context, x []float64, dim int, opt Options, rng *rand.Rand) (*Result, error) {
	return fitWith(ctx, x, dim, opt, rng, true, true)
}

// Predict sets labels[i] to the index of the row of centers (rows of length
// dim) nearest to the i-th point of x, the lowest index on ties. It panics
// if dim < 1, len(x) or len(centers) is not a multiple of dim, centers is
// empty, or len(labels) != len(x)/dim.
func Predict(x []float64, dim int, centers []float64, labels []int) {
	if dim < 1 {
		panic("kmeans: dimension < 1")
	}
	if len(x)%dim != 0 {
		panic("kmeans: len(x) is not a multiple of dim")
	}
	if len(centers) == 0 || len(centers)%dim != 0 {
		panic("kmeans: len(centers) is not a positive multiple of dim")
	}
	if len(labels) != len(x)/dim {
		panic("kmeans: len(labels) != number of points")
	}
	for i := range labels {
		labels[i], _, _ = nearest(x[i*dim:i*dim+dim], centers)
	}
}

// fit is Fit with a choice between Hamerly's algorithm and plain Lloyd
// iterations; the two give identical results, and plain Lloyd serves as the
// reference in tests.
func fit(x []float64, dim int, opt Options, rng *rand.Rand, hamerly bool) (*Result, error) {
	return fitWith(context.Background(), x, dim, opt, rng, hamerly, true)
}

// fitWith is fit with a choice, for Hamerly's algorithm, of the vector
// bound pass (used where the CPU has it, see simd.go) or the scalar one;
// the results are identical.
func fitWith(ctx context.Context, x []float64, dim int, opt Options, rng *rand.Rand, hamerly, vector bool) (*Result, error) {
	checkShape(x, dim)
	if err := validatePoints(x, dim); err != nil {
		return nil, fmt.Errorf("kmeans: fit: %w", err)
	}
	p := &Points{x: x, dim: dim, variance: meanVariance(x, dim)}
	return p.fit(ctx, opt, rng, hamerly, vector)
}

// Points is a point set prepared for many fits, such as the gap
// statistic's reference sets clustered at every k: its coordinates are
// checked once, its variance computed once, and the buffers of a fit are
// kept for the next. A fit of Points gives the same result, to the bit, as
// Fit of its points. A Points is not safe for concurrent use, and the
// caller must not change x while it is in use.
type Points struct {
	x        []float64
	dim      int
	variance float64 // meanVariance(x)
	st       *state  // the last fit's buffers, nil before the first
	vec      *bounds // the vector passes, built at the first fit that can use them
	novec    bool    // the vector passes are not available for these points
}

// NewPoints checks the n = len(x)/dim points of x (row-major) as Fit does:
// an error for n == 0, a NaN or infinite coordinate, or one large enough
// for squared distances to overflow. It panics if dim < 1 or len(x) is not
// a multiple of dim.
func NewPoints(x []float64, dim int) (*Points, error) {
	checkShape(x, dim)
	if err := validatePoints(x, dim); err != nil {
		return nil, fmt.Errorf("kmeans: points: %w", err)
	}
	return &Points{x: x, dim: dim, variance: meanVariance(x, dim)}, nil
}

// checkShape panics if dim < 1 or len(x) is not a multiple of dim.
func checkShape(x []float64, dim int) {
	if dim < 1 {
		panic("kmeans: dimension < 1")
	}
	if len(x)%dim != 0 {
		panic("kmeans: len(x) is not a multiple of dim")
	}
}

// Fit is Fit of p's points: the same options, semantics and errors.
func (p *Points) Fit(ctx context.Context, opt Options, rng *rand.Rand) (*Result, error) {
	return p.fit(ctx, opt, rng, true, true)
}

func (p *Points) fit(ctx context.Context, opt Options, rng *rand.Rand, hamerly, vector bool) (*Result, error) {
	if rng == nil {
		panic("kmeans: nil rng")
	}
	n := len(p.x) / p.dim
	if err := validateOptions(n, opt); err != nil {
		return nil, fmt.Errorf("kmeans: fit: %w", err)
	}
	nInit, maxIter, tol := opt.NInit, opt.MaxIter, opt.Tol
	if nInit == 0 {
		nInit = defaultNInit
	}
	if maxIter == 0 {
		maxIter = defaultMaxIter
	}
	if tol == 0 {
		tol = defaultTol
	}
	s := p.state(opt.K, maxIter, tol*p.variance)
	s.vec = nil
	if hamerly && vector {
		s.vec = p.bounds(opt.K)
	}
	if s.vec != nil {
		clear(s.vec.tables) // entries past K as a fresh fit has them
	}
	res := &Result{
		Centers: make([]float64, opt.K*p.dim),
		Labels:  make([]int, n),
	}
	for r := range nInit {
		seed := s.seed
		if opt.Init == InitRandom {
			seed = s.seedRandom
		}
		if err := seed(ctx, rng); err != nil {
			return nil, err
		}
		iter, err := s.run(ctx, hamerly)
		if err != nil {
			return nil, err
		}
		inertia := s.inertia()
		if r == 0 || inertia < res.Inertia {
			copy(res.Centers, s.centers)
			copy(res.Labels, s.labels)
			res.Inertia = inertia
			res.Iter = iter
		}
	}
	counts := s.counts
	clear(counts)
	for _, j := range res.Labels {
		counts[j]++
	}
	for _, c := range counts {
		if c > 0 {
			res.NonEmpty++
		}
	}
	return res, nil
}

// state returns the buffers for a fit with k clusters: the last fit's,
// with new per-cluster buffers when k changed. Every restart seeds and
// overwrites what it reads, so buffers left by an earlier fit change
// nothing.
func (p *Points) state(k, maxIter int, tol float64) *state {
	switch {
	case p.st == nil:
		p.st = newState(p.x, p.dim, k, maxIter, tol)
	case p.st.k != k:
		p.st.setK(k)
	}
	p.st.maxIter, p.st.tol = maxIter, tol
	return p.st
}

// bounds returns the vector passes for k clusters, or nil where they do
// not apply; the tables of the points are built once.
func (p *Points) bounds(k int) *bounds {
	if p.novec || k > simdMaxK {
		return nil
	}
	if p.vec == nil {
		p.vec = newBounds(p.x, p.dim, k)
		p.novec = p.vec == nil
	}
	return p.vec
}

// validateOptions reports option problems, for n points, as errors.
func validateOptions(n int, opt Options) error {
	switch {
	case opt.K < 1:
		return fmt.Errorf("k = %d, want k >= 1", opt.K)
	case opt.K > n:
		return fmt.Errorf("k = %d exceeds the number of points %d", opt.K, n)
	case opt.NInit < 0:
		return fmt.Errorf("negative restart count %d", opt.NInit)
	case opt.MaxIter < 0:
		return fmt.Errorf("negative iteration limit %d", opt.MaxIter)
	case !(opt.Tol >= 0):
		return fmt.Errorf("invalid tolerance %v", opt.Tol)
	case opt.Init != InitKMeansPlusPlus && opt.Init != InitRandom:
		return fmt.Errorf("unknown init %d", opt.Init)
	}
	return nil
}

// validatePoints reports data problems as errors.
func validatePoints(x []float64, dim int) error {
	if len(x) == 0 {
		return fmt.Errorf("no points")
	}
	// Differences of coordinates below limit in magnitude have squares
	// whose sum over dim features stays finite: dim·(2·limit)² = MaxFloat64.
	limit := math.Sqrt(math.MaxFloat64/float64(dim)) / 2
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("coordinate %d is %v", i, v)
		}
		if math.Abs(v) > limit {
			return fmt.Errorf("coordinate %d = %v exceeds %v in magnitude, squared distances could overflow", i, v, limit)
		}
	}
	return nil
}

// meanVariance returns (1/dim) Σ_d Var(x_{·d}) with the population variance
// Var(v) = (1/n) Σ_i (v_i − mean(v))², computed in two passes (numpy.var).
func meanVariance(x []float64, dim int) float64 {
	n := len(x) / dim
	var total float64
	for d := range dim {
		var mean float64
		for i := d; i < len(x); i += dim {
			mean += x[i]
		}
		mean /= float64(n)
		var ss float64
		for i := d; i < len(x); i += dim {
			t := x[i] - mean
			ss += t * t
		}
		total += ss / float64(n)
	}
	return total / float64(dim)
}

// state holds the buffers of one Fit call, reused across restarts so that
// iterations do not allocate.
type state struct {
	x         []float64
	n, dim, k int
	maxIter   int
	tol       float64 // absolute tolerance on Σ_j ‖Δc_j‖²
	slack     float64 // relative slack on Hamerly's bounds, see assignHamerly

	centers, next []float64 // k*dim: current centres and the update target
	sums          []float64 // k*dim: per-cluster coordinate sums under labels
	counts        []int     // k: cluster sizes under labels
	size          []int     // k: cluster sizes after relocation
	labels        []int     // n
	closest       []float64 // n: k-means++ D², then distances for relocation
	trial, best   []float64 // n: k-means++ scratch
	cand          []int     // n: k-means++ candidates, Hamerly's points to check
	upper, lower  []float64 // n: Hamerly bounds
	shift         []float64 // k: ‖c_j^new − c_j^old‖
	half          []float64 // k: half the distance to the nearest other centre
	far           []float64 // k: largest shift of the other centres
	vec           *bounds   // the vector bound pass, nil when not available
}

func newState(x []float64, dim, k, maxIter int, tol float64) *state {
	n := len(x) / dim
	f := make([]float64, 5*n)
	take := func(m int) []float64 {
		v := f[:m:m]
		f = f[m:]
		return v
	}
	s := &state{
		x: x, n: n, dim: dim, maxIter: maxIter, tol: tol,
		// The computed squared distance of dim terms has relative error
		// below (dim+2)·2⁻⁵³; 1e-10 covers that with a wide margin for any
		// practical dim and keeps bound updates conservative.
		slack:   max(1e-10, float64(dim+2)*0x1p-50),
		closest: take(n),
		trial:   take(n),
		best:    take(n),
		upper:   take(n),
		lower:   take(n),
		labels:  make([]int, n),
	}
	s.setK(k)
	return s
}

// setK gives s the buffers of k clusters, keeping those of the points.
func (s *state) setK(k int) {
	f := make([]float64, 3*k*s.dim+3*k)
	take := func(m int) []float64 {
		v := f[:m:m]
		f = f[m:]
		return v
	}
	s.k = k
	s.centers, s.next, s.sums = take(k*s.dim), take(k*s.dim), take(k*s.dim)
	s.shift, s.half, s.far = take(k), take(k), take(k)
	s.counts, s.size = make([]int, k), make([]int, k)
	if m := max(s.n+8, localTrials(k)); len(s.cand) < m {
		s.cand = make([]int, m) // n, and slack for a vector store
	}
}

// run performs the Lloyd iterations of one restart from the seeded centres
// and returns the number of iterations, following scikit-learn 1.2.1
// sklearn/cluster/_kmeans.py:_kmeans_single_lloyd.
//
// Cluster sums are kept up to date incrementally: the first assignment
// computes them in point order and every later label change from a to j
// subtracts the point from cluster a and adds it to cluster j, in point
// order. Lloyd and Hamerly perform the same operations in the same order, so
// their centres agree bit for bit, and an iteration without label changes
// leaves the centres exactly unchanged.
//
// It returns ctx.Err(), checked before each iteration, when ctx ends.
func (s *state) run(ctx context.Context, hamerly bool) (int, error) {
	iter := 0
	strict, relocated := false, false
	for it := range s.maxIter {
		if err := ctx.Err(); err != nil {
			return iter, err
		}
		var changed bool
		switch {
		case it == 0 && hamerly:
			s.assignFull()
			changed = true
		case it == 0:
			s.assignLloyd(true)
			changed = true
		case hamerly:
			changed = s.assignHamerly()
		default:
			changed = s.assignLloyd(false)
		}
		relocated = s.update()
		shift := s.move()
		iter = it + 1
		if !changed {
			strict = true
			break
		}
		if shift <= s.tol {
			break
		}
	}
	// After strict convergence the centres are the means of the same
	// partition as before, hence unchanged, unless an empty cluster was
	// relocated; otherwise reassign so that labels match the centres.
	if !strict || relocated {
		if hamerly {
			s.assignHamerly()
		} else {
			s.assignLloyd(false)
		}
	}
	return iter, nil
}

// resetSums sets s.sums and s.counts to zero.
func (s *state) resetSums() {
	clear(s.sums)
	clear(s.counts)
}

// add adds point i to cluster j's sum and size.
func (s *state) add(i, j int) {
	dim := s.dim
	c := s.sums[j*dim : j*dim+dim]
	for d, v := range s.x[i*dim : i*dim+dim] {
		c[d] += v
	}
	s.counts[j]++
}

// moveLabel reassigns point i from cluster a to cluster j, updating sums and
// sizes.
func (s *state) moveLabel(i, a, j int) {
	dim := s.dim
	ca, cj := s.sums[a*dim:a*dim+dim], s.sums[j*dim:j*dim+dim]
	for d, v := range s.x[i*dim : i*dim+dim] {
		ca[d] -= v
		cj[d] += v
	}
	s.counts[a]--
	s.counts[j]++
	s.labels[i] = j
}

// assignLloyd sets every label to the nearest centre, maintaining the
// cluster sums (recomputed from scratch when first is set), and reports
// whether any label changed (always true when first is set).
func (s *state) assignLloyd(first bool) bool {
	x, dim := s.x, s.dim
	if first {
		s.resetSums()
		for i := range s.labels {
			j, _, _ := nearest(x[i*dim:i*dim+dim], s.centers)
			s.labels[i] = j
			s.add(i, j)
		}
		return true
	}
	changed := false
	for i, a := range s.labels {
		if j, _, _ := nearest(x[i*dim:i*dim+dim], s.centers); j != a {
			s.moveLabel(i, a, j)
			changed = true
		}
	}
	return changed
}

// assignFull sets every label to the nearest centre, initialises Hamerly's
// bounds (upper[i] = ‖x_i − c_{a(i)}‖, lower[i] = distance to the second
// nearest centre) and computes the cluster sums as assignLloyd(true) does.
func (s *state) assignFull() {
	x, dim := s.x, s.dim
	s.resetSums()
	if s.vec != nil {
		s.vec.nearest(s, s.vec.all)
		for i := range s.labels {
			a := s.vec.best[i]
			s.labels[i] = a
			s.upper[i] = s.vec.r1[i]
			s.lower[i] = s.vec.r2[i]
			s.add(i, a)
		}
		return
	}
	for i := range s.labels {
		a, d1, d2 := nearest(x[i*dim:i*dim+dim], s.centers)
		s.labels[i] = a
		s.upper[i] = math.Sqrt(d1)
		s.lower[i] = math.Sqrt(d2)
		s.add(i, a)
	}
}

// assignHamerly is one assignment step of Hamerly's algorithm (Hamerly 2010,
// Algorithm 2), fused with the bound update for the last centre move.
//
// The bounds are first loosened by the shifts δ_j = ‖c_j^new − c_j^old‖:
// upper[i] += δ_{a(i)} and lower[i] −= max_{j≠a(i)} δ_j (clamped at 0, a
// valid lower bound for any distance), each with relative slack s.slack so
// that rounding never invalidates them. Then, with a = a(i),
// upper[i] >= ‖x_i − c_a‖ and lower[i] <= min_{j≠a} ‖x_i − c_j‖, and with h_a
// half the distance from c_a to its nearest other centre, every other centre
// is farther from x_i than c_a whenever upper[i] < max(h_a, lower[i])
// (triangle inequality); otherwise upper[i] is tightened to the exact
// distance and, if the test still fails, all centres are scanned. The tests
// are applied with the slack, which exceeds the rounding error of computed
// distances, so a point is skipped only when its computed distance to c_a
// is strictly the smallest: labels equal those of assignLloyd bit for bit,
// ties included. It reports whether any label changed.
//
// The two tests are unpredictable branches, so they run as separate passes
// that compact the indices of the points failing them into s.cand without
// branching; the final pass scans those points in index order, so that the
// cluster sums change in the same order as in assignLloyd.
func (s *state) assignHamerly() bool {
	x, dim := s.x, s.dim
	c, half, shift, far := s.centers, s.half, s.shift, s.far
	s.centreDistances()
	// far[j] = max_{l≠j} δ_l, from the largest shift p1 (at centre r) and
	// the second largest p2.
	r, p1, p2 := 0, 0.0, 0.0
	for j, p := range shift {
		if p > p1 {
			r, p1, p2 = j, p, p1
		} else if p > p2 {
			p2 = p
		}
	}
	for j := range far {
		far[j] = p1
	}
	far[r] = p2

	up, down := 1+s.slack, 1-s.slack
	for j := range half {
		half[j] *= down
	}
	labels, upper, lower := s.labels, s.upper[:len(s.labels)], s.lower[:len(s.labels)]
	cand := s.cand

	var nf int
	if s.vec != nil {
		// The vector pass covers the points up to the last multiple of 8;
		// the rest go through the scalar passes, their indices after.
		nf = s.vec.run(s, up, down, up*up)
		n8 := s.n &^ 7
		nc := loosen(labels[n8:], upper[n8:], lower[n8:], shift, far, half, cand[nf:], up, down)
		for t := range nc {
			cand[nf+t] += n8
		}
		nf += tighten(x, dim, c, labels, upper, lower, half, cand[nf:nf+nc], up)
	} else {
		nc := loosen(labels, upper, lower, shift, far, half, cand, up, down)
		nf = tighten(x, dim, c, labels, upper, lower, half, cand[:nc], up)
	}
	// Pass 3: scan all centres. When the label stays, upper[i] already holds
	// the distance to it, computed by the same arithmetic.
	changed := false
	if s.vec != nil && nf > 0 {
		// The same, with the nearest centres of 8 points at a time; the
		// list is padded with its last index to a multiple of 8.
		m := (nf + 7) &^ 7
		for t := nf; t < m; t++ {
			cand[t] = cand[nf-1]
		}
		s.vec.nearest(s, cand[:m])
		for t, i := range cand[:nf] {
			j := s.vec.best[t]
			lower[i] = s.vec.r2[t]
			if a := labels[i]; j != a {
				upper[i] = s.vec.r1[t]
				s.moveLabel(i, a, j)
				changed = true
			}
		}
		return changed
	}
	for _, i := range cand[:nf] {
		p := x[i*dim : i*dim+dim]
		j, _, d2 := nearest(p, c)
		lower[i] = math.Sqrt(d2)
		if a := labels[i]; j != a {
			upper[i] = math.Sqrt(sqDist(p, c[j*dim:j*dim+dim]))
			s.moveLabel(i, a, j)
			changed = true
		}
	}
	return changed
}

// centreDistances sets s.half[j] to half the distance from centre j to its
// nearest other centre (+Inf when k == 1).
func (s *state) centreDistances() {
	dim, k, c, half := s.dim, s.k, s.centers, s.half
	for j := range half {
		half[j] = math.Inf(1)
	}
	for j := range k {
		cj := c[j*dim : j*dim+dim]
		for l := j + 1; l < k; l++ {
			d := 0.5 * math.Sqrt(sqDist(cj, c[l*dim:l*dim+dim]))
			half[j] = min(half[j], d)
			half[l] = min(half[l], d)
		}
	}
}

// loosen is pass 1 of assignHamerly: it loosens the bounds of every point
// by the centre shifts, writes into cand the indices of the points that fail
// the first test, in increasing order, and returns their number. All
// quantities are non-negative, so max(h, l) <= t is split into two
// comparisons whose results are combined without branching.
func loosen(labels []int, upper, lower, shift, far, half []float64, cand []int, up, down float64) int {
	upper, lower, cand = upper[:len(labels)], lower[:len(labels)], cand[:len(labels)]
	nc := 0
	for i, a := range labels {
		u := (upper[i] + shift[a]) * up
		l := clampNonNeg(lower[i]*down - far[a]*up)
		upper[i], lower[i] = u, l
		cand[nc] = i
		t := u * up
		nc += b2i(t >= half[a]) & b2i(t >= l)
	}
	return nc
}

// tighten is pass 2 of assignHamerly: for the points in cand it sets the
// upper bound to the exact distance to the assigned centre, moves the
// indices of the points that still fail the test to the front of cand, in
// order, and returns their number. Squares are compared so that the square
// root stays off the critical path.
func tighten(x []float64, dim int, c []float64, labels []int, upper, lower, half []float64, cand []int, up float64) int {
	up2 := up * up
	nf := 0
	switch dim {
	case 2:
		for _, i := range cand {
			a := labels[i]
			du := sqDist2(x[2*i:2*i+2], c[2*a:2*a+2])
			upper[i] = math.Sqrt(du)
			cand[nf] = i
			h, l, t := half[a], lower[i], du*up2
			nf += b2i(t >= h*h) & b2i(t >= l*l)
		}
	case 3:
		for _, i := range cand {
			a := labels[i]
			du := sqDist3(x[3*i:3*i+3], c[3*a:3*a+3])
			upper[i] = math.Sqrt(du)
			cand[nf] = i
			h, l, t := half[a], lower[i], du*up2
			nf += b2i(t >= h*h) & b2i(t >= l*l)
		}
	case 4:
		for _, i := range cand {
			a := labels[i]
			du := sqDist4(x[4*i:4*i+4], c[4*a:4*a+4])
			upper[i] = math.Sqrt(du)
			cand[nf] = i
			h, l, t := half[a], lower[i], du*up2
			nf += b2i(t >= h*h) & b2i(t >= l*l)
		}
	case 5:
		for _, i := range cand {
			a := labels[i]
			du := sqDist5(x[5*i:5*i+5], c[5*a:5*a+5])
			upper[i] = math.Sqrt(du)
			cand[nf] = i
			h, l, t := half[a], lower[i], du*up2
			nf += b2i(t >= h*h) & b2i(t >= l*l)
		}
	default:
		for _, i := range cand {
			a := labels[i]
			du := sqDist(x[i*dim:i*dim+dim], c[a*dim:a*dim+dim])
			upper[i] = math.Sqrt(du)
			cand[nf] = i
			h, l, t := half[a], lower[i], du*up2
			nf += b2i(t >= h*h) & b2i(t >= l*l)
		}
	}
	return nf
}

// b2i returns 1 for true and 0 for false; the compiler emits a flag set
// rather than a branch.
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// clampNonNeg returns max(v, 0) for v that is not NaN, without branching:
// a negative double has its sign bit set, so its bit pattern as int64 is
// negative and the arithmetic shift by 63 yields an all-ones mask.
func clampNonNeg(v float64) float64 {
	b := int64(math.Float64bits(v))
	return math.Float64frombits(uint64(b &^ (b >> 63)))
}

// update writes the cluster means into s.next, first relocating empty
// clusters, and reports whether it relocated any.
func (s *state) update() bool {
	dim := s.dim
	next, size := s.next, s.size
	copy(next, s.sums)
	copy(size, s.counts)
	relocated := false
	for _, c := range size {
		if c == 0 {
			s.relocate()
			relocated = true
			break
		}
	}
	for j, cnt := range size {
		m := float64(cnt)
		for d := range dim {
			next[j*dim+d] /= m
		}
	}
	return relocated
}

// relocate gives every empty cluster j, in increasing order, the point
// farthest from its assigned (current) centre among the points not yet moved
// whose cluster has more than one member; s.next and s.size hold cluster
// sums and sizes, which it modifies (labels and s.sums stay). Ties go
// to the lowest point index. Since K <= n, such a point always exists.
func (s *state) relocate() {
	x, dim := s.x, s.dim
	next, counts, dist := s.next, s.size, s.closest
	for i, a := range s.labels {
		dist[i] = sqDist(x[i*dim:i*dim+dim], s.centers[a*dim:a*dim+dim])
	}
	for j, cnt := range counts {
		if cnt != 0 {
			continue
		}
		far, fd := -1, -1.0
		for i, d := range dist {
			if d > fd && counts[s.labels[i]] > 1 {
				far, fd = i, d
			}
		}
		old := s.labels[far]
		p := x[far*dim : far*dim+dim]
		for d, v := range p {
			next[old*dim+d] -= v
		}
		copy(next[j*dim:j*dim+dim], p)
		counts[old]--
		counts[j] = 1
		dist[far] = -1
	}
}

// move computes the shift of every centre from s.centers to s.next, swaps
// the two, and returns Σ_j ‖c_j^new − c_j^old‖².
func (s *state) move() float64 {
	dim := s.dim
	var tot float64
	for j := range s.shift {
		d := sqDist(s.centers[j*dim:j*dim+dim], s.next[j*dim:j*dim+dim])
		s.shift[j] = math.Sqrt(d)
		tot += d
	}
	s.centers, s.next = s.next, s.centers
	return tot
}

// inertia returns Σ_i ‖x_i − c_{label(i)}‖² for the current centres.
func (s *state) inertia() float64 {
	x, dim := s.x, s.dim
	var sum float64
	for i, a := range s.labels {
		sum += sqDist(x[i*dim:i*dim+dim], s.centers[a*dim:a*dim+dim])
	}
	return sum
}
