package dataset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

const (
	// maxPixels bounds the number of pixels of a row.
	maxPixels = 1 << 22
	// maxLine bounds the length of a line in bytes.
	maxLine = 1 << 26
	// maxLabel is the largest emotion label.
	maxLabel = 999
	// clipLen bounds how much of a bad value error messages quote.
	clipLen = 40
)

// Column kinds.
const (
	colEmotion = iota
	colPixels
	colUsage
)

// colNames are the header names of the column kinds.
var colNames = [...]string{colEmotion: "emotion", colPixels: "pixels", colUsage: "Usage"}

// format is what the header and the first data row fix about a file.
type format struct {
	kinds    []int // kind of each column, in file order
	hasLabel bool
	hasUsage bool
	dim      int // pixels per row; 0 until the first row is parsed
	side     int // dim == side*side
	first    int // 1-based line of the first data row
}

// errQuote is the message for a malformed quoted field, as in encoding/csv.
var errQuote = errors.New(`extraneous or missing " in quoted field`)

// errBareQuote is the message for a quote inside an unquoted field, as in
// encoding/csv.
var errBareQuote = errors.New(`bare " in non-quoted field`)

// nextField returns the field of line l that starts at byte pos, whether it
// was quoted, and the position of the next field, or -1 if it is the last.
// Quoted fields that contain "" are unescaped into *scratch.
func nextField(l []byte, pos int, scratch *[]byte) (field []byte, quoted bool, next int, err error) {
	if pos < len(l) && l[pos] == '"' {
		// RFC 4180 quoted field: "..." with "" standing for ".
		start := pos + 1
		esc := false
		i := start
		for {
			j := bytes.IndexByte(l[i:], '"')
			if j < 0 {
				return nil, true, -1, errQuote
			}
			i += j
			if i+1 < len(l) && l[i+1] == '"' {
				esc = true
				i += 2
				continue
			}
			break
		}
		// l[i] is the closing quote.
		field = l[start:i]
		switch {
		case i+1 == len(l):
			next = -1
		case l[i+1] == ',':
			next = i + 2
		default:
			return nil, true, -1, errQuote
		}
		if esc {
			s := (*scratch)[:0]
			for k := 0; k < len(field); k++ {
				s = append(s, field[k])
				if field[k] == '"' {
					k++
				}
			}
			*scratch = s
			field = s
		}
		return field, true, next, nil
	}
	j := bytes.IndexByte(l[pos:], ',')
	if j < 0 {
		return l[pos:], false, -1, nil
	}
	return l[pos : pos+j], false, pos + j + 1, nil
}

// trimSpace removes leading and trailing ASCII spaces.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// clip returns b as a Go-quoted string, shortened to clipLen bytes.
func clip(b []byte) string {
	if len(b) > clipLen {
		return strconv.Quote(string(b[:clipLen])) + "..."
	}
	return strconv.Quote(string(b))
}

// parseHeader reads the column names of header line l.
func parseHeader(l []byte) (*format, error) {
	f := &format{}
	var scratch []byte
	seen := [3]bool{}
	for pos := 0; pos >= 0; {
		fld, _, next, err := nextField(l, pos, &scratch)
		if err != nil {
			return nil, fmt.Errorf("header: %w", err)
		}
		pos = next
		name := trimSpace(fld)
		kind := -1
		for k, n := range colNames {
			if string(name) == n {
				kind = k
			}
		}
		if kind < 0 {
			return nil, fmt.Errorf("header: unknown column %s (want emotion, pixels or Usage)", clip(name))
		}
		if seen[kind] {
			return nil, fmt.Errorf("header: duplicate column %q", colNames[kind])
		}
		seen[kind] = true
		f.kinds = append(f.kinds, kind)
	}
	if !seen[colPixels] {
		return nil, fmt.Errorf("header: missing column %q", colNames[colPixels])
	}
	f.hasLabel = seen[colEmotion]
	f.hasUsage = seen[colUsage]
	return f, nil
}

