//go:build amd64 && !purego

package kmeans

import "golang.org/x/sys/cpu"

// boundsArgs are the arguments of boundsAVX512 (simd_amd64.s reads the
// fields at these offsets: 8 bytes each, in order).
type boundsArgs struct {
	xt     *float64 // points, one row of stride values per coordinate
	stride int
	labels *int
	upper  *float64
	lower  *float64
	n8     int      // points processed: a multiple of 8
	tables *float64 // shift[16], far[16], half[16], then per coordinate d the centres' c_d[16]
	dim    int
	up     float64
	down   float64
	up2    float64
	cand   *int // n8 + 8 values: a full vector is stored past the last index kept
}

//go:noescape
func boundsAVX512(a *boundsArgs) int

// nearestArgs are the arguments of nearestAVX512, 8 bytes each, in order.
type nearestArgs struct {
	xt      *float64
	stride  int
	idx     *int // m point indices
	m       int  // a multiple of 8
	centers *float64
	k, dim  int
	best    *int     // m results
	r1, r2  *float64 // m results each
}

//go:noescape
func nearestAVX512(a *nearestArgs)

// minDistArgs are the arguments of minDistAVX512, 8 bytes each, in order.
type minDistArgs struct {
	xt      *float64
	stride  int
	n8      int // a multiple of 8
	q       *float64
	dim     int
	closest *float64
	out     *float64
	lanes   *[8]float64
}

//go:noescape
func minDistAVX512(a *minDistArgs)

// newBounds returns the AVX-512 bound pass for k clusters of points of
// dimension dim when the CPU and the operating system have AVX-512F and
// POPCNT (golang.org/x/sys/cpu checks both) and the tables fit (k <= 16,
// dim <= 5), else nil.
func newBounds(x []float64, dim, k int) *bounds {
	if k > simdMaxK || dim > simdMaxDim || !cpu.X86.HasAVX512F || !cpu.X86.HasPOPCNT {
		return nil
	}
	return newBoundsTables(x, dim)
}

// run is the bound pass of assignHamerly on points [0, n8), n8 the largest
// multiple of 8 <= n: see boundsGeneric, which it equals.
func (b *bounds) run(s *state, up, down, up2 float64) int {
	n8 := s.n &^ 7
	if n8 == 0 {
		return 0
	}
	b.fill(s)
	return boundsAVX512(&boundsArgs{
		xt: &b.xt[0], stride: b.stride, labels: &s.labels[0], upper: &s.upper[0], lower: &s.lower[0],
		n8: n8, tables: &b.tables[0], dim: s.dim, up: up, down: down, up2: up2, cand: &s.cand[0],
	})
}

// nearest sets b.best[t] to the nearest centre of x_i for i = idx[t], and
// b.r1[t] and b.r2[t] to the square roots of the squared distances to it
// and to the second nearest, as nearest(x_i, centres) and math.Sqrt give
// them, for t < len(idx); len(idx) must be a multiple of 8.
func (b *bounds) nearest(s *state, idx []int) {
	if len(idx) == 0 {
		return
	}
	_, _, _ = b.best[len(idx)-1], b.r1[len(idx)-1], b.r2[len(idx)-1]
	nearestAVX512(&nearestArgs{
		xt: &b.xt[0], stride: b.stride, idx: &idx[0], m: len(idx), centers: &s.centers[0],
		k: s.k, dim: s.dim, best: &b.best[0], r1: &b.r1[0], r2: &b.r2[0],
	})
}

// minDist is minDistLanes for the points [0, n8), n8 the largest multiple
// of 8 <= n, which it returns.
func (b *bounds) minDist(q, closest, out []float64, lanes *[8]float64) int {
	n8 := b.stride &^ 7
	if n8 == 0 {
		return 0
	}
	_, _, _ = q[len(q)-1], closest[n8-1], out[n8-1]
	minDistAVX512(&minDistArgs{xt: &b.xt[0], stride: b.stride, n8: n8, q: &q[0], dim: len(q),
		closest: &closest[0], out: &out[0], lanes: lanes})
	return n8
}
