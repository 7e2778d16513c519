package gmm

// The vector M-step sums lay the values of one row out across the lanes
// of one or more 8-lane vectors and keep the order of the rows: every
// accumulator still adds its terms in increasing row order, so the sums
// equal sumsPlain's and covSumsPlain's to the bit. It reads the rows from
// xp, a copy with each row padded to 8 values (x_0 … x_(d−1), 1, 0 …),
// built once per Fit, for dim <= 7. There are two kernels:
//
//   - sums: acc[c·8+j] += r_ic·xp_ij for every row i and component c
//     with r_ic ≠ 0, which is s_c in lanes j < d and n_c in lane d
//     (r·1 = r);
//   - covSums: with t = xp_i − μ_c (means8: the means padded to 8 lanes)
//     and u = r_ic·t, acc[c·8nv+e] += u_A[e]·t_B[e] for the entries e of
//     the packed upper triangle, (A[e], B[e]) = (a, b), nv vectors of 8.
//
// Each has a Go definition below (sumsVecGo, covSumsVecGo) and an
// AVX-512 version on amd64 (mstepvec_amd64.s) that does the same
// operations in the same order; the two agree bit for bit
// (mstepvec_test.go).

// mKernels is an implementation of the two kernels.
type mKernels struct {
	// sums is sumsVecGo.
	sums func(xp, resp []float64, k int, acc []float64)
	// covSums is covSumsVecGo.
	covSums func(xp, resp []float64, k int, means8 []float64, idx []int64, acc []float64)
}

// goMKernels are the Go definitions.
func goMKernels() mKernels { return mKernels{sums: sumsVecGo, covSums: covSumsVecGo} }

// mVecMaxDim is the largest dim of the vector M-step: a padded row holds
// the dim values and a 1 in 8 lanes.
const mVecMaxDim = 7

// sumsVecGo adds r_ic·xp_il to acc[c·8+l] for l < 8 over the rows i of xp
// in increasing order, skipping r_ic = 0.
func sumsVecGo(xp, resp []float64, k int, acc []float64) {
	for i := range len(xp) / 8 {
		row := xp[i*8 : i*8+8]
		for c, r := range resp[i*k : i*k+k] {
			if r == 0 {
				continue
			}
			a := acc[c*8 : c*8+8]
			for l, v := range row {
				a[l] += float64(r * v)
			}
		}
	}
}

// covSumsVecGo adds (r_ic·t_A[e])·t_B[e] to acc[c·8nv+e], t = xp_i − μ_c,
// for e < 8nv (nv = len(idx)/16; A = idx[:8nv], B = idx[8nv:]) over the
// rows i of xp in increasing order, skipping r_ic = 0.
func covSumsVecGo(xp, resp []float64, k int, means8 []float64, idx []int64, acc []float64) {
	m := len(idx) / 2
	ia, ib := idx[:m], idx[m:]
	var t, u [8]float64
	for i := range len(xp) / 8 {
		row := xp[i*8 : i*8+8]
		for c, r := range resp[i*k : i*k+k] {
			if r == 0 {
				continue
			}
			mu := means8[c*8 : c*8+8]
			for l := range t {
				t[l] = row[l] - mu[l]
				u[l] = float64(r * t[l])
			}
			a := acc[c*m : c*m+m]
			for e := range a {
				a[e] += float64(u[ia[e]] * t[ib[e]])
			}
		}
	}
}

// mVecBufs are the buffers of the vector M-step.
type mVecBufs struct {
	xp     []float64 // n·8
	acc    []float64 // K·8 (sums) or K·8nv (covSums)
	means8 []float64 // K·8
	idx    []int64   // 16nv
}

// useMVec reports whether the vector M-step runs.
func (e *em) useMVec() bool {
	if !e.hasMKern || e.plain || e.dim > mVecMaxDim {
		return false
	}
	if e.mvec.xp == nil {
		d := e.dim
		e.mvec.xp = make([]float64, e.n*8)
		for i := range e.n {
			copy(e.mvec.xp[i*8:], e.x[i*d:i*d+d])
			e.mvec.xp[i*8+d] = 1
		}
	}
	return true
}

// sumsVec is sums with the kernel e.mkern.sums.
func (e *em) sumsVec(nk, mu []float64) {
	k, d := len(nk), e.dim
	acc := e.mvecAcc(k * 8)
	for c := range k {
		copy(acc[c*8:c*8+d], mu[c*d:c*d+d])
		acc[c*8+d] = nk[c]
	}
	e.mkern.sums(e.mvec.xp, e.resp[:e.n*k], k, acc)
	for c := range k {
		copy(mu[c*d:c*d+d], acc[c*8:c*8+d])
		nk[c] = acc[c*8+d]
	}
}

// covSumsVec is covSums with the kernel e.mkern.covSums.
func (e *em) covSumsVec(means, acc []float64, k int) {
	d := e.dim
	tri := d * (d + 1) / 2
	m := (tri + 7) &^ 7
	v := &e.mvec
	if len(v.idx) != 2*m {
		v.idx = make([]int64, 2*m)
		o := 0
		for a := range d {
			for b := a; b < d; b++ {
				v.idx[o], v.idx[m+o] = int64(a), int64(b)
				o++
			}
		}
	}
	if len(v.means8) != k*8 {
		v.means8 = make([]float64, k*8)
	}
	for c := range k {
		copy(v.means8[c*8:c*8+d], means[c*d:c*d+d])
	}
	av := e.mvecAcc(k * m)
	for c := range k {
		copy(av[c*m:c*m+tri], acc[c*tri:c*tri+tri])
	}
	e.mkern.covSums(v.xp, e.resp[:e.n*k], k, v.means8, v.idx, av)
	for c := range k {
		copy(acc[c*tri:c*tri+tri], av[c*m:c*m+tri])
	}
}

// mvecAcc returns the cleared accumulator buffer of n values.
func (e *em) mvecAcc(n int) []float64 {
	if cap(e.mvec.acc) < n {
		e.mvec.acc = make([]float64, n)
	}
	a := e.mvec.acc[:n]
	clear(a)
	return a
}
