package dataset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
)

// NumPy files (https://numpy.org/neps/nep-0001-npy-format.html), read with
// codeberg.org/sbinet/npyio after checks that keep bad files from reaching
// it: a .npy file is the magic \x93NUMPY, a version (1.0 or 2.0 here), the
// length of a header (2 bytes in version 1, 4 in version 2), the header, a
// Python dict literal such as
//
//	{'descr': '<f4', 'fortran_order': False, 'shape': (3829, 900), }
//
// and the elements. A .npz file is a zip archive of .npy files; its members
// x.npy and y.npy are the matrix and the labels.
const (
	npyMaxHeader = 10000   // NumPy's own limit (numpy.lib.format, max_header_size)
	npyMaxLabel  = 999     // labels 0..999, as in the CSV format
	npyChunk     = 1 << 16 // elements converted at a time
	// Deflate cannot expand more than 1032:1 (RFC 1951 blocks of 258-byte
	// matches); a larger ratio announced by a .npz member is a lie.
	npzMaxRatio = 1032
)

// npyDtype is an element type as written in a header's descr.
type npyDtype struct {
	descr string // as written, such as '<f4'
	kind  byte   // f, i, u or b
	size  int    // bytes per element
}

func (t npyDtype) String() string {
	name := map[byte]string{'f': "float", 'i': "int", 'u': "uint", 'b': "bool"}[t.kind]
	if t.kind == 'b' {
		return "bool"
	}
	return fmt.Sprintf("%s%d (%s)", name, 8*t.size, t.descr)
}

// npyArray is a checked header and the stream of its elements.
type npyArray struct {
	name  string // file name, or archive: member, for errors
	dtype npyDtype
	shape []int
	rd    *npy.Reader // positioned at the first element
	avail int64       // bytes after the header
}

// shapeString writes a shape as NumPy does: (3829, 900), (5,).
func shapeString(s []int) string {
	p := make([]string, len(s))
	for i, v := range s {
		p[i] = strconv.Itoa(v)
	}
	if len(s) == 1 {
		return "(" + p[0] + ",)"
	}
	return "(" + strings.Join(p, ", ") + ")"
}

