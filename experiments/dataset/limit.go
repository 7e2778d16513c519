package dataset

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// FallbackMaxBytes is DefaultMaxBytes where the physical memory cannot be
// read (no /proc/meminfo): 4 GiB, a float32 matrix of 465,000 images of
// 48x48 pixels, more than ten FER2013s.
const FallbackMaxBytes = 4 << 30

// DefaultMaxBytes is the bound Open puts on the float32 pixel matrix when
// Source.MaxBytes is 0: half of the physical memory (MemTotal of
// /proc/meminfo), else FallbackMaxBytes. The matrix stays live through a
// sweep beside the scaled and reduced copies of its rows, so a data set
// past half of the memory would not fit anyway.
func DefaultMaxBytes() int64 {
	if m := memTotal(); m > 0 {
		return m / 2
	}
	return FallbackMaxBytes
}

// memTotal returns MemTotal of /proc/meminfo in bytes, or 0.
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close() // read only
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// MemTotal:       131812040 kB
		rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("MemTotal:"))
		if !ok {
			continue
		}
		fs := bytes.Fields(rest)
		if len(fs) != 2 || string(fs[1]) != "kB" {
			return 0
		}
		kb, err := strconv.ParseInt(string(fs[0]), 10, 64)
		if err != nil || kb <= 0 || kb > 1<<50 {
			return 0
		}
		return kb << 10
	}
	return 0
}

// TooLargeError is Open's refusal of a data set whose float32 pixel
// matrix would need more than Source.MaxBytes.
type TooLargeError struct {
	Name string
	// Line is the line of a CSV file at which the rows read so far
	// passed the limit (more follow), or 0 when Rows is the whole count.
	Line    int
	Rows    int   // images
	Dim     int   // pixels per image
	Max     int64 // the limit in bytes
	Default bool  // Max is DefaultMaxBytes
}

// Bytes is the size of the matrix of Rows images.
func (e *TooLargeError) Bytes() float64 { return 4 * float64(e.Rows) * float64(e.Dim) }

func (e *TooLargeError) Error() string {
	where, so := e.Name, ""
	if e.Line > 0 {
		where, so = fmt.Sprintf("%s:%d", e.Name, e.Line), " up to this line"
	}
	limit := FormatBytes(float64(e.Max))
	if e.Default {
		limit += ", half of the physical memory"
	}
	return fmt.Sprintf("%s: %d images of %d pixels%s need %s as float32, more than data.max_bytes (%s); raise data.max_bytes or use fewer or smaller images",
		where, e.Rows, e.Dim, so, FormatBytes(e.Bytes()), limit)
}

// limit is a bound on the float32 pixel matrix of a read.
type limit struct {
	max       int64 // bytes; 0: no bound
	isDefault bool
}

// newLimit resolves Source.MaxBytes: 0 is DefaultMaxBytes, a negative
// value no bound.
func newLimit(maxBytes int64) limit {
	switch {
	case maxBytes == 0:
		return limit{max: DefaultMaxBytes(), isDefault: true}
	case maxBytes < 0:
		return limit{}
	}
	return limit{max: maxBytes}
}

// check refuses rows images of dim pixels if their float32 matrix passes
// the limit; line is as in TooLargeError.
func (l limit) check(name string, line, rows, dim int) error {
	if l.max > 0 && 4*float64(rows)*float64(dim) > float64(l.max) {
		return &TooLargeError{Name: name, Line: line, Rows: rows, Dim: dim, Max: l.max, Default: l.isDefault}
	}
	return nil
}

// rows returns how many images of dim pixels fit in the limit (MaxInt
// without one).
func (l limit) rows(dim int) int {
	if l.max <= 0 || dim <= 0 {
		return int(^uint(0) >> 1)
	}
	return int(l.max / 4 / int64(dim))
}

// FormatBytes writes a size in decimal units, as in 330.7 MB.
func FormatBytes(b float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB"}
	i := 0
	for b >= 1000 && i < len(units)-1 {
		b /= 1000
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}
