package features

// lbp8 holds the tables of the fused kernel for P=8, R=1 (the default
// LBP), lbp8Run. Its samples, as circle rounds them, are four pixels on
// the axes (i = 0, 2, 4, 6: right, up, left, down) and four diagonals
// (i = 1, 3, 5, 7: up-right, up-left, down-left, down-right) at offsets
// ±0.70711. A diagonal is a vertical interpolation of two horizontal ones,
// and the horizontal interpolations fall in two groups by column pair:
// (c, c+1) for the right-hand diagonals (1, 7) and (c-1, c) for the
// left-hand ones (3, 5). Each horizontal value of a row serves four
// samples (two diagonals of the pixel row above and of the row below), so
// the kernel computes each once per image, then makes one pass over the
// pixels of every row that sets the 8 bits in a register, looks the code
// up and counts it in its cell. The weights are e's, per row and per
// column, and every product and sum is the one lbp makes, in float64 and
// in the same order, so the codes are lbp's to the bit
// (TestLBP8VersusPlain).
type lbp8 struct {
	w, h, pw, pad int
	dp, dp1       []float64    // [c]: weight of column c+1 in the right-hand pair, and 1 minus it
	dm, dm1       []float64    // [c]: weight of column c in the left-hand pair (c-1, c), and 1 minus it
	y             [][8]float64 // [r]: dr of samples 1, 3, 5, 7, then 1-dr of each
	hp, hm        []float64    // (h+2) rows of w horizontal values, padded rows r-1 .. r+1 of every r
	colBin        []int        // [c]: colCell[c]*bins
	hist          []int32      // two histograms of e.dim counts, for even and odd columns
}

// lbp8Layout is the place of the 8 samples of P=8, R=1 relative to the
// pixel: row and column of the top-left neighbour, and whether the sample
// is interpolated (down and right steps of 1) or a pixel.
var lbp8Layout = [8]struct{ dr, dc int }{
	{0, 1}, {-1, 0}, {-1, 0}, {-1, -1}, {0, -1}, {0, -1}, {1, 0}, {0, 0},
}

// newLBP8 returns the tables of the fused kernel, or nil unless e is P=8
// with the sample layout lbp8Layout at every pixel and the two diagonals
// of each column pair share their column weights (R=1 is that case).
func newLBP8(e *LBPExtractor) *lbp8 {
	const p = 8
	if e.p.P != p {
		return nil
	}
	w, h := e.w, e.h
	for i, l := range lbp8Layout {
		if e.exact[i] != (i%2 == 0) {
			return nil
		}
		step := 0
		if i%2 == 1 {
			step = 1
		}
		for r := range h {
			if e.rowOff[r*p+i]/e.pw-e.pad-r != l.dr || e.rowDown[r*p+i] != step*e.pw {
				return nil
			}
		}
		for c := range w {
			if e.colOff[c*p+i]-e.pad-c != l.dc || e.colRight[c*p+i] != step {
				return nil
			}
		}
	}
	k := &lbp8{w: w, h: h, pw: e.pw, pad: e.pad,
		dp: make([]float64, w), dp1: make([]float64, w), dm: make([]float64, w), dm1: make([]float64, w),
		y: make([][8]float64, h), hp: make([]float64, (h+2)*w), hm: make([]float64, (h+2)*w),
		colBin: make([]int, w), hist: make([]int32, 2*e.dim)}
	for c := range w {
		k.dp[c], k.dm[c] = e.dc[c*p+1], e.dc[c*p+3]
		if e.dc[c*p+7] != k.dp[c] || e.dc[c*p+5] != k.dm[c] {
			return nil
		}
		k.dp1[c], k.dm1[c] = 1-k.dp[c], 1-k.dm[c]
		k.colBin[c] = e.colCell[c] * e.p.Bins()
	}
	for r := range h {
		for j, i := range [4]int{1, 3, 5, 7} {
			k.y[r][j] = e.dr[r*p+i]
			k.y[r][4+j] = 1 - k.y[r][j]
		}
	}
	return k
}