// openNPY checks the prelude and header of the .npy stream r of size
// bytes and hands them to npyio. Nothing larger than the header is
// allocated.
func openNPY(name string, r io.Reader, size int64) (a *npyArray, err error) {
	var pre [12]byte
	if size < 10 {
		return nil, fmt.Errorf("%s: truncated: %d bytes, shorter than a .npy header", name, size)
	}
	if _, err := io.ReadFull(r, pre[:10]); err != nil {
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("%s: not a .npy file (no \\x93NUMPY magic)", name)
	}
	var hlen, plen int64
	switch pre[6] {
	case 1:
		hlen, plen = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2:
		if _, err := io.ReadFull(r, pre[10:12]); err != nil {
			return nil, fmt.Errorf("%s: truncated: %w", name, err)
		}
		hlen, plen = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	default:
		return nil, fmt.Errorf("%s: .npy version %d.%d not supported (want 1.0 or 2.0)", name, pre[6], pre[7])
	}
	if hlen > npyMaxHeader {
		return nil, fmt.Errorf("%s: header of %d bytes, more than NumPy's limit of %d", name, hlen, npyMaxHeader)
	}
	if plen+hlen > size {
		return nil, fmt.Errorf("%s: truncated: the header of %d bytes ends past the end of the file (%d bytes)", name, hlen, size)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	if err := checkHeader(hdr); err != nil {
		return nil, fmt.Errorf("%s: header %q: %w", name, hdr, err)
	}
	defer func() { // npyio panics on some headers checkHeader lets through
		if p := recover(); p != nil {
			a, err = nil, fmt.Errorf("%s: header %q: malformed (%v)", name, hdr, p)
		}
	}()
	rd, err := npy.NewReader(io.MultiReader(bytes.NewReader(pre[:plen]), bytes.NewReader(hdr), r))
	if err != nil {
		return nil, fmt.Errorf("%s: header %q: %w", name, hdr, err)
	}
	a = &npyArray{name: name, shape: rd.Header.Descr.Shape, rd: rd, avail: size - plen - hlen}
	a.dtype, err = parseDtype(rd.Header.Descr.Type)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, v := range a.shape {
		if v < 0 {
			return nil, fmt.Errorf("%s: shape %s has a negative size", name, shapeString(a.shape))
		}
	}
	return a, nil
}

// checkHeader checks what npyio's header parser takes for granted: the
// keys descr, fortran_order and shape in this order (NumPy sorts them), a
// closing brace and a final newline.
func checkHeader(h []byte) error {
	s := string(h)
	d := strings.Index(s, "'descr': ")
	f := strings.Index(s, "'fortran_order': ")
	sh := strings.Index(s, "'shape': ")
	e := strings.LastIndex(s, "}")
	switch {
	case !strings.HasSuffix(s, "\n") || !strings.HasPrefix(s, "{"):
		return errors.New("not a dict ending in a newline")
	case d < 0 || f < 0 || sh < 0 || e < 0:
		return errors.New("want the keys 'descr', 'fortran_order' and 'shape'")
	case !(d < f && f < sh && sh < e):
		return errors.New("keys not in NumPy's order")
	case !strings.HasPrefix(s[sh+len("'shape': "):], "(") ||
		!strings.HasSuffix(strings.TrimRight(s[:e], " ,"), ")"):
		return errors.New("shape is not a tuple")
	case f-len(", ") < d+len("'descr': ") || sh-len(", ") < f+len("'fortran_order': ") ||
		e-len(", ") < sh+len("'shape': ")+1:
		return errors.New("malformed dict")
	}
	return nil
}

// parseDtype reads a descr such as '<f4'; only plain numbers and bool.
func parseDtype(s string) (npyDtype, error) {
	t := npyDtype{descr: s}
	q := strings.Trim(s, "'")
	if len(q) < 2 || len(s) != len(q)+2 {
		return t, fmt.Errorf("dtype %s not supported (want a number type such as '<f4')", s)
	}
	if strings.ContainsRune("<>|=", rune(q[0])) { // byte order: npyio honours it
		q = q[1:]
	}
	n, err := strconv.Atoi(q[1:])
	if err != nil || !strings.ContainsRune("fiub", rune(q[0])) || !slices.Contains([]int{1, 2, 4, 8}, n) ||
		(q[0] == 'b' && n != 1) || (q[0] == 'f' && n < 4) {
		return t, fmt.Errorf("dtype %s not supported (want a number type such as '<f4')", s)
	}
	t.kind, t.size = q[0], n
	return t, nil
}

// checkSize refuses a shape whose elements the stream cannot hold, before
// anything is allocated: runs (rows, or columns in Fortran order) of
// runLen elements, the first short one named.
func (a *npyArray) checkSize(runs, runLen int, run string) error {
	size := int64(a.dtype.size)
	full := int64(0) // complete runs in the data
	if runLen == 0 {
		return nil
	}
	if int64(runLen) <= a.avail/size {
		full = a.avail / (int64(runLen) * size)
	}
	if full >= int64(runs) {
		return nil
	}
	need := new(big.Int).Mul(big.NewInt(int64(runs)), big.NewInt(int64(runLen)))
	need.Mul(need, big.NewInt(size))
	return fmt.Errorf("%s: truncated: shape %s needs %s bytes of data, the file holds %d (%s %d is cut short)",
		a.name, shapeString(a.shape), need, a.avail, run, full)
}

// readNPYMatrix reads a 2-D float32 or float64 array as float32, row-major.
func readNPYMatrix(a *npyArray, lim limit) (x []float32, rows, cols int, err error) {
	switch {
	case len(a.shape) != 2:
		return nil, 0, 0, fmt.Errorf("%s: shape %s is %d-D; want a 2-D matrix (rows, columns)", a.name, shapeString(a.shape), len(a.shape))
	case a.dtype.kind != 'f':
		return nil, 0, 0, fmt.Errorf("%s: dtype %s; want float32 or float64", a.name, a.dtype)
	case a.shape[0] == 0 || a.shape[1] == 0:
		return nil, 0, 0, fmt.Errorf("%s: shape %s: no values", a.name, shapeString(a.shape))
	}
	rows, cols = a.shape[0], a.shape[1]
	if err := lim.check(a.name, 0, rows, cols); err != nil {
		return nil, 0, 0, err
	}
	fortran := a.rd.Header.Descr.Fortran
	if fortran {
		// Column-major: the file holds cols runs of rows values.
		if err := a.checkSize(cols, rows, "column"); err != nil {
			return nil, 0, 0, err
		}
	} else if err := a.checkSize(rows, cols, "row"); err != nil {
		return nil, 0, 0, err
	}
	x = make([]float32, rows*cols)
	big, err := a.readFloats(x, !fortran)
	if err != nil {
		return nil, 0, 0, err
	}
	if fortran {
		x = transpose(x, cols, rows)
	}
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			what := fmt.Sprint(v)
			if big[i/cols] {
				what = "beyond the float32 range"
			}
			return nil, 0, 0, fmt.Errorf("%s: row %d: x[%d, %d] is %s; want finite float32 values", a.name, i/cols, i/cols, i%cols, what)
		}
	}
	return x, rows, cols, nil
}

