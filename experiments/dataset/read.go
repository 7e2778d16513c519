package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"

	"github.com/klauspost/compress/gzip"
)

const (
	// defaultChunk is the size of the text chunks handed to the parsers.
	defaultChunk = 1 << 20
	// firstChunk bounds the size of the first text chunk.
	firstChunk = 64 << 10
	// rawBlock is the size of the blocks of compressed input.
	rawBlock = 256 << 10
	// queued bounds the number of chunks between the reader and the
	// assembler.
	queued = 8
)

// The reader works as a pipeline of goroutines:
//
//	source -> [raw blocks -> gzip] -> chunker -> parsers -> assembler
//
// The chunker cuts the text into chunks that end at a line end (except at
// the end of input), parses the header and first data row itself, then hands
// each chunk to the parsers and, in file order, to the assembler (the calling
// goroutine), which waits for each chunk's result and appends it. Line
// numbers in results are relative to their chunk, so chunks can be parsed
// independently; the assembler adds the count of preceding lines. Each chunk
// stops at its first error and the assembler returns the first error it
// meets, which is therefore the one on the first bad line. Errors of input
// and decompression travel the same ordered stream, after the text that
// preceded them.

// item is one chunk of text on its way through the pipeline.
type item struct {
	buf  []byte       // buffer to recycle once text is parsed, or nil
	text []byte       // whole lines
	res  chan *result // receives the parsed rows; buffered
}

// result is the parsed content of one chunk.
type result struct {
	pix     []uint8 // grey levels of the rows
	labels  []int
	usage   []Usage
	line    []int // line of each row, relative to the chunk
	nl      int   // number of line ends in the chunk
	size    int   // bytes of text in the chunk
	err     error // first error, or nil
	errLine int   // line of err relative to the chunk, or -1 if err has none
}

// pipeline holds the state shared by the goroutines of one read.
type pipeline struct {
	ctx   context.Context
	name  string
	chunk int

	items chan *item  // ordered, to the assembler
	work  chan *item  // to the parsers
	bufs  chan []byte // free text buffers

	// Prelude state, owned by the chunker: the format once the header is
	// read, whether the text has started, and the 1-based line at which the
	// next chunk starts.
	f       *format
	started bool
	line    int

	expect int64 // size of the text if known, else 0
	lim    limit // bound on the float32 matrix
}

// hashReader hashes what it reads.
type hashReader struct {
	r io.Reader
	h hash.Hash
}

func (h *hashReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	return n, err
}

// read implements Read with text chunks of the given size.
func read(r io.Reader, name string, chunk int) (*Dataset, error) {
	return readCtx(context.Background(), r, name, chunk, limit{})
}

// readCtx is read with a bound on the float32 matrix that stops,
// returning ctx.Err(), when ctx ends; a read of r that blocks is not
// interrupted (loadCtx closes the file for that).
func readCtx(ctx context.Context, r io.Reader, name string, chunk int, lim limit) (*Dataset, error) {
	sum := sha256.New()
	hr := &hashReader{r: r, h: sum}
	// The first bytes say whether it is gzip, or binary data that is no
	// CSV (sniffBinary).
	var head [512]byte
	n, err := io.ReadFull(hr, head[:])
	var src io.Reader = io.MultiReader(bytes.NewReader(head[:n]), hr)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		// The rows read before the error are parsed first: a bad one
		// among them is the error to report.
		src = io.MultiReader(bytes.NewReader(head[:n]), errReader{err})
	}
	isGzip := n >= 2 && head[0] == 0x1f && head[1] == 0x8b

	workers := runtime.GOMAXPROCS(0)
	if !isGzip {
		if what, line := sniffBinary(head[:n]); what != "" {
			return nil, fmt.Errorf("%s:%d: %s", name, line, what)
		}
		d, err := readText(ctx, src, name, chunk, workers, fileSize(r), lim,
			func(err error) error { return fmt.Errorf("read %s: %w", name, err) })
		if err != nil {
			return nil, err
		}
		d.SHA256 = hex.EncodeToString(sum.Sum(nil))
		return d, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if workers > 1 {
		// Decompression is the bottleneck: leave it a CPU of its own.
		workers--
	}
	raw := make(chan rawMsg, 4)
	cr := &chanReader{ctx: ctx, in: raw, free: make(chan []byte, 6)}
	var wg sync.WaitGroup
	wg.Go(func() { cr.pump(src) })
	zr, err := gzip.NewReader(cr)
	var d *Dataset
	if err != nil {
		err = cr.wrap(name, err)
	} else {
		// The decompressed data's first bytes, for sniffBinary; a read
		// error there comes again from zr in readText.
		var zhead [512]byte
		m, _ := io.ReadFull(zr, zhead[:])
		if what, line := sniffBinary(zhead[:m]); what != "" {
			err = fmt.Errorf("%s:%d: %s", name, line, what)
		} else {
			d, err = readText(ctx, io.MultiReader(bytes.NewReader(zhead[:m]), zr), name, chunk, workers, 0, lim, func(err error) error { return cr.wrap(name, err) })
		}
	}
	cancel()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	d.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return d, nil
}

