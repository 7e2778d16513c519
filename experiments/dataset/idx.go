package dataset

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/klauspost/compress/gzip"
)

// IDX is the file format of MNIST (LeCun, Cortes and Burges, "The MNIST
// database of handwritten digits", http://yann.lecun.com/exdb/mnist/) and
// Fashion-MNIST: a magic number of four bytes (0, 0, the element type, the
// number of dimensions), each dimension as a big-endian uint32, then the
// elements in row-major order. Images files hold unsigned bytes (type 0x08)
// in 3 dimensions (count, rows, columns); labels files unsigned bytes in 1
// (count).
const (
	idxUbyte      = 0x08
	idxImageDims  = 3
	idxLabelDims  = 1
	idxReadBlock  = 1 << 20 // pixels are read in blocks of this many bytes
	idxMaxElement = 1 << 40 // bound on count*rows*cols, far above any real file
)

// idxFile is an open IDX file, plain or gzip, hashed as it is read.
type idxFile struct {
	name string
	f    *os.File
	size int64 // bytes as stored
	hdr  int64 // bytes of the header, once read
	gz   bool
	r    *bufio.Reader // decompressed content
	sum  hash.Hash
}

// openIDX opens an IDX file; the gzip magic 1f 8b (RFC 1952) selects
// decompression.
func openIDX(name string) (*idxFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	x := &idxFile{name: name, f: f, size: fi.Size(), sum: sha256.New()}
	raw := bufio.NewReader(io.TeeReader(f, x.sum))
	head, err := raw.Peek(2)
	if err != nil && err != io.EOF {
		f.Close()
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(raw)
		if err != nil {
			f.Close()
			return nil, gzipErr(name, err)
		}
		x.gz = true
		x.r = bufio.NewReader(zr)
	} else {
		x.r = raw
	}
	return x, nil
}

// close closes the file; it is only read.
func (x *idxFile) close() { x.f.Close() }

// readErr describes an error met while reading field of x.
func (x *idxFile) readErr(field string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: %s: file ends early (truncated)", x.name, field)
	}
	if x.gz {
		return fmt.Errorf("%s: %s: %w", x.name, field, err)
	}
	return fmt.Errorf("read %s: %s: %w", x.name, field, err)
}

// header reads the magic number and dims of x and checks them against
// want dimensions of unsigned bytes; what names the kind of file.
func (x *idxFile) header(want int, what string) ([]int, error) {
	var magic [4]byte
	if _, err := io.ReadFull(x.r, magic[:]); err != nil {
		return nil, x.readErr("magic", err)
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("%s: magic: % x is not an IDX magic number (want 00 00 08 %02x for %s)", x.name, magic, want, what)
	}
	if magic[2] != idxUbyte {
		return nil, fmt.Errorf("%s: magic: element type 0x%02x, want 0x08 (unsigned byte)", x.name, magic[2])
	}
	if int(magic[3]) != want {
		hint := ""
		switch int(magic[3]) {
		case idxLabelDims:
			hint = " (this is a labels file)"
		case idxImageDims:
			hint = " (this is an images file)"
		}
		return nil, fmt.Errorf("%s: magic: %d dimensions, want %d for %s%s", x.name, magic[3], want, what, hint)
	}
	dims := make([]int, want)
	for i := range dims {
		var b [4]byte
		if _, err := io.ReadFull(x.r, b[:]); err != nil {
			return nil, x.readErr(dimName(i), err)
		}
		dims[i] = int(binary.BigEndian.Uint32(b[:]))
	}
	x.hdr = int64(4 + 4*want)
	return dims, nil
}

// dimName names dimension i of an IDX images file.
func dimName(i int) string {
	return [...]string{"count", "rows", "columns"}[i]
}

