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

// bitReader reads bits least significant first from data, returning zeros
// past its end (the caller checks exhausted).
type bitReader struct {
	data []byte
	pos  int64 // in bits
}

func (r *bitReader) bits(n uint) uint32 {
	var v uint32
	for i := range n {
		p := r.pos + int64(i)
		if p>>3 < int64(len(r.data)) {
			v |= uint32(r.data[p>>3]>>(p&7)&1) << i
		}
	}
	r.pos += int64(n)
	return v
}

func (r *bitReader) exhausted() bool { return r.pos > int64(len(r.data))*8 }

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
// (BFINAL 0, BTYPE 2) starts at bit p of data and describes complete codes
// whose literal/length code includes the end-of-block symbol. It is the
// cheap filter before a trial decode: random positions pass it rarely.
func plausibleHeader(data []byte, p int64) bool {
	w, ok := word(data, p)
	if !ok {
		return false
	}
	if w&7 != 4 { // BFINAL 0, then BTYPE 2 least significant bit first
		return false
	}
	hlit := int(w>>3&31) + 257
	hdist := int(w>>8&31) + 1
	if hlit > 286 || hdist > 30 {
		return false
	}
	hclen := int(w>>13&15) + 4
	r := bitReader{data: data, pos: p + 17}
	var clens [19]uint8
	for i := range hclen {
		clens[codeLengthOrder[i]] = uint8(r.bits(3))
	}
	if !complete(clens[:], 7) {
		return false
	}
	// Canonical code of the code length code, as a table indexed by 7
	// bits read least significant first.
	var table [128]uint16 // symbol<<4 | length, 0 = none
	var count [8]int
	for _, l := range clens {
		count[l]++
	}
	count[0] = 0
	var next [8]int
	code := 0
	for l := 1; l <= 7; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	for sym, l := range clens {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		// Reverse the l bits of c: deflate sends Huffman codes most
		// significant bit first.
		rev := 0
		for i := range int(l) {
			rev |= (c >> i & 1) << (int(l) - 1 - i)
		}
		for j := rev; j < 128; j += 1 << l {
			table[j] = uint16(sym)<<4 | uint16(l)
		}
	}
	var lens [286 + 30]uint8
	n := hlit + hdist
	for i := 0; i < n; {
		save := r.pos
		e := table[r.bits(7)]
		r.pos = save + int64(e&15)
		sym := e >> 4
		switch {
		case sym < 16:
			lens[i] = uint8(sym)
			i++
		case sym == 16:
			if i == 0 {
				return false
			}
			rep := 3 + int(r.bits(2))
			if i+rep > n {
				return false
			}
			for range rep {
				lens[i] = lens[i-1]
				i++
			}
		default:
			var rep int
			if sym == 17 {
				rep = 3 + int(r.bits(3))
			} else {
				rep = 11 + int(r.bits(7))
			}
			if i+rep > n {
				return false
			}
			i += rep // already zero
		}
		if r.exhausted() {
			return false
		}
	}
	lit, dist := lens[:hlit], lens[hlit:n]
	if lit[256] == 0 || !complete(lit, 15) {
		return false
	}
	used := 0
	for _, l := range dist {
		if l != 0 {
			used++
		}
	}
	// A distance code may be a single code of one bit (RFC 1951, 3.2.7).
	return complete(dist, 15) || used <= 1
}
