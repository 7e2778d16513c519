// Package gunzip decompresses a gzip file held in memory on several cores.
//
// Deflate (RFC 1951) is sequential: a block's matches may reach up to 32 KiB
// back into the output of the blocks before it. The stream is cut into
// chunks at block boundaries found by search (a dynamic Huffman block header
// that describes complete codes and decodes two blocks cleanly), and the
// chunks are decoded concurrently into 16-bit symbols: the bytes 0-255, and
// for a match reaching before the chunk's start, a marker naming the byte
// of the unknown 32 KiB window. Once the chunk before has been resolved, its
// last 32 KiB replace the markers by table lookup. This is the two-pass
// scheme of pugz (Kerbiriou and Chikhi, "Parallel decompression of gzip-
// compressed files and random access to DNA sequences", 2019) and
// rapidgzip (Knespel and Brunst, 2023).
//
// The decompressed bytes are checked against the gzip trailer's CRC-32 and
// length. Anything this package does not handle — a file of several gzip
// members, a stream without dynamic blocks where it is cut, a corrupt stream
// — is reported as an error matching ErrUnsplit before or instead of wrong
// bytes, and the caller decompresses sequentially, which gives the
// standard error for a corrupt file.
package gunzip

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"slices"
	"sync"
)

// ErrUnsplit reports a stream this package did not decompress in parallel;
// the caller decompresses it sequentially instead.
var ErrUnsplit = errors.New("gunzip: stream not decompressed in parallel")

// MinSize is the smallest compressed size worth splitting: below it
// starting the decoders costs more than they save. Callers decide.
const MinSize = 8 << 20

// DefaultChunk is the compressed size of a chunk: large enough that the
// search for its start and the resolution of its markers cost little, small
// enough that the cores share the work evenly and the chunks in flight stay
// small (each needs about 9 bytes of memory per compressed byte while
// decoded).
const DefaultChunk = 2 << 20

// maxRatio bounds a chunk's output at this many times its compressed
// size (at least 64 KiB compressed): a chunk is decoded whole into memory
// before it is read, so without a bound a few megabytes of zeros would
// expand to gigabytes at once (deflate reaches 1032:1). Text compresses
// far less (FER2013's CSV about 3.3:1); a stream past the bound is
// reported as ErrUnsplit and read sequentially, which streams.
const maxRatio = 32

// Reader reads the decompressed content of a gzip file held in memory.
type Reader struct {
	ctx    context.Context
	cancel context.CancelFunc
	data   []byte
	chunks []*chunk
	slots  chan struct{} // bounds the chunks decoded but not yet read
	wg     sync.WaitGroup

	// Buffers for reuse: symbols once resolved, text once read. Reusing
	// them keeps the garbage, and so the heap, small.
	syms  chan []uint16
	texts chan []byte

	next int    // the chunk being read
	cur  []byte // unread bytes of chunk next
	crc  uint32
	size uint32
	err  error
}

// chunk is one part of the stream, from bit start to bit end.
type chunk struct {
	start   int64
	end     int64         // -1 for the last chunk: through the final block
	skip    bool          // no start found: the chunk is empty
	found   chan struct{} // closed once start and skip are known
	window  chan []byte   // receives the 32 KiB of output up to the chunk's end
	done    chan struct{} // closed once text or err is set
	text    []byte
	trailer int // for the last chunk, the byte offset after the stream
	err     error
}

// NewReader starts decompressing the gzip file data in chunks of about
// chunkSize compressed bytes (DefaultChunk if chunkSize <= 0) with the given
// number of concurrent decoders. It returns an error matching ErrUnsplit if
// workers is below 2 or data does not start with a gzip header. Close
// releases the decoders.
func NewReader(ctx context.Context, data []byte, workers, chunkSize int) (*Reader, error) {
	if chunkSize <= 0 {
		chunkSize = DefaultChunk
	}
	start, ok := headerEnd(data)
	if !ok || workers < 2 {
		return nil, ErrUnsplit
	}
	bitsIn := int64(len(data)-8-start) * 8
	n := (len(data)-8-start)/chunkSize + 1
	r := &Reader{
		data:  data,
		slots: make(chan struct{}, workers+1),
		syms:  make(chan []uint16, workers+1),
		texts: make(chan []byte, workers+2),
	}
	r.ctx, r.cancel = context.WithCancel(ctx)
	r.chunks = make([]*chunk, n)
	for i := range n {
		r.chunks[i] = &chunk{
			start:  int64(start)*8 + bitsIn*int64(i)/int64(n),
			end:    -1,
			found:  make(chan struct{}),
			window: make(chan []byte, 1),
			done:   make(chan struct{}),
		}
	}
	close(r.chunks[0].found)
	r.chunks[0].window <- nil
	// One goroutine finds the boundaries, in order: cheap next to
	// decoding, so it stays ahead of the decoders.
	// The goroutines take data as an argument: r.data is dropped at the
	// end of the stream.
	r.wg.Go(func() { r.find(data) })
	sem := make(chan struct{}, workers)
	r.wg.Go(func() {
		for i := range r.chunks {
			select {
			case r.slots <- struct{}{}:
			case <-r.ctx.Done():
				return
			}
			select {
			case sem <- struct{}{}:
			case <-r.ctx.Done():
				return
			}
			r.wg.Go(func() {
				defer func() { <-sem }()
				r.decode(i, data)
			})
		}
	})
	return r, nil
}

