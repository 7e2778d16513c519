package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
)

// Rejection is a row that ReadLenient skipped, with the reason Read would
// have given for it.
type Rejection struct {
	Line int
	Err  error
}

func (r Rejection) String() string { return fmt.Sprintf("line %d: %v", r.Line, r.Err) }

// LoadLenient is ReadLenient on the file at path, refusing with a
// *TooLargeError a data set whose float32 matrix would pass
// DefaultMaxBytes, as Open does.
func LoadLenient(path string) (*Dataset, []Rejection, error) {
	f, r, closeR, err := openFile(path)
	if err != nil {
		return nil, nil, err
	}
	d, rej, err := readLenient(r, path, newLimit(0))
	closeR()
	if cerr := f.Close(); err == nil && cerr != nil {
		return nil, nil, fmt.Errorf("close %s: %w", path, cerr)
	}
	return d, rej, err
}

// ReadLenient reads like Read, but skips the data rows Read would refuse
// and returns them as rejections, so that one pass over a file lists every
// bad row (sweep inspect). The header, the gzip stream and the input
// itself must still be sound. The first good data row fixes the image
// size. It is sequential: use Read for speed.
func ReadLenient(r io.Reader, name string) (*Dataset, []Rejection, error) {
	return readLenient(r, name, limit{})
}

// readLenient is ReadLenient with a bound on the float32 matrix.
func readLenient(r io.Reader, name string, lim limit) (*Dataset, []Rejection, error) {
	sum := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(r, sum), 1<<16)
	var src io.Reader = br
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, gzipErr(name, err)
		}
		defer zr.Close()
		src = zr
	}
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 0, 1<<16), maxLine)
	var (
		f     *format
		rows  rows
		rej   []Rejection
		lines []int
	)
	for line := 1; sc.Scan(); line++ {
		l := bytes.TrimSuffix(sc.Bytes(), []byte{'\r'})
		if line == 1 {
			l = bytes.TrimPrefix(l, []byte("\xef\xbb\xbf"))
		}
		if len(l) == 0 {
			continue
		}
		if f == nil {
			h, err := parseHeader(l)
			if err != nil {
				return nil, nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
			f = h
			continue
		}
		if err := f.parseRow(l, &rows); err != nil {
			rej = append(rej, Rejection{Line: line, Err: err})
			continue
		}
		if f.first == 0 {
			f.first = line
		}
		lines = append(lines, line)
		if err := lim.check(name, line, len(lines), f.dim); err != nil {
			return nil, nil, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, fmt.Errorf("%s: line longer than %d bytes", name, maxLine)
		}
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	switch {
	case f == nil:
		return nil, nil, fmt.Errorf("%s: empty file", name)
	case len(lines) == 0:
		return nil, rej, fmt.Errorf("%s: no valid data rows (%d rejected)", name, len(rej))
	}
	d := &Dataset{Name: name, Side: f.side, Dim: f.dim, Labels: rows.labels, Usage: rows.usage, Line: lines, HasLabels: f.hasLabel}
	d.Pixels = make([]float32, len(rows.pix))
	for i, v := range rows.pix {
		d.Pixels[i] = float32(v)
	}
	d.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return d, rej, nil
}
