package dataset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

// refRead is a slow reference implementation of Read built on
// encoding/csv, used to check Read on generated and fuzzed inputs. It
// decompresses all input before parsing, so for gzip input only the
// presence of an error, not its text, matches Read.
func refRead(data []byte, name string) (*Dataset, error) {
	sum := sha256.Sum256(data)
	text := data
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		if text, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
	}
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1
	lineErr := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s:%d: %v", name, pe.StartLine, pe.Err)
		}
		return err
	}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	if err != nil {
		return nil, lineErr(err)
	}
	hline, _ := cr.FieldPos(0)
	kinds := make([]int, len(head))
	seen := map[int]bool{}
	for i, h := range head {
		k := slices.Index(colNames[:], strings.Trim(h, " "))
		if k < 0 || seen[k] {
			return nil, fmt.Errorf("%s:%d: header: bad column %q", name, hline, h)
		}
		seen[k] = true
		kinds[i] = k
	}
	if !seen[colPixels] {
		return nil, fmt.Errorf("%s:%d: header: missing column %q", name, hline, "pixels")
	}
	d := &Dataset{Name: name, HasLabels: seen[colEmotion], SHA256: hex.EncodeToString(sum[:])}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, lineErr(err)
		}
		line, _ := cr.FieldPos(0)
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
		}
		if len(rec) != len(kinds) {
			return nil, bad("%d fields, want %d", len(rec), len(kinds))
		}
		label, usage := -1, Training
		var pix []float32
		for i, k := range kinds {
			switch k {
			case colEmotion:
				v, ok := refUint(strings.Trim(rec[i], " "), maxLabel)
				if !ok {
					return nil, bad("emotion: bad value %q", rec[i])
				}
				label = v
			case colUsage:
				u, err := ParseUsage(strings.Trim(rec[i], " "))
				if err != nil {
					return nil, bad("Usage: %v", err)
				}
				usage = u
			case colPixels:
				for _, tok := range strings.Split(rec[i], " ") {
					if tok == "" {
						continue
					}
					v, ok := refUint(tok, 255)
					if !ok {
						return nil, bad("pixels: bad value %q", tok)
					}
					pix = append(pix, float32(v))
				}
			}
		}
		if d.Dim == 0 {
			side := 0
			for (side+1)*(side+1) <= len(pix) {
				side++
			}
			if len(pix) == 0 || len(pix) > maxPixels || side*side != len(pix) {
				return nil, bad("pixels: %d values", len(pix))
			}
			d.Side, d.Dim = side, len(pix)
		} else if len(pix) != d.Dim {
			return nil, bad("pixels: %d values", len(pix))
		}
		d.Pixels = append(d.Pixels, pix...)
		d.Labels = append(d.Labels, label)
		d.Usage = append(d.Usage, usage)
		d.Line = append(d.Line, line)
	}
	if d.Dim == 0 {
		return nil, fmt.Errorf("%s: no data rows", name)
	}
	return d, nil
}

// refUint parses s as a decimal integer in 0..max, leading zeros allowed.
func refUint(s string, max int) (int, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	s = strings.TrimLeft(s, "0")
	if len(s) > 4 {
		return 0, false
	}
	v := 0
	for _, c := range s {
		v = v*10 + int(c-'0')
	}
	return v, v <= max
}

// errLine returns the line number an error message gives after "name:",
// or 0 if it gives none.
func errLine(err error, name string) int {
	var n int
	if _, e := fmt.Sscanf(strings.TrimPrefix(err.Error(), name+":"), "%d:", &n); e != nil {
		return 0
	}
	return n
}

// checkAgainstRef reads data with Read, using the given chunk size, and
// with refRead and reports any difference.
func checkAgainstRef(t *testing.T, data []byte, chunk int) {
	t.Helper()
	const name = "ref.csv"
	got, err := read(bytes.NewReader(data), name, chunk)
	want, werr := refRead(data, name)
	switch {
	case (err == nil) != (werr == nil):
		t.Fatalf("chunk %d: Read error %v, reference error %v; input %q", chunk, err, werr, clipInput(data))
	case err != nil:
		gzipped := len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
		if gl, wl := errLine(err, name), errLine(werr, name); !gzipped && gl != wl {
			t.Fatalf("chunk %d: Read error %v, reference error %v (line %d vs %d); input %q",
				chunk, err, werr, gl, wl, clipInput(data))
		}
	default:
		if msg := diffDatasets(got, want); msg != "" {
			t.Fatalf("chunk %d: %s; input %q", chunk, msg, clipInput(data))
		}
	}
}

// clipInput shortens an input for a failure message.
func clipInput(b []byte) []byte {
	if len(b) > 300 {
		return b[:300]
	}
	return b
}

// diffDatasets describes the first difference between a and b, or returns
// "" if they are equal.
func diffDatasets(a, b *Dataset) string {
	switch {
	case a.Name != b.Name:
		return fmt.Sprintf("Name %q vs %q", a.Name, b.Name)
	case a.Side != b.Side || a.Dim != b.Dim:
		return fmt.Sprintf("Side, Dim %d, %d vs %d, %d", a.Side, a.Dim, b.Side, b.Dim)
	case a.HasLabels != b.HasLabels:
		return fmt.Sprintf("HasLabels %v vs %v", a.HasLabels, b.HasLabels)
	case a.SHA256 != b.SHA256:
		return fmt.Sprintf("SHA256 %s vs %s", a.SHA256, b.SHA256)
	case !slices.Equal(a.Labels, b.Labels):
		return fmt.Sprintf("Labels %v vs %v", a.Labels, b.Labels)
	case !slices.Equal(a.Usage, b.Usage):
		return fmt.Sprintf("Usage %v vs %v", a.Usage, b.Usage)
	case !slices.Equal(a.Line, b.Line):
		return fmt.Sprintf("Line %v vs %v", a.Line, b.Line)
	case !sameBits(a.Pixels, b.Pixels):
		return "Pixels differ"
	}
	return ""
}

// sameBits reports whether a and b hold bit-identical values. Grey levels
// are small integers, exact in float32, so identical datasets have
// identical bits.
func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool {
		return math.Float32bits(x) == math.Float32bits(y)
	})
}
