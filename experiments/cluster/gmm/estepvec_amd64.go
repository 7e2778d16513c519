//go:build amd64 && !purego

package gmm

import "golang.org/x/sys/cpu"

// Assembly in estepvec_amd64.s. Every argument is passed on its own, so
// go vet's asmdecl check ties the frame offsets the assembly reads to
// these declarations. The wrappers below check with slice expressions,
// which panic when a slice is short, that the pointers address at least
// the values the Go definitions (estepvec.go) read and write.

//go:noescape
func colTriAVX512(xt *float64, n8 int, mu *float64, d int, p *float64, kc float64, out *float64)

//go:noescape
func expShiftAVX512(w *float64, k int, mx *float64, n8 int, s *float64)

// asmVecKernels returns the assembly kernels when the CPU and the
// operating system support AVX-512F (which implies FMA, so math.Exp runs
// its FMA branch, the one expShiftAVX512 reproduces).
func asmVecKernels() (vecKernels, bool) {
	if !cpu.X86.HasAVX512F || !cpu.X86.HasFMA || !cpu.X86.HasAVX {
		return vecKernels{}, false
	}
	return vecKernels{colTri: colTriAsm, expShift: expShiftAsm}, true
}

// colTriAsm is colTriGo with colTriAVX512.
func colTriAsm(xt []float64, mu, p []float64, kc float64, out []float64) {
	n8, d := len(out), len(mu)
	if n8%8 != 0 || d < 1 {
		panic("gmm: colTriAsm: bad row count or dimension")
	}
	if n8 == 0 {
		return
	}
	_, _ = xt[:d*n8], p[:d*(d+1)/2]
	colTriAVX512(&xt[0], n8, &mu[0], d, &p[0], kc, &out[0])
}

// expShiftAsm is expShiftGo with expShiftAVX512.
func expShiftAsm(w []float64, k int, mx, s []float64) {
	n8 := len(mx)
	if n8%8 != 0 || k < 1 {
		panic("gmm: expShiftAsm: bad row or component count")
	}
	if n8 == 0 {
		return
	}
	_, _ = w[:k*n8], s[:n8]
	expShiftAVX512(&w[0], k, &mx[0], n8, &s[0])
}

//go:noescape
func sumsAVX512(xp, resp *float64, n, k int, acc *float64)

//go:noescape
func covSumsAVX512(xp, resp *float64, n, k int, means8 *float64, idx *int64, nv int, acc *float64)

// asmMKernels returns the assembly M-step kernels when the CPU and the
// operating system support AVX-512F.
func asmMKernels() (mKernels, bool) {
	if !cpu.X86.HasAVX512F {
		return mKernels{}, false
	}
	return mKernels{sums: sumsAsm, covSums: covSumsAsm}, true
}

// sumsAsm is sumsVecGo with sumsAVX512.
func sumsAsm(xp, resp []float64, k int, acc []float64) {
	n := len(xp) / 8
	if len(xp)%8 != 0 || k < 1 {
		panic("gmm: sumsAsm: bad row or component count")
	}
	if n == 0 {
		return
	}
	_, _ = resp[:n*k], acc[:k*8]
	sumsAVX512(&xp[0], &resp[0], n, k, &acc[0])
}

// covSumsAsm is covSumsVecGo with covSumsAVX512. The permutations read
// lanes idx[e] of 8, unchecked, so the indices are checked here.
func covSumsAsm(xp, resp []float64, k int, means8 []float64, idx []int64, acc []float64) {
	n, nv := len(xp)/8, len(idx)/16
	if len(xp)%8 != 0 || k < 1 || nv < 1 || len(idx) != 16*nv {
		panic("gmm: covSumsAsm: bad row, component or index count")
	}
	for _, v := range idx {
		if uint64(v) >= 8 {
			panic("gmm: covSumsAsm: lane index out of range")
		}
	}
	if n == 0 {
		return
	}
	_, _, _ = resp[:n*k], means8[:k*8], acc[:k*8*nv]
	covSumsAVX512(&xp[0], &resp[0], n, k, &means8[0], &idx[0], nv, &acc[0])
}
