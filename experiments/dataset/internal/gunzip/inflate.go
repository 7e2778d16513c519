package gunzip

import (
	"encoding/binary"
	"errors"
	"slices"
)

// errCorrupt reports a deflate stream this package cannot decode. The
// caller falls back to a sequential decoder, whose error is the one the user
// sees.
var errCorrupt = errors.New("gunzip: corrupt deflate stream")

// errTooLarge reports a chunk whose output passes decoder.max.
var errTooLarge = errors.New("gunzip: chunk output past its bound")

// windowSize is deflate's largest match distance (RFC 1951, 3.2.5).
const windowSize = 32768

// marker is the first symbol that stands for a byte of the unknown window
// preceding a chunk: marker+j is the window's byte j, the window being the
// windowSize bytes before the chunk's first byte.
const marker = 256

// Decoding tables. An entry packs, least significant first: 4 bits of
// code length (or, for a subtable link, the subtable's index bits), 4 bits
// of extra bits, 2 bits of kind, and 16 bits of value (a literal, a length
// or distance base, or a subtable offset).
const (
	kindLiteral = iota
	kindLength
	kindEnd
	kindLink
)

const (
	litBits  = 11 // index bits of the literal/length primary table
	distBits = 8  // index bits of the distance primary table
)

func entry(n, extra, kind, value uint32) uint32 {
	return n | extra<<4 | kind<<8 | value<<16
}

// invalid is the entry of a bit pattern no code starts with, and of the
// symbols that never occur in a valid stream: it reads as an end of block
// with a nonzero value, which the decoder reports as corrupt.
const invalid = kindEnd<<8 | 1<<16 // entry(0, 0, kindEnd, 1)

// Length and distance bases and extra bits (RFC 1951, 3.2.5).
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// table is a two-level decoding table for one Huffman code.
type table struct {
	bits int // index bits of the primary table
	e    []uint32
}

// build fills t for the code lengths lens (a canonical code, RFC 1951,
// 3.2.2); sym maps a symbol to its entry without the code length. It
// returns false unless the code is complete, empty, or a single code of one
// bit: the codes zlib and compress/flate accept. Bit patterns no code
// starts with decode to invalid.
func (t *table) build(lens []uint8, primary int, sym func(s int) uint32) bool {
	var count [16]int
	for _, l := range lens {
		count[l]++
	}
	used := len(lens) - count[0]
	count[0] = 0
	left := 1
	for l := 1; l <= 15; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return false
		}
	}
	if left != 0 && used != 0 && !(used == 1 && count[1] == 1) {
		return false
	}
	var next [16]int
	code := 0
	for l := 1; l <= 15; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	t.bits = primary
	size := 1 << primary
	if cap(t.e) < size {
		t.e = make([]uint32, size, size*2)
	}
	t.e = t.e[:size]
	for i := range t.e {
		t.e[i] = invalid
	}
	mask := size - 1
	// Canonical codes, bit-reversed, then the index bits of the subtable
	// for each primary-bit prefix of codes longer than primary: enough for
	// the longest code sharing that prefix.
	var codes [320]uint16
	var subBits [1 << 11]uint8
	for s, l := range lens {
		if l == 0 {
			continue
		}
		c := reverse(next[l], int(l))
		next[l]++
		codes[s] = uint16(c)
		if int(l) > primary {
			p := c & mask
			subBits[p] = max(subBits[p], l-uint8(primary))
		}
	}
	for s, l := range lens {
		if l == 0 {
			continue
		}
		c := int(codes[s])
		e := sym(s) | uint32(l)
		if int(l) <= primary {
			for j := c; j < size; j += 1 << l {
				t.e[j] = e
			}
			continue
		}
		p := c & mask
		link := t.e[p]
		if link>>8&3 != kindLink {
			sb := int(subBits[p])
			off := len(t.e)
			for range 1 << sb {
				t.e = append(t.e, invalid)
			}
			link = entry(uint32(sb), 0, kindLink, uint32(off))
			t.e[p] = link
		}
		sb := int(link & 15)
		off := int(link >> 16)
		for j := c >> primary; j < 1<<sb; j += 1 << (int(l) - primary) {
			t.e[off+j] = e
		}
	}
	return true
}

// reverse reverses the low n bits of c: deflate sends Huffman codes most
// significant bit first into a stream read least significant bit first.
func reverse(c, n int) int {
	r := 0
	for range n {
		r = r<<1 | c&1
		c >>= 1
	}
	return r
}

func litSym(s int) uint32 {
	switch {
	case s < 256:
		return entry(0, 0, kindLiteral, uint32(s))
	case s == 256:
		return entry(0, 0, kindEnd, 0)
	case s <= 285:
		return entry(0, uint32(lengthExtra[s-257]), kindLength, uint32(lengthBase[s-257]))
	default: // 286, 287: never valid in a stream
		return invalid
	}
}

func distSym(s int) uint32 {
	if s >= 30 {
		return invalid // 30, 31: never valid in a stream
	}
	return entry(0, uint32(distExtra[s]), kindLength, uint32(distBase[s]))
}

