package gmm

import (
	"context"
	"fmt"
	"math"
)

// eps10 is the 10·ε scikit-learn adds to every n_k (10 * np.finfo.eps).
const eps10 = 10 * 0x1p-52

// em holds the data and buffers of one Fit call, reused across restarts.
type em struct {
	ctx    context.Context // checked each iteration
	x      []float64
	dim, n int
	opt    Options
	resp   []float64 // n·K responsibilities r_ik (not logs)
	diff   []float64 // dim
	y      []float64 // dim
	acc    []float64 // K·dim(dim+1)/2, fullCov's packed sums
	sc     scorer
	plain  bool // use the reference loops, not kernels_gen.go (tests)
	// kern, when hasKern, are the vector E-step kernels of estepvec.go
	// (the assembly, where the CPU has it), and vec their buffers.
	kern    vecKernels
	hasKern bool
	vec     vecBufs
	// mkern, when hasMKern, are the vector M-step kernels of mstepvec.go,
	// and mvec their buffers.
	mkern    mKernels
	hasMKern bool
	mvec     mVecBufs
}

func newEM(x []float64, dim int, opt Options) *em {
	n := len(x) / dim
	kern, ok := asmVecKernels()
	mkern, mok := asmMKernels()
	return &em{ctx: context.Background(), x: x, dim: dim, n: n, opt: opt,
		resp: make([]float64, n*opt.K), diff: make([]float64, dim), y: make([]float64, dim),
		kern: kern, hasKern: ok, mkern: mkern, hasMKern: mok}
}

// run performs one restart from the given k-means labels.
func (e *em) run(labels []int) (*Model, error) {
	k := e.opt.K
	m := newModel(e.dim, k, e.opt.Covariance)
	clear(e.resp)
	for i, l := range labels {
		e.resp[i*k+l] = 1
	}
	if err := e.mstep(m, float64(e.n)); err != nil {
		return nil, err
	}
	lb := math.Inf(-1)
	iter := 0
	for iter < e.opt.MaxIter {
		if err := e.ctx.Err(); err != nil {
			return nil, err
		}
		iter++
		prev := lb
		lb = e.estep(m)
		if math.IsNaN(lb) {
			return nil, fmt.Errorf("gmm: lower bound is NaN at iteration %d", iter)
		}
		if err := e.mstep(m, 0); err != nil {
			return nil, err
		}
		if math.Abs(lb-prev) < e.opt.Tol {
			m.Converged = true
			break
		}
	}
	m.LowerBound, m.NIter = lb, iter
	return m, nil
}

// estep sets e.resp to the responsibilities under m and returns the lower
// bound (1/n) Σ_i logsumexp_k w_ik. For full and tied covariances it runs
// estepVec with the assembly kernels where the CPU has them (same bits).
func (e *em) estep(m *Model) float64 {
	if e.hasKern && !e.plain && (m.Covariance == Full || m.Covariance == Tied) {
		return e.estepVec(m, e.kern)
	}
	e.sc.plain = e.plain
	e.sc.set(m)
	k, d := m.K, m.Dim
	var sum float64
	col := e.columns(m)
	for i := range e.n {
		// r_ij = exp(w_ij − ℓ_i) = exp(w_ij − m)/s with ℓ_i = m + log s: one
		// exponential per entry serves both the sum and the responsibility.
		row := e.resp[i*k : i*k+k]
		if !col {
			e.sc.row(e.x[i*d:i*d+d], row)
		}
		mx := lseShift(row)
		var s float64
		for j, w := range row {
			row[j] = math.Exp(w - mx)
			s += row[j]
		}
		sum += math.Log(s) + mx
		inv := 1 / s
		for j := range row {
			row[j] *= inv
		}
	}
	return sum / float64(e.n)
}

// columns sets e.resp to the weighted log probabilities w_ik of every
// row, component by component, with the unrolled colTri kernels of
// kernels_gen.go, for full and tied covariances in dim 2..5 (unless
// e.plain), and reports whether it did; estep computes them row by row
// otherwise. Each w_ik has the same bits either way.
func (e *em) columns(m *Model) bool {
	if e.plain || (m.Covariance != Full && m.Covariance != Tied) {
		return false
	}
	step := e.sc.tri
	if m.Covariance == Tied {
		step = 0
	}
	switch m.Dim {
	case 2:
		e.colTri2(step)
	case 3:
		e.colTri3(step)
	case 4:
		e.colTri4(step)
	case 5:
		e.colTri5(step)
	default:
		return false
	}
	return true
}