// headerEnd returns the offset of the deflate stream in a gzip member
// (RFC 1952, 2.3).
func headerEnd(data []byte) (int, bool) {
	if len(data) < 18 || data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 || data[3]&0xe0 != 0 {
		return 0, false
	}
	flg := data[3]
	i := 10
	if flg&4 != 0 { // FEXTRA
		if i+2 > len(data) {
			return 0, false
		}
		i += 2 + int(binary.LittleEndian.Uint16(data[i:]))
	}
	for _, f := range []byte{8, 16} { // FNAME, FCOMMENT: zero-terminated
		if flg&f != 0 {
			if i > len(data) {
				return 0, false
			}
			z := bytes.IndexByte(data[i:], 0)
			if z < 0 {
				return 0, false
			}
			i += z + 1
		}
	}
	if flg&2 != 0 { // FHCRC
		i += 2
	}
	if i > len(data)-8 {
		return 0, false
	}
	return i, true
}

// find finds the start of every chunk after the first: the first position
// at or after its nominal start where trial succeeds, searched up to the
// next chunk's nominal start. A chunk without one is skipped: the chunk
// before it runs on to the next start found.
func (r *Reader) find(data []byte) {
	d := &decoder{in: data[:len(data)-8], window: true}
	for i := 1; i < len(r.chunks); i++ {
		c := r.chunks[i]
		limit := int64(len(data)-8) * 8
		if i+1 < len(r.chunks) {
			limit = r.chunks[i+1].start
		}
		from := c.start
		c.start = -1
		for p := from; p < limit && r.ctx.Err() == nil; p++ {
			if plausibleHeader(data, p, d) && d.trial(p) {
				c.start = p
				break
			}
		}
		c.skip = c.start < 0
		close(c.found)
	}
}

// trial reports whether decoding from bit p, with an unknown window before
// p, gives two blocks: a dynamic one, then another dynamic one whose header
// passes plausibleHeader too, or the final block ending the stream. Every
// bit string decodes as a block under complete Huffman codes, so the
// second header is the real test. plausibleHeader alone is rare outside
// block starts: on the FER2013 file, scanning 10.7 million bits for the 46
// chunk starts of 2 MiB chunks, the only positions it passed were the
// block starts found.
func (d *decoder) trial(p int64) bool {
	d.out = d.out[:0]
	d.seek(p)
	if final, err := d.block(); err != nil || final {
		return false
	}
	q := d.bitPos()
	final, err := d.block()
	switch {
	case err != nil:
		return false
	case final:
		return (d.bitPos()+7)/8 == int64(len(d.in))
	default:
		return plausibleHeader(d.in, q, d)
	}
}