// rows accumulates parsed rows.
type rows struct {
	pix     []uint8 // n*dim grey levels
	labels  []int
	usage   []Usage
	line    []int     // line of each row, relative to the start of the text
	scratch [3][]byte // unescaped quoted fields, one per column
	fields  [3][]byte // fields of the current row
	quoted  [3]bool   // whether each field was quoted
	first   []uint8   // pixels of the first row, before dim is known
}

// reset empties r, keeping its storage.
func (r *rows) reset() {
	r.pix = r.pix[:0]
	r.labels = r.labels[:0]
	r.usage = r.usage[:0]
	r.line = r.line[:0]
}

// parseRow parses data line l (without its line end) and appends it to r.
// If f.dim is 0, the row fixes it. On error r is unchanged.
func (f *format) parseRow(l []byte, r *rows) error {
	nf := 0
	for pos := 0; pos >= 0; nf++ {
		var sc *[]byte
		if nf < len(f.kinds) {
			sc = &r.scratch[nf]
		} else {
			sc = &r.scratch[0]
		}
		fld, q, next, err := nextField(l, pos, sc)
		if err != nil {
			if nf < len(f.kinds) {
				return fmt.Errorf("%s: %w", colNames[f.kinds[nf]], err)
			}
			return fmt.Errorf("field %d: %w", nf+1, err)
		}
		if nf < len(f.kinds) {
			r.fields[nf] = fld
			r.quoted[nf] = q
		}
		pos = next
	}
	if nf != len(f.kinds) {
		return fmt.Errorf("%d fields, want %d", nf, len(f.kinds))
	}
	label, usage := -1, Training
	n0 := len(r.pix)
	for c, kind := range f.kinds {
		fld, q := r.fields[c], r.quoted[c]
		var err error
		switch kind {
		case colEmotion:
			label, err = parseLabel(fld, q)
		case colUsage:
			usage, err = parseUsageField(fld, q)
		case colPixels:
			err = f.parsePixelField(fld, q, r)
		}
		if err != nil {
			r.pix = r.pix[:n0]
			return fmt.Errorf("%s: %w", colNames[kind], err)
		}
	}
	r.labels = append(r.labels, label)
	r.usage = append(r.usage, usage)
	return nil
}

// parseLabel parses an emotion field.
func parseLabel(fld []byte, quoted bool) (int, error) {
	if !quoted && bytes.IndexByte(fld, '"') >= 0 {
		return 0, errBareQuote
	}
	t := trimSpace(fld)
	v, ok, neg := parseDigits(t, maxLabel)
	switch {
	case ok:
		return v, nil
	case neg || isDigits(t):
		return 0, fmt.Errorf("value %s out of range 0..%d", clipRaw(t), maxLabel)
	}
	return 0, fmt.Errorf("%s is not an integer", clip(t))
}

// parseUsageField parses a Usage field.
func parseUsageField(fld []byte, quoted bool) (Usage, error) {
	if !quoted && bytes.IndexByte(fld, '"') >= 0 {
		return 0, errBareQuote
	}
	t := trimSpace(fld)
	if u, ok := lookupUsage(t); ok {
		return u, nil
	}
	return 0, fmt.Errorf("unknown value %s (%s)", clip(t), usageWant)
}