// body reads the n elements after the header, named field, into memory
// that grows with the bytes actually present: a header that claims more
// than the file holds is an error, not an allocation. Bytes after the n
// elements are an error too.
func (x *idxFile) body(n int64, field string) ([]byte, error) {
	var buf []byte
	if !x.gz {
		// The size of a plain file is known: check it before allocating.
		if left := x.size - x.hdr; left != n {
			return nil, x.countErr(field, n, left)
		}
		buf = make([]byte, n)
		if k, err := io.ReadFull(x.r, buf); err != nil {
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return nil, x.countErr(field, n, int64(k))
			}
			return nil, x.readErr(field, err)
		}
	} else {
		// Grow by doubling from idxReadBlock as decompressed bytes arrive.
		buf = make([]byte, 0, min(n, idxReadBlock))
		for int64(len(buf)) < n {
			if len(buf) == cap(buf) {
				buf = slices.Grow(buf, int(min(n-int64(len(buf)), int64(len(buf)))))
			}
			k, err := x.r.Read(buf[len(buf):int(min(int64(cap(buf)), n))])
			buf = buf[:len(buf)+k]
			switch {
			case int64(len(buf)) == n:
				// Done; an error with the last bytes shows again below.
			case err == io.EOF:
				return nil, x.countErr(field, n, int64(len(buf)))
			case err != nil:
				return nil, x.readErr(field, err)
			}
		}
	}
	// Nothing may follow; this also reads a gzip stream to its end, so
	// that its checksum is verified.
	var extra [1]byte
	k, err := io.ReadFull(x.r, extra[:])
	switch {
	case k > 0:
		return nil, fmt.Errorf("%s: %s: the header announces %d bytes, the file holds more", x.name, field, n)
	case err != io.EOF:
		return nil, x.readErr(field, err)
	}
	// Drain what the buffered reader did not need so that the hash
	// covers the whole file.
	if _, err := io.Copy(io.Discard, io.TeeReader(x.f, x.sum)); err != nil {
		return nil, fmt.Errorf("read %s: %w", x.name, err)
	}
	return buf, nil
}

// countErr says that field holds got bytes where the header announces want.
func (x *idxFile) countErr(field string, want, got int64) error {
	if got < want {
		return fmt.Errorf("%s: %s: the header announces %d bytes, the file holds %d (truncated, or a wrong count)", x.name, field, want, got)
	}
	return fmt.Errorf("%s: %s: the header announces %d bytes, the file holds %d", x.name, field, want, got)
}

// loadIDX reads an IDX images file and, unless labels is "", its labels
// file. When ctx ends it closes the files, which ends a read blocked on a
// pipe or FIFO, and returns ctx.Err().
func loadIDX(ctx context.Context, images, labels string, lim limit) (d *Dataset, err error) {
	defer func() {
		if ctx.Err() != nil {
			d, err = nil, ctx.Err()
		}
	}()
	x, err := openIDX(images)
	if err != nil {
		return nil, err
	}
	defer x.close()
	defer context.AfterFunc(ctx, x.close)()
	dims, err := x.header(idxImageDims, "images")
	if err != nil {
		return nil, err
	}
	count, rows, cols := dims[0], dims[1], dims[2]
	switch {
	case rows != cols:
		return nil, fmt.Errorf("%s: rows, columns: %dx%d images are not square", images, rows, cols)
	case rows == 0:
		return nil, fmt.Errorf("%s: rows: images of 0x0 pixels", images)
	case int64(rows)*int64(cols) > maxPixels:
		return nil, fmt.Errorf("%s: rows, columns: %dx%d images have more than %d pixels", images, rows, cols, maxPixels)
	case count == 0:
		return nil, fmt.Errorf("%s: count: no images", images)
	case int64(count)*int64(rows)*int64(cols) > idxMaxElement:
		return nil, fmt.Errorf("%s: count: %d images of %dx%d is more than %d bytes", images, count, rows, cols, int64(idxMaxElement))
	}
	dim := rows * cols
	if err := lim.check(images, 0, count, dim); err != nil {
		return nil, err
	}
	pix, err := x.body(int64(count)*int64(dim), "pixels")
	if err != nil {
		return nil, err
	}
	d = &Dataset{Name: images, Side: rows, Dim: dim, Pixels: make([]float32, len(pix))}
	for i, v := range pix {
		d.Pixels[i] = float32(v)
	}
	d.Labels = make([]int, count)
	d.Usage = make([]Usage, count)
	d.Line = make([]int, count)
	for i := range d.Line {
		d.Labels[i] = -1
		d.Line[i] = i + 1
	}
	imgSum := x.sum.Sum(nil)
	if labels == "" {
		d.SHA256 = hex.EncodeToString(imgSum)
		return d, nil
	}
	lx, err := openIDX(labels)
	if err != nil {
		return nil, err
	}
	defer lx.close()
	defer context.AfterFunc(ctx, lx.close)()
	ldims, err := lx.header(idxLabelDims, "labels")
	if err != nil {
		return nil, err
	}
	if ldims[0] != count {
		return nil, fmt.Errorf("%s: count: %d labels for the %d images of %s", labels, ldims[0], count, images)
	}
	lab, err := lx.body(int64(count), "labels")
	if err != nil {
		return nil, err
	}
	top := 0
	for i, v := range lab {
		d.Labels[i] = int(v)
		top = max(top, int(v))
	}
	d.HasLabels = true
	d.LabelNames = make([]string, top+1)
	for i := range d.LabelNames {
		d.LabelNames[i] = strconv.Itoa(i)
	}
	both := sha256.New()
	both.Write(imgSum)
	both.Write(lx.sum.Sum(nil))
	d.SHA256 = hex.EncodeToString(both.Sum(nil))
	return d, nil
}