// decoder decodes one chunk of a deflate stream into 16-bit symbols.
type decoder struct {
	in     []byte
	pos    int    // next byte of in to load into bits
	bits   uint64 // bit buffer, least significant first
	nb     uint   // bits in bits
	lit    table
	dist   table
	clen   table // the code length code of the last dynamic header
	out    []uint16
	window bool // whether references before the chunk become markers
	max    int  // bound on len(out) checked as out grows; 0: none
}

// bitPos returns the position in bits of the next unread bit.
func (d *decoder) bitPos() int64 { return int64(d.pos)*8 - int64(d.nb) }

// refill tops the bit buffer up to at least 56 bits, with zeros past the
// end of in (the caller checks overrun).
func (d *decoder) refill() {
	if d.pos+8 <= len(d.in) {
		d.bits |= binary.LittleEndian.Uint64(d.in[d.pos:]) << d.nb
		d.pos += int(63-d.nb) >> 3
		d.nb |= 56
		return
	}
	for d.nb <= 56 {
		if d.pos < len(d.in) {
			d.bits |= uint64(d.in[d.pos]) << d.nb
		}
		d.pos++
		d.nb += 8
	}
}

func (d *decoder) overrun() bool { return d.bitPos() > int64(len(d.in))*8 }

func (d *decoder) take(n uint) uint32 {
	if d.nb < n {
		d.refill()
	}
	v := uint32(d.bits & (1<<n - 1))
	d.bits >>= n
	d.nb -= n
	return v
}

// seek positions the decoder at bit p of in.
func (d *decoder) seek(p int64) {
	d.pos = int(p >> 3)
	d.bits, d.nb = 0, 0
	d.refill()
	skip := uint(p & 7)
	d.bits >>= skip
	d.nb -= skip
}

// block decodes one block. It returns whether the block was the last of
// the stream.
func (d *decoder) block() (final bool, err error) {
	final = d.take(1) == 1
	switch d.take(2) {
	case 0:
		err = d.stored()
	case 1:
		d.fixed()
		err = d.codes()
	case 2:
		if err = d.dynamic(); err == nil {
			err = d.codes()
		}
	default:
		err = errCorrupt
	}
	if err == nil && d.overrun() {
		err = errCorrupt
	}
	return final, err
}

func (d *decoder) stored() error {
	// Drop to a byte boundary, then LEN and NLEN.
	d.take(d.nb & 7)
	n := d.take(16)
	if d.take(16) != ^n&0xffff {
		return errCorrupt
	}
	// Whole bytes still in the bit buffer come first.
	for ; n > 0 && d.nb >= 8; n-- {
		d.out = append(d.out, uint16(d.take(8)))
	}
	if n == 0 {
		return nil
	}
	// The bit buffer is empty, but refill leaves the bytes after its
	// end above it: clear them before skipping those bytes.
	d.bits = 0
	if d.pos+int(n) > len(d.in) {
		return errCorrupt
	}
	for _, b := range d.in[d.pos : d.pos+int(n)] {
		d.out = append(d.out, uint16(b))
	}
	d.pos += int(n)
	return nil
}

func (d *decoder) fixed() {
	var lens [288 + 32]uint8
	for i := range 288 {
		switch {
		case i < 144:
			lens[i] = 8
		case i < 256:
			lens[i] = 9
		case i < 280:
			lens[i] = 7
		default:
			lens[i] = 8
		}
	}
	for i := range 32 {
		lens[288+i] = 5
	}
	d.lit.build(lens[:288], litBits, litSym)
	d.dist.build(lens[288:320], distBits, distSym)
}

func (d *decoder) dynamic() error {
	hlit := int(d.take(5)) + 257
	hdist := int(d.take(5)) + 1
	hclen := int(d.take(4)) + 4
	if hlit > 286 || hdist > 30 {
		return errCorrupt
	}
	var clens [19]uint8
	for i := range hclen {
		clens[codeLengthOrder[i]] = uint8(d.take(3))
	}
	ct := &d.clen
	if !ct.build(clens[:], 7, func(s int) uint32 { return entry(0, 0, kindLiteral, uint32(s)) }) {
		return errCorrupt
	}
	var lens [286 + 30]uint8
	n := hlit + hdist
	for i := 0; i < n; {
		if d.nb < 16 {
			d.refill()
		}
		e := ct.e[d.bits&127]
		if e>>8&3 == kindEnd {
			return errCorrupt
		}
		l := uint(e & 15)
		d.bits >>= l
		d.nb -= l
		sym := e >> 16
		var rep int
		var v uint8
		switch {
		case sym < 16:
			lens[i] = uint8(sym)
			i++
			continue
		case sym == 16:
			if i == 0 {
				return errCorrupt
			}
			rep, v = 3+int(d.take(2)), lens[i-1]
		case sym == 17:
			rep = 3 + int(d.take(3))
		default:
			rep = 11 + int(d.take(7))
		}
		if i+rep > n {
			return errCorrupt
		}
		for range rep {
			lens[i] = v
			i++
		}
	}
	if lens[256] == 0 {
		return errCorrupt
	}
	if !d.lit.build(lens[:hlit], litBits, litSym) {
		return errCorrupt
	}
	if !d.dist.build(lens[hlit:n], distBits, distSym) {
		return errCorrupt
	}
	return nil
}