// readFloats reads len(x) elements in file order, through npyio, float64
// ones a chunk at a time; float32 data in C order is read straight into x.
// big is nil, or marks the rows (of the row-major result) where a finite
// float64 became an infinite float32.
func (a *npyArray) readFloats(x []float32, direct bool) (big []bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			big, err = nil, fmt.Errorf("%s: read data: %v", a.name, p)
		}
	}()
	if a.dtype.size == 4 && direct {
		if err := a.rd.Read(&x); err != nil {
			return nil, fmt.Errorf("%s: read data: %w", a.name, err)
		}
		return make([]bool, a.shape[0]), nil
	}
	big = make([]bool, a.shape[0])
	rows, cols := a.shape[0], a.shape[1]
	buf32 := make([]float32, min(npyChunk, len(x)))
	buf64 := make([]float64, 0)
	if a.dtype.size == 8 {
		buf64 = make([]float64, min(npyChunk, len(x)))
	}
	for k := 0; k < len(x); k += len(buf32) {
		m := min(len(buf32), len(x)-k)
		if a.dtype.size == 4 {
			b := buf32[:m]
			err = a.rd.Read(&b)
			copy(x[k:], b)
		} else {
			b := buf64[:m]
			err = a.rd.Read(&b)
			for i, v := range b {
				x[k+i] = float32(v)
				if math.IsInf(float64(x[k+i]), 0) && !math.IsInf(v, 0) {
					row := (k + i) / cols
					if !direct {
						row = (k + i) % rows
					}
					big[row] = true
				}
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: read data: %w", a.name, err)
		}
	}
	return big, nil
}

// transpose returns the rows×cols row-major form of x, which holds cols
// runs of rows values (a Fortran-order rows×cols matrix).
func transpose(x []float32, cols, rows int) []float32 {
	out := make([]float32, len(x))
	for c := range cols {
		for r, v := range x[c*rows : (c+1)*rows] {
			out[r*cols+c] = v
		}
	}
	return out
}

// readNPYLabels reads an integer vector of n labels, shape (n,) or (n, 1).
func readNPYLabels(a *npyArray, n int, of string) ([]int, error) {
	switch {
	case len(a.shape) != 1 && !(len(a.shape) == 2 && a.shape[1] == 1):
		return nil, fmt.Errorf("%s: shape %s; want a vector (n,)", a.name, shapeString(a.shape))
	case a.dtype.kind != 'i' && a.dtype.kind != 'u':
		return nil, fmt.Errorf("%s: dtype %s; want an integer type", a.name, a.dtype)
	case a.shape[0] != n:
		return nil, fmt.Errorf("%s: %d labels for the %d rows of %s", a.name, a.shape[0], n, of)
	}
	if err := a.checkSize(n, 1, "row"); err != nil {
		return nil, err
	}
	vals, err := a.readInts(n)
	if err != nil {
		return nil, err
	}
	out := make([]int, n)
	for i, v := range vals {
		if v < 0 || v > npyMaxLabel {
			return nil, fmt.Errorf("%s: row %d: label %d out of range 0..%d", a.name, i, v, npyMaxLabel)
		}
		out[i] = int(v)
	}
	return out, nil
}