// fileSize returns the size of r if it is a regular file, else 0.
func fileSize(r io.Reader) int64 {
	f, ok := r.(*os.File)
	if !ok {
		return 0
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	return st.Size()
}

// readText parses the CSV text read from src with the given number of
// parsers; wrap describes an error of src. expect is the size of the text
// if known (else 0), which lets the pixels be converted as they arrive into
// a matrix allocated once; lim bounds that matrix, checked as rows arrive.
// It returns without waiting for src's producers, which the caller stops
// through ctx.
func readText(ctx context.Context, src io.Reader, name string, chunk, workers int, expect int64, lim limit, wrap func(error) error) (*Dataset, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	p := &pipeline{
		ctx:    ctx,
		name:   name,
		chunk:  chunk,
		items:  make(chan *item, queued),
		work:   make(chan *item, workers),
		bufs:   make(chan []byte, queued+workers+2),
		line:   1,
		expect: expect,
		lim:    lim,
	}
	wg.Go(func() { p.chunker(src, wrap) })
	for range workers {
		wg.Go(p.parser)
	}
	d, err := p.assemble()
	cancel() // stops the goroutines on error
	wg.Wait()
	return d, err
}

// getBuf returns a free text buffer of at least n bytes.
func (p *pipeline) getBuf(n int) []byte {
	select {
	case b := <-p.bufs:
		if len(b) >= n {
			return b
		}
	default:
	}
	return make([]byte, max(n, p.chunk))
}

// putBuf recycles a text buffer.
func (p *pipeline) putBuf(b []byte) {
	select {
	case p.bufs <- b:
	default:
	}
}

// send queues it for the assembler and, if parse is set, for the parsers. It
// reports false if the read was cancelled.
func (p *pipeline) send(it *item, parse bool) bool {
	select {
	case p.items <- it:
	case <-p.ctx.Done():
		return false
	}
	if !parse {
		return true
	}
	select {
	case p.work <- it:
		return true
	case <-p.ctx.Done():
		return false
	}
}

// fail queues err as the last item and ends the stream.
func (p *pipeline) fail(err error) {
	res := &result{err: err, errLine: -1}
	p.failResult(res)
}

// failResult queues a finished result as the last item and ends the stream.
func (p *pipeline) failResult(res *result) {
	it := &item{res: make(chan *result, 1)}
	it.res <- res
	p.send(it, false)
	close(p.items)
	close(p.work)
}

// fill reads from src until b is full or src fails. Unlike io.ReadFull it
// returns the error of src unchanged.
func fill(src io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		k, err := src.Read(b[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// chunker cuts the text read from src into line-aligned chunks and sends
// them down the pipeline. wrap describes an error of src.
func (p *pipeline) chunker(src io.Reader, wrap func(error) error) {
	// The first chunk is parsed sequentially (prelude) and small inputs
	// are common in tests: start small.
	buf := make([]byte, min(p.chunk, firstChunk))
	carry := 0 // bytes of an unfinished line at the start of buf
	for {
		n, err := fill(src, buf[carry:])
		end := carry + n
		if err == nil {
			i := bytes.LastIndexByte(buf[:end], '\n')
			if i < 0 {
				// One line fills buf.
				if end > maxLine {
					p.failResult(&result{err: fmt.Errorf("line longer than %d bytes", maxLine)})
					return
				}
				nb := make([]byte, min(2*len(buf), maxLine+1))
				carry = copy(nb, buf[:end])
				buf = nb
				continue
			}
			rest := buf[i+1 : end]
			nb := p.getBuf(2 * len(rest))
			carry = copy(nb, rest)
			if !p.emit(buf, buf[:i+1]) {
				return
			}
			buf = nb
			continue
		}
		if err == io.EOF {
			if end > 0 && !p.emit(buf, buf[:end]) {
				return
			}
			p.finish()
			return
		}
		// Parse the whole lines before the error first: an error in
		// them comes first.
		if i := bytes.LastIndexByte(buf[:end], '\n'); i >= 0 && !p.emit(buf, buf[:i+1]) {
			return
		}
		p.fail(wrap(err))
		return
	}
}

// finish ends the stream at the end of input.
func (p *pipeline) finish() {
	switch {
	case p.f == nil:
		p.fail(fmt.Errorf("%s: empty file", p.name))
	case p.f.dim == 0:
		p.fail(fmt.Errorf("%s: no data rows", p.name))
	default:
		close(p.items)
		close(p.work)
	}
}

// emit sends a chunk of text held in buf down the pipeline. It reports false
// if the stream has ended.
func (p *pipeline) emit(buf, text []byte) bool {
	if p.f == nil || p.f.dim == 0 {
		var res *result
		text, res = p.prelude(text)
		if res.err != nil {
			p.failResult(res)
			return false
		}
		it := &item{res: make(chan *result, 1)}
		it.res <- res
		if !p.send(it, false) {
			return false
		}
		if len(text) == 0 {
			p.putBuf(buf)
			return true
		}
	}
	return p.send(&item{buf: buf, text: text, res: make(chan *result, 1)}, true)
}

// prelude parses text sequentially up to and including the first data row.
// It returns the rest of text and the result for the part it parsed.
func (p *pipeline) prelude(text []byte) ([]byte, *result) {
	var r rows
	if !p.started {
		p.started = true
		text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	}
	rel := 0
	for len(text) > 0 && (p.f == nil || p.f.dim == 0) {
		l, rest, nl := cutLine(text)
		if len(l) > 0 {
			if p.f == nil {
				f, err := parseHeader(l)
				if err != nil {
					return nil, &result{err: err, errLine: rel}
				}
				p.f = f
			} else {
				if err := p.f.parseRow(l, &r); err != nil {
					return nil, &result{err: err, errLine: rel}
				}
				r.line = append(r.line, rel)
				p.f.first = p.line + rel
			}
		}
		rel += nl
		text = rest
	}
	p.line += rel
	return text, r.result(rel)
}

// cutLine splits the first line off text. It returns the line without its
// LF or CRLF end, the rest of text, and 1 if the line had an end, else 0.
func cutLine(text []byte) (line, rest []byte, nl int) {
	i := bytes.IndexByte(text, '\n')
	if i < 0 {
		line, rest = text, nil
	} else {
		line, rest, nl = text[:i], text[i+1:], 1
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest, nl
}

// parser parses chunks until the stream ends.
func (p *pipeline) parser() {
	var r rows
	for {
		select {
		case it, ok := <-p.work:
			if !ok {
				return
			}
			r.reset()
			res := p.f.parseText(it.text, &r)
			res.size = len(it.text)
			p.putBuf(it.buf)
			it.res <- res
		case <-p.ctx.Done():
			return
		}
	}
}

// parseText parses the data lines of text, stopping at the first error. It
// uses r as scratch space.
func (f *format) parseText(text []byte, r *rows) *result {
	rel := 0
	for len(text) > 0 {
		l, rest, nl := cutLine(text)
		if len(l) > 0 {
			if err := f.parseRow(l, r); err != nil {
				return &result{err: err, errLine: rel}
			}
			r.line = append(r.line, rel)
		}
		rel += nl
		text = rest
	}
	return r.result(rel)
}

// result returns a copy of the rows in r as the result of a chunk with nl
// line ends.
func (r *rows) result(nl int) *result {
	return &result{
		pix:    append([]uint8(nil), r.pix...),
		labels: append([]int(nil), r.labels...),
		usage:  append([]Usage(nil), r.usage...),
		line:   append([]int(nil), r.line...),
		nl:     nl,
	}
}

// assemble collects the results in order into a Dataset.
func (p *pipeline) assemble() (*Dataset, error) {
	d := &Dataset{Name: p.name}
	line := 1
	var parts []*result // results holding rows, in order, not yet converted
	text := 0           // bytes of text so far
	for {
		// The producers stop when ctx ends, without closing items.
		var it *item
		select {
		case next, ok := <-p.items:
			if !ok {
				return p.finishAssembly(d, parts)
			}
			it = next
		case <-p.ctx.Done():
			return nil, p.ctx.Err()
		}
		var res *result
		select {
		case res = <-it.res:
		case <-p.ctx.Done():
			return nil, p.ctx.Err()
		}
		if res.err != nil {
			if res.errLine < 0 {
				return nil, res.err
			}
			return nil, fmt.Errorf("%s:%d: %w", p.name, line+res.errLine, res.err)
		}
		for _, l := range res.line {
			d.Line = append(d.Line, line+l)
		}
		d.Labels = append(d.Labels, res.labels...)
		d.Usage = append(d.Usage, res.usage...)
		line += res.nl
		text += res.size
		if d.N() > 0 {
			if fit := p.lim.rows(p.f.dim); d.N() > fit {
				// Refuse at the first row past the limit, whatever
				// the chunks, before its pixels are converted.
				return nil, p.lim.check(p.name, d.Line[fit], fit+1, p.f.dim)
			}
		}
		if len(res.labels) > 0 {
			parts = append(parts, res)
		}
		if p.expect > 0 && d.Pixels == nil && d.N() >= 64 {
			// Allocate the matrix for the rows expected at the mean
			// row length so far, with 1% to spare; append grows it
			// if that falls short. The expected size is a hint (the
			// gzip trailer holds it modulo 2^32), so the allocation
			// stops at the limit instead of refusing.
			rows := int(min(float64(p.expect)/(float64(text)/float64(d.N()))*1.01+64, float64(p.lim.rows(p.f.dim))))
			d.Pixels = make([]float32, 0, rows*p.f.dim)
		}
		if d.Pixels != nil {
			for _, r := range parts {
				d.Pixels = appendFloat32(d.Pixels, r.pix)
			}
			parts = parts[:0]
		}
	}
}

// finishAssembly completes d once every chunk is in: parts are the results
// whose pixels are not yet in d.Pixels.
func (p *pipeline) finishAssembly(d *Dataset, parts []*result) (*Dataset, error) {
	if d.N() == 0 {
		return nil, errors.New("dataset: internal error: no rows and no error")
	}
	d.Dim = p.f.dim
	d.Side = p.f.side
	d.HasLabels = p.f.hasLabel
	if d.Pixels == nil {
		d.Pixels = make([]float32, d.N()*d.Dim)
		toFloat32(d.Pixels, parts)
	} else {
		d.Pixels = d.Pixels[:len(d.Pixels):len(d.Pixels)]
	}
	return d, nil
}

// toFloat32 converts the pixels of parts, in order, to dst, using all CPUs.
// appendFloat32 appends the grey levels pix to dst as float32.
func appendFloat32(dst []float32, pix []uint8) []float32 {
	n := len(dst)
	dst = slices.Grow(dst, len(pix))[:n+len(pix)]
	out := dst[n:]
	for i, v := range pix {
		out[i] = float32(v)
	}
	return dst
}

func toFloat32(dst []float32, parts []*result) {
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			off := 0
			for k, r := range parts {
				if k%workers == w {
					out := dst[off : off+len(r.pix)]
					for i, v := range r.pix {
						out[i] = float32(v)
					}
				}
				off += len(r.pix)
			}
		})
	}
	wg.Wait()
}

// rawMsg is a block of compressed input or the error that ended it.
type rawMsg struct {
	b   []byte
	err error
}

// chanReader is the input of the gzip decompressor: it reads compressed
// input in a goroutine of its own (pump), so that reading and hashing it
// overlap decompression.
type chanReader struct {
	ctx  context.Context
	in   chan rawMsg
	free chan []byte
	buf  []byte // current block
	r    int    // read position in buf
	err  error  // sticky error
	src  error  // error of the underlying reader, if any
}

// pump reads src into blocks until its end or error.
func (c *chanReader) pump(src io.Reader) {
	defer close(c.in)
	for {
		var b []byte
		select {
		case b = <-c.free:
		default:
			b = make([]byte, rawBlock)
		}
		n, err := fill(src, b)
		if n > 0 {
			select {
			case c.in <- rawMsg{b: b[:n]}:
			case <-c.ctx.Done():
				return
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			select {
			case c.in <- rawMsg{err: err}:
			case <-c.ctx.Done():
			}
			return
		}
	}
}

// next moves to the next block. It reports false at the end.
func (c *chanReader) next() bool {
	if c.err != nil {
		return false
	}
	if c.buf != nil {
		select {
		case c.free <- c.buf[:cap(c.buf)]:
		default:
		}
		c.buf, c.r = nil, 0
	}
	select {
	case m, ok := <-c.in:
		switch {
		case !ok:
			c.err = io.EOF
		case m.err != nil:
			c.err, c.src = m.err, m.err
		default:
			c.buf, c.r = m.b, 0
			return true
		}
	case <-c.ctx.Done():
		c.err = c.ctx.Err()
	}
	return false
}

func (c *chanReader) Read(p []byte) (int, error) {
	for c.r == len(c.buf) {
		if !c.next() {
			return 0, c.err
		}
	}
	n := copy(p, c.buf[c.r:])
	c.r += n
	return n, nil
}

func (c *chanReader) ReadByte() (byte, error) {
	for c.r == len(c.buf) {
		if !c.next() {
			return 0, c.err
		}
	}
	b := c.buf[c.r]
	c.r++
	return b, nil
}

// wrap describes an error returned by the decompressor.
func (c *chanReader) wrap(name string, err error) error {
	if c.src != nil {
		return fmt.Errorf("read %s: %w", name, c.src)
	}
	return gzipErr(name, err)
}

// errReader is a reader that always fails with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