// lbp8Run computes the codes of e.im into e.codes and their per-cell
// counts into dst[:e.dim], as lbp and then run's count would.
func (e *LBPExtractor) lbp8Run(dst []float32) {
	k, w, im := e.fused, e.w, e.im
	e.lbp8Horizontal()
	clear(k.hist)
	bins := e.p.Bins()
	code := e.code[:256]
	for r := range e.h {
		// Image rows r-1, r, r+1 from column -1, and horizontal rows
		// r-1, r, r+1 (hp and hm row q is padded row q-1).
		a := (r+k.pad)*k.pw + k.pad - 1
		up, mid, down := im[a-k.pw:a-k.pw+w+2], im[a:a+w+2], im[a+k.pw:a+k.pw+w+2]
		ctr, left, right := mid[1:w+1], mid[0:w], mid[2:w+2]
		upC, downC := up[1:w+1], down[1:w+1]
		p0, p1, p2 := k.hp[r*w:(r+1)*w], k.hp[(r+1)*w:(r+2)*w], k.hp[(r+2)*w:(r+3)*w]
		m0, m1, m2 := k.hm[r*w:(r+1)*w], k.hm[(r+1)*w:(r+2)*w], k.hm[(r+2)*w:(r+3)*w]
		left, right, upC, downC = left[:len(ctr)], right[:len(ctr)], upC[:len(ctr)], downC[:len(ctr)]
		p0, p1, p2, m0, m1, m2 = p0[:len(ctr)], p1[:len(ctr)], p2[:len(ctr)], m0[:len(ctr)], m1[:len(ctr)], m2[:len(ctr)]
		colBin := k.colBin[:len(ctr)]
		codes := e.codes[r*w : (r+1)*w]
		codes = codes[:len(ctr)]
		y := &k.y[r]
		y1, y3, y5, y7, z1, z3, z5, z7 := y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7]
		// Counting even and odd columns apart breaks the chain of
		// increments of one bin through memory (flat regions repeat a
		// code), which otherwise costs a store-to-load latency a pixel.
		base := e.rowCell[r] * e.p.GridX * bins
		even, odd := k.hist[base:e.dim], k.hist[e.dim+base:]
		for c, v := range ctr {
			pat := ge(right[c]-v) |
				ge(float64(z1*p0[c])+float64(y1*p1[c])-v)<<1 |
				ge(upC[c]-v)<<2 |
				ge(float64(z3*m0[c])+float64(y3*m1[c])-v)<<3 |
				ge(left[c]-v)<<4 |
				ge(float64(z5*m1[c])+float64(y5*m2[c])-v)<<5 |
				ge(downC[c]-v)<<6 |
				ge(float64(z7*p1[c])+float64(y7*p2[c])-v)<<7
			cd := code[pat]
			codes[c] = cd
			if c&1 == 0 {
				even[colBin[c]+int(cd)]++
			} else {
				odd[colBin[c]+int(cd)]++
			}
		}
	}
	even, odd := k.hist[:e.dim], k.hist[e.dim:2*e.dim]
	for i := range dst {
		dst[i] = float32(even[i] + odd[i])
	}
}

// lbp8Horizontal fills k.hp and k.hm: row q holds padded image row q-1's
// horizontal interpolations, (1-dc)*im[c0] + dc*im[c0+1], with c0 = c
// (hp) or c-1 (hm).
func (e *LBPExtractor) lbp8Horizontal() {
	k, w := e.fused, e.w
	dp, dp1, dm, dm1 := k.dp[:w], k.dp1[:w], k.dm[:w], k.dm1[:w]
	for q := range e.h + 2 {
		a := (q-1+k.pad)*k.pw + k.pad - 1
		row := e.im[a : a+w+2]
		l, m, r := row[0:w], row[1:w+1], row[2:w+2]
		hp, hm := k.hp[q*w:(q+1)*w], k.hm[q*w:(q+1)*w]
		l, m, r, hp, hm = l[:len(dp)], m[:len(dp)], r[:len(dp)], hp[:len(dp)], hm[:len(dp)]
		dp1, dm, dm1 := dp1[:len(dp)], dm[:len(dp)], dm1[:len(dp)]
		for c, x := range dp {
			hp[c] = float64(dp1[c]*m[c]) + float64(x*r[c])
			hm[c] = float64(dm1[c]*l[c]) + float64(dm[c]*m[c])
		}
	}
}

// ge is 1 if d >= 0, else 0, without a branch (the compiler makes it a
// SETcc): the kernel's bits are data-dependent, and a branch per bit
// mispredicts.
func ge(d float64) uint8 {
	var b uint8
	if d >= 0 {
		b = 1
	}
	return b
}
