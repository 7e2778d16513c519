package gmm

import "math"

// The vector E-step (full and tied covariances) works on the rows stored
// coordinate by coordinate, 8 rows at a time: row a of xt holds
// coordinate a of every row, padded with zeros to n8 = n rounded up to a
// multiple of 8, and built once per Fit (the data do not change across
// iterations). It has two kernels:
//
//   - colTri: w_ic = konst_c − ½q_ic for one component c and every row,
//     with q = ‖(x_i − μ_c)ᵀP_c‖² summed as rowTriPlain sums it;
//   - expShift: z_ic = exp(w_ic − m_i) for every component, in place, and
//     s_i = Σ_c z_ic summed in increasing c.
//
// Each has one arithmetic definition, written out below in Go (colTriGo,
// expShiftGo), and an AVX-512 version on amd64 (estepvec_amd64.s) in which
// every lane performs the same operations in the same order, without
// fused multiply-adds where the Go code has none, and with exactly the
// instruction sequence of math.Exp on amd64 (math/exp_amd64.s, its FMA
// branch, which runs on every CPU with AVX-512) for the exponential; the
// two agree bit for bit (estepvec_test.go). estepVec then gives the
// responsibilities and lower bound of estep to the bit.

// vecKernels is an implementation of the two kernels: the assembly
// (estepvec_amd64.go) or the Go definitions (goVecKernels).
type vecKernels struct {
	// colTri is colTriGo; len(out) must be a multiple of 8.
	colTri func(xt []float64, mu, p []float64, kc float64, out []float64)
	// expShift is expShiftGo; len(mx) must be a multiple of 8.
	expShift func(w []float64, k int, mx, s []float64)
}

// goVecKernels are the Go definitions.
func goVecKernels() vecKernels { return vecKernels{colTri: colTriGo, expShift: expShiftGo} }

// colTriGo sets out[i] = kc − ½q_i for i < n8 = len(out), where, with
// t_a = xt[a·n8+i] − mu[a] and the upper triangle of P packed by columns
// in p, y_b = t_0 p_0b + … + t_b p_bb and q = 0 + y_0² + … + y_{d−1}²,
// every product rounded on its own (the float64 conversions forbid fused
// multiply-adds).
func colTriGo(xt []float64, mu, p []float64, kc float64, out []float64) {
	n8, d := len(out), len(mu)
	for i := range out {
		var q float64
		o := 0
		for b := range d {
			y := float64((xt[i] - mu[0]) * p[o])
			for a := 1; a <= b; a++ {
				y += float64((xt[a*n8+i] - mu[a]) * p[o+a])
			}
			q += float64(y * y)
			o += b + 1
		}
		out[i] = kc - float64(0.5*q)
	}
}

// expShiftGo replaces w[c·n8+i] by z = exp(w[c·n8+i] − mx[i]) for c < k and
// i < n8 = len(mx), and sets s[i] = 0 + z_0i + … + z_(k−1)i.
func expShiftGo(w []float64, k int, mx, s []float64) {
	n8 := len(mx)
	for i, m := range mx {
		var sum float64
		for c := range k {
			z := math.Exp(w[c*n8+i] - m)
			w[c*n8+i] = z
			sum += z
		}
		s[i] = sum
	}
}

// vecBufs are the buffers of estepVec: the transposed rows and per
// component the w and then z of every row, with the row maxima and sums.
type vecBufs struct {
	n8     int
	xt     []float64 // dim·n8
	wt     []float64 // K·n8
	mx, sv []float64 // n8
}

// estepVec is estep for full and tied covariances with the kernels kern:
// the same responsibilities and lower bound, to the bit, for data
// without NaN (with a NaN, both return a NaN lower bound, and Fit fails).
func (e *em) estepVec(m *Model, kern vecKernels) float64 {
	e.sc.plain = false
	e.sc.set(m)
	k, d, n := m.K, m.Dim, e.n
	v := &e.vec
	if v.xt == nil {
		v.n8 = (n + 7) &^ 7
		v.xt = make([]float64, d*v.n8)
		for i := range n {
			for a := range d {
				v.xt[a*v.n8+i] = e.x[i*d+a]
			}
		}
		v.mx, v.sv = make([]float64, v.n8), make([]float64, v.n8)
	}
	n8 := v.n8
	if len(v.wt) != k*n8 {
		v.wt = make([]float64, k*n8)
	}
	s := &e.sc
	step := s.tri
	if m.Covariance == Tied {
		step = 0
	}
	for c := range k {
		kern.colTri(v.xt, s.means[c*d:c*d+d], s.pc[c*step:c*step+s.tri], s.konst[c], v.wt[c*n8:c*n8+n8])
	}
	for i := range n {
		mx := math.Inf(-1)
		for c := range k {
			mx = max(mx, v.wt[c*n8+i])
		}
		if math.IsInf(mx, 0) {
			mx = 0
		}
		v.mx[i] = mx
	}
	kern.expShift(v.wt, k, v.mx, v.sv)
	var sum float64
	for i := range n {
		sv := v.sv[i]
		sum += math.Log(sv) + v.mx[i]
		inv := 1 / sv
		row := e.resp[i*k : i*k+k]
		for c := range row {
			row[c] = v.wt[c*n8+i] * inv
		}
	}
	return sum / float64(n)
}