// decode decodes chunk i, resolves its markers once the window before it
// is known and passes its own window on.
func (r *Reader) decode(i int, data []byte) {
	c := r.chunks[i]
	defer close(c.done)
	// The next chunk not skipped, if any, receives the window.
	var next *chunk
	fail := func(err error) {
		c.err = err
		if next != nil {
			next.window <- nil // next fails too: it never reads this
		}
	}
	select {
	case <-c.found:
	case <-r.ctx.Done():
		c.err = r.ctx.Err()
		return
	}
	if c.skip {
		// Empty: the chunk before decodes its part and passes its
		// window to the next chunk not skipped.
		return
	}
	next = r.following(i)
	if r.ctx.Err() != nil {
		fail(r.ctx.Err())
		return
	}
	end := int64(-1)
	if next != nil {
		end = next.start
	}
	// Output is about three times the input for text; the slice grows
	// past that if needed.
	d := &decoder{in: data, window: i > 0}
	size := (int64(len(data))*8 - c.start) / 8 * 4
	if end > 0 {
		size = (end - c.start) / 8 * 4
	}
	d.max = int(max(size/4, 64<<10) * maxRatio)
	select {
	case d.out = <-r.syms:
		d.out = d.out[:0]
	default:
	}
	d.out = slices.Grow(d.out, int(size))
	if err := d.run(c.start, end); err != nil {
		fail(ErrUnsplit)
		return
	}
	if next == nil {
		c.trailer = int((d.bitPos() + 7) / 8)
	}
	var win []byte
	select {
	case win = <-c.window:
	case <-r.ctx.Done():
		fail(r.ctx.Err())
		return
	}
	if i > 0 && win == nil {
		fail(ErrUnsplit)
		return
	}
	// Resolve the last window's worth first, so the next chunk can start
	// resolving while this one finishes.
	lut := new([1 << 16]byte)
	for b := range marker {
		lut[b] = byte(b)
	}
	copy(lut[marker+windowSize-len(win):], win)
	var text []byte
	select {
	case text = <-r.texts:
	default:
	}
	text = slices.Grow(text[:0], len(d.out))[:len(d.out)]
	tail := max(0, len(text)-windowSize)
	if !resolve(text[tail:], d.out[tail:], lut, len(win)) {
		fail(ErrUnsplit)
		return
	}
	if next != nil {
		nw := make([]byte, 0, windowSize)
		if len(text) < windowSize {
			nw = append(nw, win[max(0, len(win)-(windowSize-len(text))):]...)
		}
		next.window <- append(nw, text[tail:]...)
	}
	ok := resolve(text[:tail], d.out[:tail], lut, len(win))
	select {
	case r.syms <- d.out:
	default:
	}
	if !ok {
		c.err = ErrUnsplit
		return
	}
	c.text = text
}

// following waits for the starts of the chunks after i to be found and
// returns the first not skipped, or nil if there is none or the read was
// cancelled.
func (r *Reader) following(i int) *chunk {
	for _, c := range r.chunks[i+1:] {
		select {
		case <-c.found:
		case <-r.ctx.Done():
			return nil
		}
		if !c.skip {
			return c
		}
	}
	return nil
}

// resolve writes the bytes of the symbols src to dst, looking markers up in
// lut, whose window part holds known bytes in its last known positions. It
// reports false if a marker points before them: before the stream's start.
func resolve(dst []byte, src []uint16, lut *[1 << 16]byte, known int) bool {
	dst = dst[:len(src)]
	if known < windowSize {
		lowest := uint16(marker + windowSize - known)
		for _, v := range src {
			if v >= marker && v < lowest {
				return false
			}
		}
	}
	for k, v := range src {
		dst[k] = lut[v]
	}
	return true
}

// Read reads decompressed bytes. At the end of the stream it checks the
// CRC-32 and length of the gzip trailer; any failure matches ErrUnsplit.
func (r *Reader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.next > 0 {
			// The chunk just read gives its slot and its buffer back.
			prev := r.chunks[r.next-1]
			select {
			case r.texts <- prev.text:
			default:
			}
			prev.text = nil
			<-r.slots
		}
		if r.next == len(r.chunks) {
			r.err = r.finish()
			return 0, r.err
		}
		c := r.chunks[r.next]
		select {
		case <-c.done:
		case <-r.ctx.Done():
			r.err = r.ctx.Err()
			return 0, r.err
		}
		if c.err != nil {
			r.err = errors.Join(ErrUnsplit, c.err)
			return 0, r.err
		}
		r.next++
		r.cur = c.text
		r.crc = crc32.Update(r.crc, crc32.IEEETable, c.text)
		r.size += uint32(len(c.text))
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// finish checks the trailer after the last chunk.
func (r *Reader) finish() error {
	last := r.chunks[len(r.chunks)-1]
	t := r.data[len(r.data)-8:]
	n := len(r.data)
	// The decoders are done: let the compressed bytes go.
	r.data = nil
	if last.trailer != n-8 ||
		binary.LittleEndian.Uint32(t) != r.crc || binary.LittleEndian.Uint32(t[4:]) != r.size {
		return ErrUnsplit
	}
	return io.EOF
}

// Close stops the decoders and waits for them.
func (r *Reader) Close() error {
	r.cancel()
	r.wg.Wait()
	return nil
}
