package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"testing"
)

// FuzzRead checks that Read never panics, that a nil error comes with a
// consistent Dataset, and that Read agrees with the encoding/csv-based
// reference refRead (with a small chunk size, to cross chunk boundaries).
// Seeds are in testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Read(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if d != nil {
				t.Fatalf("error %v with a non-nil Dataset", err)
			}
			checkAgainstRef(t, data, 7)
			return
		}
		n := d.N()
		switch {
		case n == 0 || d.Side <= 0 || d.Dim != d.Side*d.Side || d.Dim > maxPixels:
			t.Fatalf("N, Side, Dim = %d, %d, %d", n, d.Side, d.Dim)
		case len(d.Pixels) != n*d.Dim || len(d.Labels) != n || len(d.Usage) != n || len(d.Line) != n:
			t.Fatalf("lengths: Pixels %d, Labels %d, Usage %d, Line %d for N %d, Dim %d",
				len(d.Pixels), len(d.Labels), len(d.Usage), len(d.Line), n, d.Dim)
		case d.Name != "fuzz.csv":
			t.Fatalf("Name %q", d.Name)
		}
		sum := sha256.Sum256(data)
		if d.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("SHA256 %s, want %x", d.SHA256, sum)
		}
		for i := range n {
			if d.Line[i] < 2 || (i > 0 && d.Line[i] <= d.Line[i-1]) {
				t.Fatalf("Line %v not increasing from 2", d.Line)
			}
			if l := d.Labels[i]; (d.HasLabels && (l < 0 || l > maxLabel)) || (!d.HasLabels && l != -1) {
				t.Fatalf("label %d with HasLabels %v", l, d.HasLabels)
			}
			if d.Usage[i] > PrivateTest {
				t.Fatalf("usage %d", d.Usage[i])
			}
		}
		for _, v := range d.Pixels {
			if v < 0 || v > 255 || v != float32(math.Trunc(float64(v))) {
				t.Fatalf("pixel %v is not an integer in 0..255", v)
			}
		}
		checkAgainstRef(t, data, 7)
	})
}