// readInts reads n integers of any width through npyio, as int64 (uint64
// values above the int64 range become negative and are then refused).
func (a *npyArray) readInts(n int) (out []int64, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("%s: read data: %v", a.name, p)
		}
	}()
	var ptr any
	switch int(a.dtype.kind)<<4 | a.dtype.size {
	case 'i'<<4 | 1:
		ptr = &[]int8{}
	case 'i'<<4 | 2:
		ptr = &[]int16{}
	case 'i'<<4 | 4:
		ptr = &[]int32{}
	case 'i'<<4 | 8:
		ptr = &[]int64{}
	case 'u'<<4 | 1:
		ptr = &[]uint8{}
	case 'u'<<4 | 2:
		ptr = &[]uint16{}
	case 'u'<<4 | 4:
		ptr = &[]uint32{}
	case 'u'<<4 | 8:
		ptr = &[]uint64{}
	}
	// A slice of length n makes npyio read exactly n elements.
	s := reflect.ValueOf(ptr).Elem()
	s.Set(reflect.MakeSlice(s.Type(), n, n))
	if err := a.rd.Read(ptr); err != nil {
		return nil, fmt.Errorf("%s: read data: %w", a.name, err)
	}
	out = make([]int64, n)
	for i := range n {
		switch v := s.Index(i); v.Kind() {
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if v.Uint() > npyMaxLabel {
				return nil, fmt.Errorf("%s: row %d: label %d out of range 0..%d", a.name, i, v.Uint(), npyMaxLabel)
			}
			out[i] = int64(v.Uint())
		default:
			out[i] = v.Int()
		}
	}
	return out, nil
}

// ReadNPY reads a matrix, one row per item, and optional labels from NumPy
// files:
//
//   - xPath is a .npy file holding a 2-D float32 or float64 array (C or
//     Fortran order, either byte order), or a .npz archive holding it as x
//     and, optionally, the labels as y; the content decides, not the name;
//   - yPath, if not empty, is a .npy file holding the labels: a vector of
//     any integer type, one label 0..999 per row (as in the CSV format).
//     Labels in both the archive and yPath are an error.
//
// x holds rows*cols values as float32, row-major; labels is nil without
// labels. Every problem is an error naming the file (archive: member) and,
// for values, the 0-based row: a wrong dtype or number of dimensions, NaN
// or Inf (the first in row-major order), a truncated file, a label count
// that differs from rows. A header whose shape needs more bytes than the
// file holds is refused before anything is allocated.
func ReadNPY(xPath, yPath string) (x []float32, rows, cols int, labels []int, err error) {
	x, rows, cols, labels, _, err = readNPYFiles(xPath, yPath, limit{})
	return x, rows, cols, labels, err
}

// readNPYFiles is ReadNPY, also returning the SHA-256 of the bytes read
// (x's file, then y's if any, hashed as IDX pairs are).
func readNPYFiles(xPath, yPath string, lim limit) (x []float32, rows, cols int, labels []int, sum string, err error) {
	f, err := os.Open(xPath)
	if err != nil {
		return nil, 0, 0, nil, "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, 0, nil, "", err
	}
	x, rows, cols, labels, err = readX(xPath, f, st.Size(), yPath != "", lim)
	if err != nil {
		return nil, 0, 0, nil, "", err
	}
	sums := [][]byte{fileSHA256(f)}
	if yPath != "" {
		var ysum []byte
		if labels, ysum, err = readNPYLabelFile(yPath, rows, xPath); err != nil {
			return nil, 0, 0, nil, "", err
		}
		sums = append(sums, ysum)
	}
	if len(sums) == 1 {
		return x, rows, cols, labels, hex.EncodeToString(sums[0]), nil
	}
	both := sha256.New()
	both.Write(sums[0])
	both.Write(sums[1])
	return x, rows, cols, labels, hex.EncodeToString(both.Sum(nil)), nil
}