// codes decodes the compressed data of a block up to its end code.
func (d *decoder) codes() error {
	lit, dist := d.lit.e, d.dist.e
	const litMask, distMask = 1<<litBits - 1, 1<<distBits - 1
	// out keeps room for the longest match past q, its used length.
	const room = 258
	// The bit reader's state lives in locals here: the hot loop.
	in, pos, bits, nb := d.in, d.pos, d.bits, d.nb
	q := len(d.out)
	if d.max > 0 && q > d.max {
		return errTooLarge
	}
	out := d.out
	if cap(out)-q < 1<<16 {
		// Double (slices.Grow alone grows large slices by 1.25x, which
		// allocates 5 times the final size over a stream), but no
		// further than the bound and a match.
		need := max(1<<16, cap(out))
		if d.max > 0 {
			need = min(need, d.max+room-q)
		}
		out = slices.Grow(out, need)
	}
	out = out[:cap(out)]
	for {
		if len(out)-q < room {
			if d.max > 0 && q > d.max {
				d.out = out[:q]
				return errTooLarge
			}
			if d.max > 0 && 2*len(out) > d.max+room {
				// Doubling would pass the bound: grow once, to
				// exactly the bound and a match.
				grown := make([]uint16, d.max+room)
				copy(grown, out[:q])
				out = grown
				continue
			}
			out = slices.Grow(out[:q], len(out))
			out = out[:cap(out)]
		}
		// 15 bits of literal/length code, 5 extra, 15 of distance code
		// and 13 extra: 48 bits, one refill.
		if nb < 48 {
			if pos+8 <= len(in) {
				bits |= binary.LittleEndian.Uint64(in[pos:]) << nb
				pos += int(63-nb) >> 3
				nb |= 56
			} else {
				d.pos, d.bits, d.nb = pos, bits, nb
				d.refill()
				pos, bits, nb = d.pos, d.bits, d.nb
				if pos > len(in)+8 {
					d.out = out[:q]
					return errCorrupt
				}
			}
		}
		e := lit[bits&litMask]
		if e>>8&3 == kindLink {
			e = lit[int(e>>16)+int(bits>>litBits&(1<<(e&15)-1))]
		}
		n := uint(e & 15)
		bits >>= n
		nb -= n
		switch e >> 8 & 3 {
		case kindLiteral:
			out[q] = uint16(e >> 16)
			q++
			continue
		case kindEnd:
			d.out = out[:q]
			d.pos, d.bits, d.nb = pos, bits, nb
			if e>>16 != 0 {
				return errCorrupt
			}
			return nil
		}
		x := uint(e >> 4 & 15)
		length := int(e>>16) + int(bits&(1<<x-1))
		bits >>= x
		nb -= x
		e = dist[bits&distMask]
		if e>>8&3 == kindLink {
			e = dist[int(e>>16)+int(bits>>distBits&(1<<(e&15)-1))]
		}
		if e>>8&3 == kindEnd {
			d.out = out[:q]
			d.pos, d.bits, d.nb = pos, bits, nb
			return errCorrupt
		}
		n = uint(e & 15)
		bits >>= n
		nb -= n
		x = uint(e >> 4 & 15)
		distance := int(e>>16) + int(bits&(1<<x-1))
		bits >>= x
		nb -= x
		dst := out[q : q+length]
		if distance > q {
			if !d.window || distance > q+windowSize {
				d.out = out[:q]
				d.pos, d.bits, d.nb = pos, bits, nb
				return errCorrupt
			}
			// The first bytes come from the unknown window, the rest
			// from the chunk's start.
			j := windowSize + q - distance // window index of the first
			k := 0
			for ; k < len(dst) && j < windowSize; k, j = k+1, j+1 {
				dst[k] = uint16(marker + j)
			}
			for i := 0; k < len(dst); k, i = k+1, i+1 {
				dst[k] = out[i]
			}
			q += length
			continue
		}
		src := out[q-distance : q-distance+length]
		if distance >= length {
			copy(dst, src)
		} else {
			// Overlapping copies repeat what they have just written,
			// element by element.
			for k := range dst {
				dst[k] = src[k]
			}
		}
		q += length
	}
}

// run decodes blocks from bit start up to the block boundary at bit end,
// or through the final block if end is negative.
func (d *decoder) run(start, end int64) error {
	d.seek(start)
	for {
		if end >= 0 {
			if p := d.bitPos(); p == end {
				return nil
			} else if p > end {
				return errCorrupt
			}
		}
		final, err := d.block()
		if err != nil {
			return err
		}
		if d.max > 0 && len(d.out) > d.max {
			return errTooLarge
		}
		if final {
			if end >= 0 {
				return errCorrupt
			}
			return nil
		}
	}
}