// parsePixelField parses the pixels field of a row and appends the values
// to r.pix. When f.dim is 0 it fixes f.dim from the count.
func (f *format) parsePixelField(fld []byte, quoted bool, r *rows) error {
	if f.dim == 0 {
		// First row: the count is not known yet. Allocate for the
		// values present (each takes at least one byte), but at most
		// maxPixels+1 so that a longer row is still reported.
		cnt := min(countTokens(fld), maxPixels+1)
		if cap(r.first) < cnt {
			r.first = make([]uint8, cnt)
		}
		n, err := parsePixels(fld, r.first[:cnt], quoted)
		if err != nil {
			return err
		}
		if n > maxPixels {
			return fmt.Errorf("more than %d values", maxPixels)
		}
		if n == 0 {
			return errors.New("no values")
		}
		side := int(math.Sqrt(float64(n)))
		for side*side > n {
			side--
		}
		for (side+1)*(side+1) <= n {
			side++
		}
		if side*side != n {
			return fmt.Errorf("%d values is not a perfect square", n)
		}
		f.dim, f.side = n, side
		r.pix = append(r.pix, r.first[:n]...)
		return nil
	}
	n0 := len(r.pix)
	if cap(r.pix)-n0 < f.dim {
		r.pix = append(r.pix[:cap(r.pix)], make([]uint8, f.dim)...)
	}
	r.pix = r.pix[:n0+f.dim]
	n, err := parsePixels(fld, r.pix[n0:], quoted)
	if err != nil {
		return err
	}
	if n != f.dim {
		return fmt.Errorf("%d values, want %d (as line %d)", n, f.dim, f.first)
	}
	return nil
}