// readX reads the matrix, and the labels of a .npz archive, from r of
// size bytes: a .npz archive if it starts with the zip magic PK\x03\x04,
// else a .npy file.
func readX(name string, r io.ReaderAt, size int64, labelsGiven bool, lim limit) (x []float32, rows, cols int, labels []int, err error) {
	var magic [4]byte
	if n, _ := r.ReadAt(magic[:], 0); n == 4 && string(magic[:]) == "PK\x03\x04" {
		return readNPZ(name, r, size, labelsGiven, lim)
	}
	// npyio reads element by element: a buffer saves a system call each.
	a, err := openNPY(name, bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 1<<16), size)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	x, rows, cols, err = readNPYMatrix(a, lim)
	return x, rows, cols, nil, err
}

// fileSHA256 hashes f from its start; nil if it cannot be read again.
func fileSHA256(f *os.File) []byte {
	h := sha256.New()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil
	}
	if _, err := io.Copy(h, f); err != nil {
		return nil
	}
	return h.Sum(nil)
}

// readNPYLabelFile reads the labels .npy at path for rows rows of xName.
func readNPYLabelFile(path string, rows int, xName string) ([]int, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	a, err := openNPY(path, bufio.NewReaderSize(io.NewSectionReader(f, 0, st.Size()), 1<<16), st.Size())
	if err != nil {
		return nil, nil, err
	}
	labels, err := readNPYLabels(a, rows, xName)
	if err != nil {
		return nil, nil, err
	}
	return labels, fileSHA256(f), nil
}

// readNPZ reads the members x.npy and y.npy of the archive f.
func readNPZ(name string, f io.ReaderAt, size int64, labelsGiven bool, lim limit) (x []float32, rows, cols int, labels []int, err error) {
	z, err := zip.NewReader(f, size)
	if err != nil {
		return nil, 0, 0, nil, fmt.Errorf("%s: read .npz archive: %w", name, err)
	}
	members := map[string]*zip.File{}
	var names []string
	for _, m := range z.File {
		members[m.Name] = m
		names = append(names, strings.TrimSuffix(m.Name, ".npy"))
	}
	xm := members["x.npy"]
	if xm == nil {
		return nil, 0, 0, nil, fmt.Errorf("%s: no array x in the archive (it has %s)", name, strings.Join(names, ", "))
	}
	a, closeX, err := openNPZMember(name, xm)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	defer closeX()
	if x, rows, cols, err = readNPYMatrix(a, lim); err != nil {
		return nil, 0, 0, nil, err
	}
	ym := members["y.npy"]
	if ym == nil {
		return x, rows, cols, nil, nil
	}
	if labelsGiven {
		return nil, 0, 0, nil, fmt.Errorf("%s: the archive holds labels y and a labels file is given too; give one", name)
	}
	b, closeY, err := openNPZMember(name, ym)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	defer closeY()
	if labels, err = readNPYLabels(b, rows, name+": x"); err != nil {
		return nil, 0, 0, nil, err
	}
	return x, rows, cols, labels, nil
}

// openNPZMember opens one .npy member of an archive; its size as announced
// is bounded by what its compressed bytes can expand to.
func openNPZMember(archive string, m *zip.File) (*npyArray, func(), error) {
	name := archive + ": " + strings.TrimSuffix(m.Name, ".npy")
	usize, csize := m.UncompressedSize64, m.CompressedSize64
	if usize > math.MaxInt64 || (m.Method == zip.Store && usize != csize) ||
		usize/npzMaxRatio > csize+1 {
		return nil, nil, fmt.Errorf("%s: member of %d bytes stored in %d: not a possible size", name, usize, csize)
	}
	rc, err := m.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	a, err := openNPY(name, rc, int64(usize))
	if err != nil {
		rc.Close()
		return nil, nil, err
	}
	return a, func() { rc.Close() }, nil
}