// logSumExp returns log Σ_j exp(w_j), shifted by the maximum as
// scipy.special.logsumexp does.
func logSumExp(w []float64) float64 {
	mx := lseShift(w)
	var s float64
	for _, v := range w {
		s += math.Exp(v - mx)
	}
	return math.Log(s) + mx
}

// lseShift returns the shift of logsumexp over w: its maximum, or 0 when
// that is infinite (scipy.special.logsumexp).
func lseShift(w []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range w {
		mx = max(mx, v)
	}
	if math.IsInf(mx, 0) {
		return 0
	}
	return mx
}

// mstep sets the parameters of m from e.resp (_estimate_gaussian_parameters)
// and divides the weights by wsum, or by their sum when wsum is 0.
func (e *em) mstep(m *Model, wsum float64) error {
	e.weightsMeans(m)
	switch m.Covariance {
	case Full:
		e.fullCov(m)
	case Tied:
		e.tiedCov(m)
	default:
		e.diagCov(m)
	}
	if wsum == 0 {
		for _, w := range m.Weights {
			wsum += w
		}
	}
	for j := range m.Weights {
		m.Weights[j] /= wsum
	}
	return m.setPrecisions()
}

// weightsMeans sets Weights to n_k and Means to μ_k.
func (e *em) weightsMeans(m *Model) {
	d := m.Dim
	nk, mu := m.Weights, m.Means
	clear(nk)
	clear(mu)
	e.sums(nk, mu)
	for c := range nk {
		nk[c] += eps10
		for j := range d {
			mu[c*d+j] /= nk[c]
		}
	}
}

// sums adds n_c = Σ_i r_ic to nk and s_c = Σ_i r_ic x_i to mu, by the
// vector kernel of mstepvec.go where the assembly runs (dim <= 7), else by
// an unrolled kernel of kernels_gen.go for dim 2..5 (unless e.plain) and by
// sumsPlain otherwise; all give the same bits.
func (e *em) sums(nk, mu []float64) {
	if e.useMVec() {
		e.sumsVec(nk, mu)
		return
	}
	if !e.plain {
		switch e.dim {
		case 2:
			e.sums2(nk, mu)
			return
		case 3:
			e.sums3(nk, mu)
			return
		case 4:
			e.sums4(nk, mu)
			return
		case 5:
			e.sums5(nk, mu)
			return
		}
	}
	e.sumsPlain(nk, mu)
}

// sumsPlain is the reference sums for any dim, summing over the rows in
// increasing i and skipping zero responsibilities. The float64
// conversions forbid fused multiply-adds (see rowTriPlain).
func (e *em) sumsPlain(nk, mu []float64) {
	k, d := len(nk), e.dim
	for i := range e.n {
		xi := e.x[i*d : i*d+d]
		for c, r := range e.resp[i*k : i*k+k] {
			if r == 0 {
				continue
			}
			nk[c] += r
			mc := mu[c*d : c*d+d]
			for j, v := range xi {
				mc[j] += float64(r * v)
			}
		}
	}
}

// scatter adds Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ to the upper triangle of the
// dim×dim matrix s.
func (e *em) scatter(m *Model, c int, s []float64) {
	k, d := m.K, m.Dim
	mu := m.Means[c*d : c*d+d]
	diff := e.diff
	for i := range e.n {
		r := e.resp[i*k+c]
		if r == 0 {
			continue
		}
		xi := e.x[i*d : i*d+d]
		for j := range d {
			diff[j] = xi[j] - mu[j]
		}
		for a := range d {
			ra := float64(r * diff[a])
			row := s[a*d : a*d+d]
			for b := a; b < d; b++ {
				row[b] += float64(ra * diff[b])
			}
		}
	}
}

// finishCov divides the upper triangle of s by w, adds reg to the diagonal
// and mirrors it to the lower triangle.
func finishCov(s []float64, d int, w, reg float64) {
	for a := range d {
		for b := a; b < d; b++ {
			s[a*d+b] /= w
			s[b*d+a] = s[a*d+b]
		}
		s[a*d+a] += reg
	}
}