// countTokens returns the number of maximal runs of non-space bytes in b.
func countTokens(b []byte) int {
	n := 0
	in := false
	for _, c := range b {
		sp := c == ' '
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// parsePixels parses the space-separated grey levels in s. It stores the
// first len(dst) values in dst and returns the number of values in s.
//
// The fast path works on blocks of 64 bytes. For each it checks with word
// operations that every byte is a digit or a space and builds a bitmap of
// the spaces; the tokens are then the gaps between set bits, found with
// trailing-zero counts (pixelBlock), so that there is no branch per byte.
// The first block, blocks with anything else, repeated spaces, tokens longer
// than 3 bytes or over 255, the last bytes of s and the bytes beyond dst go
// through the byte-wise pixelStep, which also produces the errors.
func parsePixels(s []byte, dst []uint8, quoted bool) (int, error) {
	const (
		ones  = 0x0101010101010101
		zeros = 0x30 * ones // "00000000"
	)
	n := 0
	i := 0 // start of the next token
	for blk := 64; blk+64 <= len(s); blk += 64 {
		// Up to blk byte by byte, but leave a token that crosses into
		// this block to pixelBlock.
		for i < blk && (i < blk-3 || bytes.IndexByte(s[i:blk], ' ') >= 0) {
			var err error
			if i, n, err = pixelStep(s, i, n, dst, quoted); err != nil {
				return n, err
			}
		}
		if i >= blk+64 {
			continue
		}
		// dig holds s[blk-8:blk+64] with digits as 0..9 and spaces as
		// 0x10; bm the bitmap of the spaces of s[blk:blk+64].
		var dig [72]byte
		var bm, bad uint64
		binary.LittleEndian.PutUint64(dig[:], binary.LittleEndian.Uint64(s[blk-8:])^zeros)
		w := s[blk : blk+64]
		for k := 0; k < 64; k += 8 {
			t := binary.LittleEndian.Uint64(w[k:]) ^ zeros
			sp := (t >> 4) & ones // 1 where the byte may be a space
			bad |= t&(0xe0*ones) | (t&(0x0f*ones)+0x06*ones)&(0x10*ones) | (sp*0x0f)&t
			bm |= (sp * 0x0102040810204080 >> 56) << k
			binary.LittleEndian.PutUint64(dig[8+k:], t)
		}
		if bad == 0 && n+32 <= len(dst) {
			// At most 32 tokens end in 64 bytes.
			var k int
			i, k = pixelBlock(&dig, blk, i, bm, (*[32]uint8)(dst[n:n+32]))
			n += k
		}
	}
	for i < len(s) {
		var err error
		if i, n, err = pixelStep(s, i, n, dst, quoted); err != nil {
			return n, err
		}
	}
	return n, nil
}

// digitMask keeps the low nibbles of the last l of the first 3 bytes of a
// little-endian word, for a token of l bytes.
var digitMask = [4]uint32{0, 0x0f0000, 0x0f0f00, 0x0f0f0f}

// pixelBlock parses the tokens that start at i and end at the spaces marked
// in bm, the bitmap of the spaces in s[blk:blk+64], where blk-3 <= i,
// s[i:blk] holds no space, and dig holds s[blk-8:blk+64] with digits as 0..9. It stores the values in
// out and returns the start of the first token not parsed and the number
// parsed. It stops at a repeated space, a token longer than 3 bytes or a
// value over 255.
func pixelBlock(dig *[72]byte, blk, i int, bm uint64, out *[32]uint8) (int, int) {
	if i > blk {
		bm &= ^uint64(0) << uint(i-blk)
	}
	k := 0
	for bm != 0 {
		q := bits.TrailingZeros64(bm) // the space ends the token at blk+q
		l := blk + q - i
		if uint(l-1) > 2 {
			break
		}
		// Bytes 0..2 of x are s[blk+q-3:blk+q], which end with the l
		// digits.
		x := binary.LittleEndian.Uint32(dig[q+5:]) & digitMask[l&3]
		v := (x&0xff)*100 + (x>>8&0xff)*10 + x>>16
		if v > 255 {
			break
		}
		out[k&31] = uint8(v)
		k++
		bm &= bm - 1
		i = blk + q + 1
	}
	return i, k
}

// pixelStep parses the space or the token of s at i byte by byte, storing
// the value as pixel n if n < len(dst). It returns the next position and
// the new count.
func pixelStep(s []byte, i, n int, dst []uint8, quoted bool) (int, int, error) {
	if s[i] == ' ' {
		return i + 1, n, nil
	}
	start := i
	v := uint(0)
	for i < len(s) {
		d := uint(s[i]) - '0'
		if d > 9 {
			break
		}
		v = v*10 + d
		i++
	}
	if i == start || i-start > 3 || v > 255 || (i < len(s) && s[i] != ' ') {
		var err error
		v, i, err = slowPixel(s, start, n, quoted)
		if err != nil {
			return i, n, err
		}
	}
	if n < len(dst) {
		dst[n] = uint8(v)
	}
	return i, n + 1, nil
}

// slowPixel parses the pixel token of s that starts at start, the n-th
// (0-based) of its row, when the fast path of parsePixels rejected it. It
// returns the value and the end of the token.
func slowPixel(s []byte, start, n int, quoted bool) (uint, int, error) {
	end := start
	for end < len(s) && s[end] != ' ' {
		end++
	}
	t := s[start:end]
	v, ok, neg := parseDigits(t, 255)
	switch {
	case ok:
		return uint(v), end, nil
	case !quoted && bytes.IndexByte(t, '"') >= 0:
		return 0, end, errBareQuote
	case neg || isDigits(t):
		return 0, end, fmt.Errorf("value %s out of range 0..255 (pixel %d)", clipRaw(t), n)
	}
	return 0, end, fmt.Errorf("%s is not an integer (pixel %d)", clip(t), n)
}

// parseDigits parses t as a decimal integer in 0..max: one or more ASCII
// digits, leading zeros allowed. neg reports whether t is a minus sign
// followed by digits.
func parseDigits(t []byte, max int) (v int, ok, neg bool) {
	if len(t) > 1 && t[0] == '-' && isDigits(t[1:]) {
		return 0, false, true
	}
	if !isDigits(t) {
		return 0, false, false
	}
	for len(t) > 1 && t[0] == '0' {
		t = t[1:]
	}
	if len(t) > 9 {
		return 0, false, false
	}
	for _, c := range t {
		v = v*10 + int(c-'0')
	}
	return v, v <= max, false
}

// isDigits reports whether t is one or more ASCII digits.
func isDigits(t []byte) bool {
	if len(t) == 0 {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// clipRaw returns b unquoted, shortened to clipLen bytes; b holds only
// digits and a sign.
func clipRaw(b []byte) string {
	if len(b) > clipLen {
		return string(b[:clipLen]) + "..."
	}
	return string(b)
}
