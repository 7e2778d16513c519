package kmeans

import "math"

// The vector passes of Hamerly's algorithm work on the points stored
// coordinate by coordinate (row d of xt holds coordinate d of every point,
// stride values apart) and on per-cluster tables of 16 entries, 8 points at
// a time. There are three kernels:
//
//   - bounds: passes 1 and 2 of assignHamerly (loosen, then tighten the
//     points that fail the first test) for the points [0, len(labels));
//   - nearest: the nearest and second nearest centres of the points idx;
//   - minDist: the k-means++ potentials min(closest, d²(x_i, q)), summed
//     in 8 lanes.
//
// Every kernel has one arithmetic definition, written out below in Go
// (boundsGeneric, nearestGeneric, minDistGeneric), and an AVX-512 version
// on amd64 (simd_amd64.s) that performs the same operations in the same
// order; the two agree bit for bit (simd_test.go). The definitions in turn
// equal the scalar passes of kmeans.go (loosen, tighten, nearest,
// minDistLanes) for non-negative, finite bounds, so a fit gives the same
// result with and without the vector passes. Squared distances are summed
// over the coordinates in order, each product rounded on its own (the
// float64 conversions forbid fused multiply-adds), and compared and
// combined with the semantics of the x86 MINPD, MAXPD and ordered CMPPD
// instructions (minpd, maxpd, and Go's comparison operators).
//
// The assembly pays: on the k-means cells of one fold of
// configs/fer2013.yaml (BenchmarkFitGrid, 3,063 points, 2-5 dimensions,
// k = 5..15, NInit 10) a fit with it takes 0.39 s against 1.34 s with the
// scalar passes, 3.4x (medians of 5 interleaved runs on a shared 2-core
// AMD EPYC; bench/kernels.md).

// simdMaxK is the largest cluster count of the vector passes: their
// per-cluster tables are two 8-lane registers of 16 values each.
// simdMaxDim is the largest dimension: the nearest-centre pass holds a
// point's coordinates in 5 registers.
const (
	simdMaxK   = 16
	simdMaxDim = 5
)

// vecKernels is an implementation of the three vector kernels: the
// assembly (simd_amd64.go) or the Go definitions (genericVecKernels). The
// slices must be long enough for what the definitions read and write.
type vecKernels struct {
	// bounds is boundsGeneric; len(labels) must be a multiple of 8.
	bounds func(xt []float64, stride int, tables []float64, dim int,
		labels []int, upper, lower []float64, up, down, up2 float64, cand []int) int
	// nearest is nearestGeneric; len(idx) must be a multiple of 8.
	nearest func(xt []float64, stride int, idx []int, centers []float64, dim int, best []int, r1, r2 []float64)
	// minDist is minDistGeneric; len(out) must be a multiple of 8.
	minDist func(xt []float64, stride int, q, closest, out []float64, lanes *[8]float64)
}

// genericVecKernels are the Go definitions.
func genericVecKernels() vecKernels {
	return vecKernels{bounds: boundsGeneric, nearest: nearestGeneric, minDist: minDistGeneric}
}