// fullCov sets the full covariances. It reads each row once for all
// components (rather than all rows once per component, as tiedCov's
// scatter does), accumulating Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ in the
// packed upper triangles of e.acc; every sum runs over the rows in
// increasing i, as in scatter, so the result is the same to the bit.
func (e *em) fullCov(m *Model) {
	k, d := m.K, m.Dim
	tri := d * (d + 1) / 2
	if len(e.acc) != k*tri {
		e.acc = make([]float64, k*tri)
	}
	acc := e.acc
	clear(acc)
	e.covSums(m.Means, acc, k)
	for c := range k {
		s := m.Covariances[c*d*d : (c+1)*d*d]
		p := 0
		for a := range d {
			for b := a; b < d; b++ {
				s[a*d+b] = acc[c*tri+p]
				p++
			}
		}
		finishCov(s, d, m.Weights[c], e.opt.RegCovar)
	}
}

// covSums adds Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ to the packed upper
// triangles in acc, by the vector kernel of mstepvec.go where the assembly
// runs (dim <= 7), else by an unrolled kernel of kernels_gen.go for dim
// 2..5 (unless e.plain) and by covSumsPlain otherwise; all give the same
// bits.
func (e *em) covSums(means, acc []float64, k int) {
	if e.useMVec() {
		e.covSumsVec(means, acc, k)
		return
	}
	if !e.plain {
		switch e.dim {
		case 2:
			e.covSums2(means, acc, k)
			return
		case 3:
			e.covSums3(means, acc, k)
			return
		case 4:
			e.covSums4(means, acc, k)
			return
		case 5:
			e.covSums5(means, acc, k)
			return
		}
	}
	e.covSumsPlain(means, acc, k)
}

// covSumsPlain is the reference covSums for any dim, over the rows in
// increasing i, skipping zero responsibilities.
func (e *em) covSumsPlain(means, acc []float64, k int) {
	d := e.dim
	tri := d * (d + 1) / 2
	diff := e.diff[:d]
	for i := range e.n {
		xi := e.x[i*d : i*d+d]
		for c, r := range e.resp[i*k : i*k+k] {
			if r == 0 {
				continue
			}
			mu := means[c*d : c*d+d]
			for j, v := range xi {
				diff[j] = v - mu[j]
			}
			rankUpdate(acc[c*tri:c*tri+tri], diff, r)
		}
	}
}

// rankUpdate adds r·diff diffᵀ to the upper triangle of a symmetric
// matrix packed by rows in acc, as (r·diff_a)·diff_b. The float64
// conversions forbid fused multiply-adds (see rowTriPlain).
func rankUpdate(acc, diff []float64, r float64) {
	for a := range diff {
		tail := diff[a:]
		ra := float64(r * tail[0])
		row := acc[:len(tail)]
		for b, db := range tail {
			row[b] += float64(ra * db)
		}
		acc = acc[len(tail):]
	}
}

func (e *em) tiedCov(m *Model) {
	s := m.Covariances
	clear(s)
	var w float64
	for c := range m.K {
		e.scatter(m, c, s)
		w += m.Weights[c]
	}
	finishCov(s, m.Dim, w, e.opt.RegCovar)
}

// diagCov sets the diag covariances, or their means over the dimensions for
// spherical ones.
func (e *em) diagCov(m *Model) {
	k, d := m.K, m.Dim
	for c := range k {
		mu := m.Means[c*d : c*d+d]
		v := e.y
		clear(v)
		for i := range e.n {
			r := e.resp[i*k+c]
			if r == 0 {
				continue
			}
			xi := e.x[i*d : i*d+d]
			for j := range d {
				t := xi[j] - mu[j]
				v[j] += float64(r * t * t)
			}
		}
		var mean float64
		for j := range d {
			v[j] = v[j]/m.Weights[c] + e.opt.RegCovar
			mean += v[j]
		}
		if m.Covariance == Diag {
			copy(m.Covariances[c*d:c*d+d], v)
		} else {
			m.Covariances[c] = mean / float64(d)
		}
	}
}
