package reduce

import "math"

// The pass over the source rows is built from three kernels on tiles of
// rows stored with a padded stride (a multiple of 8 float64 values, the
// padding zero):
//
//   - fillRow: x_j = (float64(a_j) - shift_j) * scale_j, a subtraction
//     then a multiplication, each rounded;
//   - dotTile: the 12 dot products of 4 rows of x with 3 rows of z;
//   - axpyTile: 3 rows of next += 4 rows of x times 12 coefficients.
//
// Every kernel has one arithmetic definition, written out below in Go
// with math.FMA (an exactly rounded fused multiply-add, in hardware or in
// software), and assembly versions on amd64 (kernel_amd64.s) with AVX-512
// or with AVX2 and FMA that perform the same operations in the same order.
// All agree bit for bit (kernel_test.go), so a fit does not depend on the
// CPU it runs on or on the purego build tag.
//
// dotTile's order: each dot product <x, z> over n = 8·n8 values is
// accumulated in 8 lanes, lane t holding the FMA chain
// s_t = fma(x[8c+t], z[8c+t], s_t) over c = 0, 1, ..., n8-1 from s_t = 0,
// and the lanes are summed as ((s_0+s_4) + (s_2+s_6)) + ((s_1+s_5) +
// (s_3+s_7)) (hsum8). dotTile only accumulates the lanes, so that a pass
// can run it over blocks of columns that stay in the first-level cache.
//
// axpyTile's order: next_i[j] = fma(c[r·3+i], x_r[j], next_i[j]) for
// r = 0, 1, 2, 3 in turn; the pass applies the tiles in row order, so
// every entry of next is one FMA chain over the source rows in order.

// fillRowGeneric writes (float64(a[j]) - shift[j]) * scale[j] into dst[j]
// for j < len(a).
func fillRowGeneric(a []float32, shift, scale, dst []float64) {
	shift, scale, dst = shift[:len(a)], scale[:len(a)], dst[:len(a)]
	for j, v := range a {
		dst[j] = (float64(v) - shift[j]) * scale[j]
	}
}

// dotTileGeneric adds to the 8 lane sums acc[p] of each pair p = r·3+i
// (r < 4, i < 3) the FMA chains of x_r = x[r·xs : r·xs+8·n8] and
// z_i = z[i·zs : i·zs+8·n8], in the order stated above; hsum8 then gives
// the dot products. Splitting the columns into blocks, with acc carried
// from one block to the next, does not change the result.
func dotTileGeneric(x []float64, xs int, z []float64, zs int, n8 int, acc *[12][8]float64) {
	n := 8 * n8
	for r := range 4 {
		xr := x[r*xs : r*xs+n]
		for i := range 3 {
			dotLanes(xr, z[i*zs:i*zs+n], &acc[r*3+i])
		}
	}
}

// dotLanes adds the FMA chains of x and z (len(x) a multiple of 8) to the
// lane sums s, lane t taking the values at positions t mod 8.
func dotLanes(x, z []float64, s *[8]float64) {
	z = z[:len(x)]
	for c := 0; c+8 <= len(x); c += 8 {
		xc, zc := x[c:c+8], z[c:c+8]
		for t := range 8 {
			s[t] = math.FMA(xc[t], zc[t], s[t])
		}
	}
}

// hsum8 is the sum of 8 lanes in dotTile's order:
// ((s0+s4) + (s2+s6)) + ((s1+s5) + (s3+s7)).
func hsum8(s *[8]float64) float64 {
	return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))
}

// dot8 is <x, z> for len(x) a multiple of 8, in dotTile's order.
func dot8(x, z []float64) float64 {
	var s [8]float64
	dotLanes(x, z, &s)
	return hsum8(&s)
}

// axpyTileGeneric sets, for i < 3 and j < 8·n8, next_i[j] =
// fma(c[r·3+i], x_r[j], next_i[j]) for r = 0..3 in turn, where
// x_r = x[r·xs:] and next_i = next[i·ns:].
func axpyTileGeneric(c *[12]float64, x []float64, xs int, next []float64, ns int, n8 int) {
	n := 8 * n8
	x0, x1, x2, x3 := x[:n], x[xs:xs+n], x[2*xs:2*xs+n], x[3*xs:3*xs+n]
	for i := range 3 {
		ni := next[i*ns : i*ns+n]
		c0, c1, c2, c3 := c[i], c[3+i], c[6+i], c[9+i]
		for j := range ni {
			v := math.FMA(c0, x0[j], ni[j])
			v = math.FMA(c1, x1[j], v)
			v = math.FMA(c2, x2[j], v)
			ni[j] = math.FMA(c3, x3[j], v)
		}
	}
}

// compactRowGeneric writes a[j] into dst[j] as a byte and reports true
// when every value of a is an integer 0..255 (+0, not -0), else false.
func compactRowGeneric(a []float32, dst []uint8) bool {
	dst = dst[:len(a)]
	for j, v := range a {
		if !(v >= 0 && v <= 255) {
			return false
		}
		u := uint8(v)
		if math.Float32bits(float32(u)) != math.Float32bits(v) {
			return false
		}
		dst[j] = u
	}
	return true
}

// fillBytesGeneric is fillRowGeneric for grey levels stored as bytes:
// (float64(b[j]) - shift[j]) * scale[j], the same values as from the
// float32 pixels the bytes were compacted from.
func fillBytesGeneric(b []uint8, shift, scale, dst []float64) {
	shift, scale, dst = shift[:len(b)], scale[:len(b)], dst[:len(b)]
	for j, v := range b {
		dst[j] = (float64(v) - shift[j]) * scale[j]
	}
}

// kernels is the implementation of the kernels a fit uses: the assembly
// where the CPU has it, else the generic Go. compactRow and fillBytes are
// optional (nil): a set that has them stores the source rows once as bytes
// when they are whole grey levels and reads a quarter of the memory per
// pass, with the same results.
type kernels struct {
	compactRow func(a []float32, dst []uint8) bool
	fillBytes  func(b []uint8, shift, scale, dst []float64)
	fillRow    func(a []float32, shift, scale, dst []float64)
	dotTile    func(x []float64, xs int, z []float64, zs int, n8 int, acc *[12][8]float64)
	axpyTile   func(c *[12]float64, x []float64, xs int, next []float64, ns int, n8 int)
}

// genericKernels are the Go definitions.
func genericKernels() kernels {
	return kernels{fillRow: fillRowGeneric, dotTile: dotTileGeneric, axpyTile: axpyTileGeneric}
}
