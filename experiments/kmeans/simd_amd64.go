//go:build amd64 && !purego

package kmeans

import "golang.org/x/sys/cpu"

// Assembly in simd_amd64.s. Every argument is passed on its own, so go
// vet's asmdecl check ties the frame offsets the assembly reads to these
// declarations. The pointers must address at least the values the Go
// definitions (simd.go) read and write; the wrappers below check that
// with slice expressions, which panic when a slice is short.

//go:noescape
func boundsAVX512(xt *float64, stride int, labels *int, upper, lower *float64, n8 int,
	tables *float64, dim int, up, down, up2 float64, cand *int) int

//go:noescape
func nearestAVX512(xt *float64, stride int, idx *int, m int, centers *float64, k, dim int,
	best *int, r1, r2 *float64)

//go:noescape
func minDistAVX512(xt *float64, stride, n8 int, q *float64, dim int, closest, out *float64, lanes *[8]float64)

// hasAVX512 reports whether the CPU and the operating system support the
// instructions of simd_amd64.s: AVX-512F and POPCNT (golang.org/x/sys/cpu
// checks both).
func hasAVX512() bool { return cpu.X86.HasAVX512F && cpu.X86.HasPOPCNT }

// asmVecKernels returns the assembly kernels when the CPU has them.
func asmVecKernels() (vecKernels, bool) {
	if !hasAVX512() {
		return vecKernels{}, false
	}
	return vecKernels{bounds: boundsAsm, nearest: nearestAsm, minDist: minDistAsm}, true
}

// newBounds returns the AVX-512 vector passes for k clusters of points of
// dimension dim when the CPU has them and the tables fit (k <= 16,
// dim <= 5), else nil.
func newBounds(x []float64, dim, k int) *bounds {
	kern, ok := asmVecKernels()
	if k > simdMaxK || dim > simdMaxDim || !ok {
		return nil
	}
	return newBoundsTables(x, dim, kern)
}

// boundsAsm is boundsGeneric with boundsAVX512. The assembly stores a
// full vector of 8 indices into cand after each group of 8 points; the
// indices kept before the group starting at point i number at most i, so
// the stores stay below n8.
func boundsAsm(xt []float64, stride int, tables []float64, dim int,
	labels []int, upper, lower []float64, up, down, up2 float64, cand []int) int {
	n8 := len(labels)
	if n8%8 != 0 || dim < 1 || dim > simdMaxDim {
		panic("kmeans: boundsAsm: bad point count or dimension")
	}
	if n8 == 0 {
		return 0
	}
	_, _, _ = upper[:n8], lower[:n8], cand[:n8]
	_, _ = tables[:(3+dim)*simdMaxK], xt[:(dim-1)*stride+n8]
	return boundsAVX512(&xt[0], stride, &labels[0], &upper[0], &lower[0], n8,
		&tables[0], dim, up, down, up2, &cand[0])
}

// nearestAsm is nearestGeneric with nearestAVX512. The gathers read
// xt[d·stride + idx[t]], unchecked, so the indices are checked here.
func nearestAsm(xt []float64, stride int, idx []int, centers []float64, dim int, best []int, r1, r2 []float64) {
	m := len(idx)
	if m%8 != 0 || dim < 1 || dim > simdMaxDim {
		panic("kmeans: nearestAsm: bad index count or dimension")
	}
	k := len(centers) / dim
	if m == 0 || k == 0 {
		return
	}
	_, _, _ = best[:m], r1[:m], r2[:m]
	_ = xt[:dim*stride]
	for _, i := range idx {
		if uint(i) >= uint(stride) {
			panic("kmeans: nearestAsm: point index out of range")
		}
	}
	nearestAVX512(&xt[0], stride, &idx[0], m, &centers[0], k, dim, &best[0], &r1[0], &r2[0])
}

// minDistAsm is minDistGeneric with minDistAVX512.
func minDistAsm(xt []float64, stride int, q, closest, out []float64, lanes *[8]float64) {
	n8, dim := len(out), len(q)
	if n8%8 != 0 || dim < 1 {
		panic("kmeans: minDistAsm: bad point count or dimension")
	}
	if n8 == 0 {
		*lanes = [8]float64{}
		return
	}
	_ = closest[:n8]
	_ = xt[:(dim-1)*stride+n8]
	minDistAVX512(&xt[0], stride, n8, &q[0], dim, &closest[0], &out[0], lanes)
}
