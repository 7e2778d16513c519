package kmeans

import "math"

// The distance kernels below are specialised for the small dimensions used
// after PCA (2 to 5) and fall back to a generic loop otherwise. Every path
// computes the squared Euclidean distance
//
//	d²(p, q) = Σ_{d=0}^{dim-1} (p_d - q_d)²
//
// accumulating left to right with each product rounded on its own (the
// explicit float64 conversions forbid fused multiply-add, see the Go
// specification, "Arithmetic operators"), so that every path, and therefore
// plain Lloyd and Hamerly's algorithm, sees bit-identical distances.

// sqDist returns d²(p, q) for len(p) == len(q).
func sqDist(p, q []float64) float64 {
	switch len(p) {
	case 2:
		return sqDist2(p, q)
	case 3:
		return sqDist3(p, q)
	case 4:
		return sqDist4(p, q)
	case 5:
		return sqDist5(p, q)
	}
	q = q[:len(p)]
	var s float64
	for d, v := range p {
		t := v - q[d]
		s += float64(t * t)
	}
	return s
}

// sqDist2 to sqDist5 are sqDist for len(p) = 2, ..., 5; all but sqDist5 are
// small enough to be inlined.

func sqDist2(p, q []float64) float64 {
	p, q = p[:2], q[:2]
	t0, t1 := p[0]-q[0], p[1]-q[1]
	return float64(t0*t0) + float64(t1*t1)
}

func sqDist3(p, q []float64) float64 {
	p, q = p[:3], q[:3]
	t0, t1, t2 := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	return float64(t0*t0) + float64(t1*t1) + float64(t2*t2)
}

func sqDist4(p, q []float64) float64 {
	p, q = p[:4], q[:4]
	t0, t1, t2, t3 := p[0]-q[0], p[1]-q[1], p[2]-q[2], p[3]-q[3]
	return float64(t0*t0) + float64(t1*t1) + float64(t2*t2) + float64(t3*t3)
}

func sqDist5(p, q []float64) float64 {
	p, q = p[:5], q[:5]
	t0, t1, t2, t3, t4 := p[0]-q[0], p[1]-q[1], p[2]-q[2], p[3]-q[3], p[4]-q[4]
	return float64(t0*t0) + float64(t1*t1) + float64(t2*t2) + float64(t3*t3) + float64(t4*t4)
}

// nearest returns the index j of the row of c (rows of len(p)) that minimises
// d²(p, c_j), the lowest such index on ties, together with that squared
// distance and the second smallest squared distance over the other rows
// (+Inf when c has a single row; equal to the smallest on ties).
//
// Near cluster boundaries, where Hamerly's algorithm calls it, comparisons
// are unpredictable, so the running minimum d1 and second minimum d2 are
// updated without branches: d2 ← min(d2, max(d1, d)), d1 ← min(d1, d). The
// distances are non-negative, and for non-negative IEEE 754 doubles the
// order of the bit patterns as unsigned integers is the numeric order, so
// the updates run on the bit patterns (conditional moves) rather than on
// floats, whose min and max must also handle NaN and signed zeros.
func nearest(p, c []float64) (best int, d1, d2 float64) {
	b1, b2 := math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(1))
	j := 0
	switch len(p) {
	case 2:
		x0, x1 := p[0], p[1]
		for ; len(c) >= 2; c = c[2:] {
			t0, t1 := x0-c[0], x1-c[1]
			d := math.Float64bits(float64(t0*t0) + float64(t1*t1))
			if d < b1 {
				best = j
			}
			b2 = min(b2, max(b1, d))
			b1 = min(b1, d)
			j++
		}
	case 3:
		x0, x1, x2 := p[0], p[1], p[2]
		for ; len(c) >= 3; c = c[3:] {
			t0, t1, t2 := x0-c[0], x1-c[1], x2-c[2]
			d := math.Float64bits(float64(t0*t0) + float64(t1*t1) + float64(t2*t2))
			if d < b1 {
				best = j
			}
			b2 = min(b2, max(b1, d))
			b1 = min(b1, d)
			j++
		}
	case 4:
		x0, x1, x2, x3 := p[0], p[1], p[2], p[3]
		for ; len(c) >= 4; c = c[4:] {
			t0, t1, t2, t3 := x0-c[0], x1-c[1], x2-c[2], x3-c[3]
			d := math.Float64bits(float64(t0*t0) + float64(t1*t1) + float64(t2*t2) + float64(t3*t3))
			if d < b1 {
				best = j
			}
			b2 = min(b2, max(b1, d))
			b1 = min(b1, d)
			j++
		}
	case 5:
		x0, x1, x2, x3, x4 := p[0], p[1], p[2], p[3], p[4]
		for ; len(c) >= 5; c = c[5:] {
			t0, t1, t2, t3, t4 := x0-c[0], x1-c[1], x2-c[2], x3-c[3], x4-c[4]
			d := math.Float64bits(float64(t0*t0) + float64(t1*t1) + float64(t2*t2) + float64(t3*t3) + float64(t4*t4))
			if d < b1 {
				best = j
			}
			b2 = min(b2, max(b1, d))
			b1 = min(b1, d)
			j++
		}
	default:
		dim := len(p)
		for ; len(c) >= dim; c = c[dim:] {
			d := math.Float64bits(sqDist(p, c[:dim]))
			if d < b1 {
				best = j
			}
			b2 = min(b2, max(b1, d))
			b1 = min(b1, d)
			j++
		}
	}
	return best, math.Float64frombits(b1), math.Float64frombits(b2)
}

