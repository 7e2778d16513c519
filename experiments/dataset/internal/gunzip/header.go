package gunzip

import (
	"encoding/binary"
)

// Deflate's format is RFC 1951; the gzip wrapper is RFC 1952.

// codeLengthOrder is the order in which a dynamic block stores the lengths
// of the code length code (RFC 1951, 3.2.7).
var codeLengthOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// word returns the 56 or more bits of data starting at bit p, least
// significant first, and false if data holds fewer than 8 bytes from p's
// byte.
func word(data []byte, p int64) (uint64, bool) {
	i := p >> 3
	if i+8 > int64(len(data)) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(data[i:]) >> (p & 7), true
}

// complete reports whether the code lengths lens (0 = unused, at most max)
// form a complete prefix code: the Kraft sum is exactly one.
func complete(lens []uint8, max uint) bool {
	var sum uint32
	for _, l := range lens {
		if l != 0 {
			if uint(l) > max {
				return false
			}
			sum += 1 << (max - uint(l))
		}
	}
	return sum == 1<<max
}

// plausibleHeader reports whether a non-final dynamic Huffman block header
// (BFINAL 0, BTYPE 2) starts at bit p of data and describes codes the
// decoder accepts, with a complete code length code. It is the filter
// before a trial decode: the first checks read one word and reject almost
// every position, and only the few left are parsed by d.dynamic, which d
// (a scratch decoder over data) is left holding.
func plausibleHeader(data []byte, p int64, d *decoder) bool {
	w, ok := word(data, p)
	if !ok {
		return false
	}
	if w&7 != 4 { // BFINAL 0, then BTYPE 2 least significant bit first
		return false
	}
	if w>>3&31+257 > 286 || w>>8&31+1 > 30 { // HLIT, HDIST
		return false
	}
	hclen := int(w>>13&15) + 4
	c, ok := word(data, p+17) // 19 lengths of 3 bits fit in its 57 or more
	if !ok {
		return false
	}
	var clens [19]uint8
	for i := range hclen {
		clens[codeLengthOrder[i]] = uint8(c >> (3 * i) & 7)
	}
	if !complete(clens[:], 7) {
		return false
	}
	d.seek(p + 3)
	return d.dynamic() == nil && !d.overrun()
}