// maxpd is x86 MAXPD on one lane: a when a > b, else b (so b when either
// is NaN or both are zeros).
func maxpd(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// minpd is x86 MINPD on one lane: a when a < b, else b.
func minpd(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

// boundsGeneric is passes 1 and 2 of assignHamerly for the points
// i < len(labels). The tables hold shift[16], far[16], half[16] (see
// state), then per coordinate d the centres' coordinates c_d[16]; the
// labels must be < 16. With a = labels[i] it sets
//
//	u = (upper[i] + shift[a]) · up
//	l = maxpd(lower[i]·down − far[a]·up, 0)
//
// and stores l in lower[i]. Where the first test u·up >= half[a] and
// u·up >= l fails it stores u in upper[i]; where it holds, it computes
// du = Σ_d (xt[d·stride+i] − c_d[a])² and stores √du in upper[i], and
// where moreover du·up2 >= half[a]² and du·up2 >= l², it appends i to
// cand. It returns the number of indices appended, in increasing order.
// These are loosen and tighten's operations, lane by lane.
func boundsGeneric(xt []float64, stride int, tables []float64, dim int,
	labels []int, upper, lower []float64, up, down, up2 float64, cand []int) int {
	shift, far, half := tables[0:16], tables[16:32], tables[32:48]
	upper, lower = upper[:len(labels)], lower[:len(labels)]
	nc := 0
	for i, a := range labels {
		u := (upper[i] + shift[a]) * up
		l := maxpd(float64(lower[i]*down)-float64(far[a]*up), 0)
		lower[i] = l
		h, t := half[a], u*up
		if !(t >= h && t >= l) {
			upper[i] = u
			continue
		}
		var du float64
		for d := range dim {
			e := xt[d*stride+i] - tables[(3+d)*16+a]
			if d == 0 {
				du = float64(e * e)
			} else {
				du += float64(e * e)
			}
		}
		upper[i] = math.Sqrt(du)
		t2 := du * up2
		if t2 >= h*h && t2 >= l*l {
			cand[nc] = i
			nc++
		}
	}
	return nc
}

// nearestGeneric sets, for the points i = idx[t] and k = len(centers)/dim
// centres (rows of dim values), best[t] to the nearest centre, the lowest
// index on ties, and r1[t] and r2[t] to the square roots of the squared
// distances to it and to the second nearest (+Inf when k = 1). For every
// centre j in order it sums the squared distance d over the coordinates in
// order and updates best = j where d < d1, then d2 = minpd(d2, maxpd(d, d1))
// and d1 = minpd(d1, d), from d1 = d2 = +Inf: nearest's updates.
func nearestGeneric(xt []float64, stride int, idx []int, centers []float64, dim int, best []int, r1, r2 []float64) {
	k := len(centers) / dim
	best, r1, r2 = best[:len(idx)], r1[:len(idx)], r2[:len(idx)]
	var p [simdMaxDim]float64
	for t, i := range idx {
		for d := range dim {
			p[d] = xt[d*stride+i]
		}
		d1, d2, b := math.Inf(1), math.Inf(1), 0
		for j := range k {
			c := centers[j*dim : j*dim+dim]
			var dd float64
			for d := range dim {
				e := p[d] - c[d]
				if d == 0 {
					dd = float64(e * e)
				} else {
					dd += float64(e * e)
				}
			}
			if dd < d1 {
				b = j
			}
			d2 = minpd(d2, maxpd(dd, d1))
			d1 = minpd(d1, dd)
		}
		best[t], r1[t], r2[t] = b, math.Sqrt(d1), math.Sqrt(d2)
	}
}

// minDistGeneric is minDistLanes for the points i < len(out) from lane
// sums of zero: out[i] = minpd(d²(x_i, q), closest[i]), the squared
// distance summed over the coordinates in order, and lanes[t] is set to
// the sum of the out[i] with i mod 8 = t, in increasing i.
func minDistGeneric(xt []float64, stride int, q, closest, out []float64, lanes *[8]float64) {
	closest = closest[:len(out)]
	*lanes = [8]float64{}
	for i := range out {
		var dd float64
		for d, v := range q {
			e := xt[d*stride+i] - v
			if d == 0 {
				dd = float64(e * e)
			} else {
				dd += float64(e * e)
			}
		}
		dd = minpd(dd, closest[i])
		out[i] = dd
		lanes[i&7] += dd
	}
}

// bounds holds what the vector passes read besides the state: the points
// stored coordinate by coordinate and the per-cluster tables.
type bounds struct {
	kern   vecKernels
	xt     []float64 // dim x stride
	stride int
	tables []float64 // 3*16 + dim*16: shift, far, half, then the centres by coordinate
	all    []int     // 0, 1, ..., n-1, then n-1 up to a multiple of 8
	// Results of nearest, by position in its index list: the nearest
	// centre, the distance to it and to the second nearest.
	best   []int
	r1, r2 []float64
	// lanes receives minDist's lane sums: the kernels are called through
	// func values, so a caller's array passed to them would escape to the
	// heap on every call.
	lanes [8]float64
}

// newBoundsTables returns the vector passes for the n = len(x)/dim points
// of x with the kernels kern.
func newBoundsTables(x []float64, dim int, kern vecKernels) *bounds {
	n := len(x) / dim
	m := (n + 7) &^ 7
	b := &bounds{kern: kern, stride: n, xt: make([]float64, dim*n), tables: make([]float64, (3+dim)*simdMaxK),
		all: make([]int, m), best: make([]int, m), r1: make([]float64, m), r2: make([]float64, m)}
	for i := range b.all {
		b.all[i] = min(i, n-1)
	}
	for i := range n {
		for d := range dim {
			b.xt[d*n+i] = x[i*dim+d]
		}
	}
	return b
}

// fill copies the shifts, the largest other shifts, the (shrunk) half
// distances and the centres into the tables.
func (b *bounds) fill(s *state) {
	t := b.tables
	copy(t[0:], s.shift)
	copy(t[simdMaxK:], s.far)
	copy(t[2*simdMaxK:], s.half)
	for j := range s.k {
		for d := range s.dim {
			t[(3+d)*simdMaxK+j] = s.centers[j*s.dim+d]
		}
	}
}

// run is the bound pass of assignHamerly on points [0, n8), n8 the largest
// multiple of 8 <= n: see boundsGeneric, which the kernel equals. It
// appends the points to tighten to s.cand and returns their number.
func (b *bounds) run(s *state, up, down, up2 float64) int {
	n8 := s.n &^ 7
	if n8 == 0 {
		return 0
	}
	b.fill(s)
	return b.kern.bounds(b.xt, b.stride, b.tables, s.dim, s.labels[:n8], s.upper, s.lower, up, down, up2, s.cand)
}

// nearest sets b.best[t] to the nearest centre of x_i for i = idx[t], and
// b.r1[t] and b.r2[t] to the square roots of the squared distances to it
// and to the second nearest, as nearest(x_i, centres) and math.Sqrt give
// them, for t < len(idx); len(idx) must be a multiple of 8.
func (b *bounds) nearest(s *state, idx []int) {
	b.kern.nearest(b.xt, b.stride, idx, s.centers, s.dim, b.best, b.r1, b.r2)
}

// minDist is minDistLanes for the points [0, n8), n8 the largest multiple
// of 8 <= n, which it returns.
func (b *bounds) minDist(q, closest, out []float64, lanes *[8]float64) int {
	n8 := b.stride &^ 7
	b.kern.minDist(b.xt, b.stride, q, closest, out[:n8], &b.lanes)
	*lanes = b.lanes
	return n8
}