// minDist sets out[i] = min(closest[i], d²(x_i, q)) for every row x_i of x
// (rows of len(q)) and returns Σ_i out[i], summed in 8 lanes: lane t adds
// the out[i] with i mod 8 = t in row order, and the lanes are combined as
// ((s0+s4) + (s2+s6)) + ((s1+s5) + (s3+s7)) (hsum8), the order of the
// vector version (simd_amd64.s), which gives the same sum to the bit.
func minDist(x, q, closest, out []float64) float64 {
	var lanes [8]float64
	minDistLanes(x, q, closest, out, 0, &lanes)
	return hsum8(&lanes)
}

// hsum8 returns ((s0+s4) + (s2+s6)) + ((s1+s5) + (s3+s7)): the halves of
// an 8-lane register added, then the halves of the result, then its two
// lanes.
func hsum8(s *[8]float64) float64 {
	return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))
}

// minDistLanes is minDist for the rows from, from+1, ... of x, adding
// out[i] to lanes[i mod 8].
func minDistLanes(x, q, closest, out []float64, from int, lanes *[8]float64) {
	switch len(q) {
	case 2:
		q0, q1 := q[0], q[1]
		for i := from; i < len(out); i++ {
			p := x[2*i : 2*i+2]
			t0, t1 := p[0]-q0, p[1]-q1
			d := float64(t0*t0) + float64(t1*t1)
			d = min(d, closest[i])
			out[i] = d
			lanes[i&7] += d
		}
	case 3:
		q0, q1, q2 := q[0], q[1], q[2]
		for i := from; i < len(out); i++ {
			p := x[3*i : 3*i+3]
			t0, t1, t2 := p[0]-q0, p[1]-q1, p[2]-q2
			d := float64(t0*t0) + float64(t1*t1) + float64(t2*t2)
			d = min(d, closest[i])
			out[i] = d
			lanes[i&7] += d
		}
	case 4:
		q0, q1, q2, q3 := q[0], q[1], q[2], q[3]
		for i := from; i < len(out); i++ {
			p := x[4*i : 4*i+4]
			t0, t1, t2, t3 := p[0]-q0, p[1]-q1, p[2]-q2, p[3]-q3
			d := float64(t0*t0) + float64(t1*t1) + float64(t2*t2) + float64(t3*t3)
			d = min(d, closest[i])
			out[i] = d
			lanes[i&7] += d
		}
	case 5:
		q0, q1, q2, q3, q4 := q[0], q[1], q[2], q[3], q[4]
		for i := from; i < len(out); i++ {
			p := x[5*i : 5*i+5]
			t0, t1, t2, t3, t4 := p[0]-q0, p[1]-q1, p[2]-q2, p[3]-q3, p[4]-q4
			d := float64(t0*t0) + float64(t1*t1) + float64(t2*t2) + float64(t3*t3) + float64(t4*t4)
			d = min(d, closest[i])
			out[i] = d
			lanes[i&7] += d
		}
	default:
		dim := len(q)
		for i := from; i < len(out); i++ {
			d := min(sqDist(x[i*dim:i*dim+dim], q), closest[i])
			out[i] = d
			lanes[i&7] += d
		}
	}
}