// LoadNPY reads x and labels as ReadNPY does into a Dataset: Pixels holds
// the matrix, Dim its columns, Side the square root of Dim when Dim is a
// square (images given as .npy) and 0 otherwise (features, embeddings),
// Labels -1 without labels, Usage Training, Line the 1-based row.
func LoadNPY(xPath, yPath string) (*Dataset, error) {
	return loadNPY(xPath, yPath, limit{})
}

// loadNPY is LoadNPY with a bound on the float32 matrix, checked against
// the header's shape before anything is allocated.
func loadNPY(xPath, yPath string, lim limit) (*Dataset, error) {
	x, rows, cols, labels, sum, err := readNPYFiles(xPath, yPath, lim)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Name: xPath, Dim: cols, Pixels: x, SHA256: sum, HasLabels: labels != nil,
		Labels: labels, Usage: make([]Usage, rows), Line: make([]int, rows), Matrix: true, NotGrey: !greyLevels(x)}
	if s := int(math.Sqrt(float64(cols))); s*s == cols {
		d.Side = s
	}
	if labels == nil {
		d.Labels = make([]int, rows)
		for i := range d.Labels {
			d.Labels[i] = -1
		}
	} else {
		top := slices.Max(labels)
		d.LabelNames = make([]string, top+1)
		for i := range d.LabelNames {
			d.LabelNames[i] = strconv.Itoa(i)
		}
	}
	for i := range d.Line {
		d.Line[i] = i + 1
	}
	return d, nil
}

// greyLevels reports whether every value of x is an integer 0..255.
func greyLevels(x []float32) bool {
	for _, v := range x {
		if !(v >= 0 && v <= 255 && v == float32(int(v))) {
			return false
		}
	}
	return true
}

// WriteNPY writes x (rows*cols float32 values, row-major) to path as a
// .npy file (version 1.0) of shape (rows, cols) and dtype '<f4', which
// numpy.load and ReadNPY read. The file appears complete or not at all: it
// is written beside path and renamed.
//
// The header and the values are written here rather than with npyio,
// whose writer takes a 2-D float32 array only as [][]float32 and then
// spends 34 s on the 35,887x900 HOG matrix of FER2013 (reflection per
// value); this takes well under a second.
func WriteNPY(path string, x []float32, rows, cols int) error {
	if rows < 0 || cols < 0 || len(x) != rows*cols {
		panic(fmt.Sprintf("dataset: WriteNPY: %d values for %dx%d", len(x), rows, cols))
	}
	return writeAtomic(path, func(w io.Writer) error {
		if _, err := w.Write(npyHeader("<f4", rows, cols)); err != nil {
			return err
		}
		buf := make([]byte, 0, 1<<16)
		for k, v := range x {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) || k == len(x)-1 {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		return nil
	})
}

// npyHeader returns the magic, version 1.0, the header length and the
// header dict of a C-order 2-D array, padded with spaces and a newline to
// a multiple of 64 bytes as NumPy writes it (numpy.lib.format).
func npyHeader(descr string, rows, cols int) []byte {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", descr, rows, cols)
	n := 10 + len(dict) + 1
	hdr := dict + strings.Repeat(" ", (64-n%64)%64) + "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)), byte(len(hdr)>>8))
	return append(b, hdr...)
}

// WriteLabelsNPY writes labels to path as a .npy vector of dtype '<i8',
// complete or not at all.
func WriteLabelsNPY(path string, labels []int) error {
	v := make([]int64, len(labels))
	for i, l := range labels {
		v[i] = int64(l)
	}
	return writeAtomic(path, func(w io.Writer) error { return npy.Write(w, v) })
}

// writeAtomic writes a temporary file in path's folder and renames it to
// path once written and closed.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
