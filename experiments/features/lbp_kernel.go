package features

import "math/bits"

// lbp computes the code of every pixel of e.im into e.codes, following
// skimage/feature/_texture.pyx (_local_binary_pattern): sample i of pixel
// (r, c) is the bilinear interpolation at (r+rp[i], c+cp[i]) with zero
// outside the image,
//
//	top    = (1-dc)*im[r0, c0] + dc*im[r0, c1]
//	bottom = (1-dc)*im[r1, c0] + dc*im[r1, c1]
//	v      = (1-dr)*top + dr*bottom
//
// (r0 = floor, r1 = ceil, dr = (r+rp[i]) - r0; likewise for columns), in
// float64 and in this order, so that a neighbour equal to the centre stays
// equal or not exactly as in scikit-image. Bit i of the pattern is set when
// v - centre >= 0; the pattern's code comes from e.code. Samples on the
// pixel grid (dr = dc = 0) read the pixel, which is what the formula gives.
func (e *LBPExtractor) lbp() {
	p, w, pw, pad, im := e.p.P, e.w, e.pw, e.pad, e.im
	for r := range e.h {
		rOff, dr, down := e.rowOff[r*p:(r+1)*p], e.dr[r*p:(r+1)*p], e.rowDown[r*p:(r+1)*p]
		centre := im[(r+pad)*pw+pad : (r+pad)*pw+pad+w]
		codes := e.codes[r*w : (r+1)*w]
		for c, ctr := range centre {
			cOff, dc, right := e.colOff[c*p:(c+1)*p], e.dc[c*p:(c+1)*p], e.colRight[c*p:(c+1)*p]
			var pat uint32
			for i := range p {
				base := rOff[i] + cOff[i]
				v := im[base]
				if !e.exact[i] {
					x, y := dc[i], dr[i]
					b := base + down[i]
					top := float64((1-x)*v) + float64(x*im[base+right[i]])
					bottom := float64((1-x)*im[b]) + float64(x*im[b+right[i]])
					v = float64((1-y)*top) + float64(y*bottom)
				}
				if v-ctr >= 0 {
					pat |= 1 << i
				}
			}
			codes[c] = e.code[pat]
		}
	}
}

// codeTable returns the code of every P-bit pattern (bit i: sample i
// >= centre) for method, as _local_binary_pattern defines them:
//
//   - default: the pattern itself, sum of 2^i over the set bits;
//   - ror: the smallest of its P rotations (rotation invariant);
//   - uniform: with at most 2 changes between bits i and i+1 for i < P-1
//     (scikit-image does not count the change from bit P-1 back to bit 0),
//     the number of set bits, else P+1 (Ojala et al., TPAMI 24(7), 2002);
//   - nri_uniform: the uniform patterns numbered by number of ones and
//     rotation, 0 and P(P-1)+1 for the constant ones, P(P-1)+2 for the rest.
func codeTable(p int, method string) []uint16 {
	t := make([]uint16, 1<<p)
	for pat := range t {
		t[pat] = uint16(lbpCode(uint32(pat), p, method))
	}
	return t
}

// lbpCode is the code of one pattern; see codeTable.
func lbpCode(pat uint32, p int, method string) int {
	switch method {
	case "default":
		return int(pat)
	case "ror":
		best, x := pat, pat
		for range p - 1 {
			x = x>>1 | (x&1)<<(p-1)
			best = min(best, x)
		}
		return int(best)
	}
	changes := 0
	for i := range p - 1 {
		if (pat>>i)&1 != (pat>>(i+1))&1 {
			changes++
		}
	}
	ones := bits.OnesCount32(pat)
	if method == "uniform" {
		if changes <= 2 {
			return ones
		}
		return p + 1
	}
	if changes > 2 {
		return p*(p-1) + 2
	}
	switch ones {
	case 0:
		return 0
	case p:
		return p*(p-1) + 1
	}
	firstOne, firstZero := bits.TrailingZeros32(pat), bits.TrailingZeros32(^pat)
	rot := p - firstOne
	if firstOne == 0 {
		rot = ones - firstZero
	}
	return 1 + (ones-1)*p + rot
}
