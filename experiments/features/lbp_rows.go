package features

import "math"

// lbpRows holds the tables of the fast LBP kernel (lbpRows).
//
// Sample i's value is (1-dr)*top + dr*bottom, where top and bottom are
// horizontal interpolations (1-dc)*im[row, c0] + dc*im[row, c1] of two
// image rows. dc depends only on the column and cp[i], so the kernel
// computes the horizontal interpolations once per image for each distinct
// column offset cp (two for P=8, R=1) and every row, and each sample then
// costs one vertical interpolation. The values are the same to the bit as
// lbp's (TestLBPRowsVersusPlain).
type lbpRows struct {
	p, w, pw, pad int
	exact         []bool
	src           []int       // [i]: index into horiz of sample i's horizontal rows, -1: e.im
	colOff        []int       // [i]: column offset floor(cp[i]) when src[i] == -1
	rowLo         []int       // [i]: floor(r+rp[i]) - r
	rowUp         []int       // [i]: ceil - floor, 0 or 1
	horiz         [][]float64 // per distinct cp: (h+2*pad) rows of w interpolations
	hOff, hUp     []int       // per distinct cp: floor offset and ceil - floor of the columns
	dc, dc1       [][]float64 // per distinct cp: dc and 1-dc of every column
	pat           []uint16    // one row of patterns
}

// newLBPRows returns the tables of the fast kernel, or nil when a
// sample's neighbours are not at the same offset from every pixel (r+rp[i]
// rounding across an integer; e.lbp handles that).
func newLBPRows(e *LBPExtractor) *lbpRows {
	p, w, h := e.p.P, e.w, e.h
	k := &lbpRows{p: p, w: w, pw: e.pw, pad: e.pad, exact: e.exact, pat: make([]uint16, w),
		src: make([]int, p), colOff: make([]int, p), rowLo: make([]int, p), rowUp: make([]int, p)}
	keys := map[[2]int]int{} // (column offset, a column's dc bits) -> group; built once
	for i := range p {
		lo := e.rowOff[i]/e.pw - e.pad
		for r := range h {
			if e.rowOff[r*p+i]/e.pw-e.pad-r != lo || e.rowDown[r*p+i] != e.rowDown[i] {
				return nil
			}
		}
		k.rowLo[i], k.rowUp[i] = lo, e.rowDown[i]/e.pw
		off := e.colOff[i] - e.pad
		for c := range w {
			if e.colOff[c*p+i]-e.pad-c != off || e.colRight[c*p+i] != e.colRight[i] {
				return nil
			}
		}
		k.colOff[i], k.src[i] = off, -1
		if e.colRight[i] == 0 {
			continue // cp integer: dc = 0 and top is the pixel itself
		}
		// Samples with the same column offsets have the same dc in every
		// column; the key uses column 0's offset and the bits of its dc.
		key := [2]int{off, int(int64(math.Float64bits(e.dc[i])))}
		g, ok := keys[key]
		if !ok {
			g = len(k.horiz)
			keys[key] = g
			k.horiz = append(k.horiz, make([]float64, (h+2*e.pad)*w))
			k.hOff, k.hUp = append(k.hOff, off), append(k.hUp, e.colRight[i])
			dc, dc1 := make([]float64, w), make([]float64, w)
			for c := range w {
				dc[c] = e.dc[c*p+i]
				dc1[c] = 1 - dc[c]
			}
			k.dc, k.dc1 = append(k.dc, dc), append(k.dc1, dc1)
		}
		for c := range w {
			if e.dc[c*p+i] != k.dc[g][c] {
				return nil
			}
		}
		k.src[i] = g
	}
	return k
}

// lbpRows is lbp with shared horizontal interpolations; see lbpRows.
func (e *LBPExtractor) lbpRows() {
	k, w, im := e.rows, e.w, e.im
	rows := e.h + 2*k.pad
	for g, hz := range k.horiz {
		dc, dc1 := k.dc[g][:w], k.dc1[g][:w]
		for pr := range rows {
			a := pr*k.pw + k.pad + k.hOff[g]
			left, right, out := im[a:a+w], im[a+k.hUp[g]:a+k.hUp[g]+w], hz[pr*w:(pr+1)*w]
			left, right, out = left[:len(dc)], right[:len(dc)], out[:len(dc)]
			for c := range dc {
				out[c] = float64(dc1[c]*left[c]) + float64(dc[c]*right[c])
			}
		}
	}
	pat := k.pat[:w]
	for r := range e.h {
		c0 := (r+k.pad)*k.pw + k.pad
		ctr := im[c0 : c0+w]
		clear(pat)
		for i := range k.p {
			bit := uint16(1) << i
			var top, bottom []float64
			pr := r + k.pad + k.rowLo[i] // padded row of the top neighbours
			if g := k.src[i]; g >= 0 {
				top = k.horiz[g][pr*w : (pr+1)*w]
				bottom = k.horiz[g][(pr+k.rowUp[i])*w : (pr+k.rowUp[i]+1)*w]
			} else {
				a := pr*k.pw + k.pad + k.colOff[i]
				top = im[a : a+w]
				bottom = im[a+k.rowUp[i]*k.pw : a+k.rowUp[i]*k.pw+w]
			}
			top, bottom, pat := top[:len(ctr)], bottom[:len(ctr)], pat[:len(ctr)]
			if k.exact[i] {
				for c, v := range ctr {
					m := uint16(0) // a conditional move, not a branch
					if top[c]-v >= 0 {
						m = bit
					}
					pat[c] |= m
				}
				continue
			}
			y := e.dr[r*k.p+i]
			y1 := 1 - y
			for c, v := range ctr {
				m := uint16(0)
				if float64(y1*top[c])+float64(y*bottom[c])-v >= 0 {
					m = bit
				}
				pat[c] |= m
			}
		}
		codes := e.codes[r*w : (r+1)*w]
		for c, pt := range pat {
			codes[c] = e.code[pt]
		}
	}
}
