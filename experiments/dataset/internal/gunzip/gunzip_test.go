package gunzip

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"testing"
)

// csvText returns n rows of FER2013-like CSV: a label, 48*48 grey levels
// drawn around a smooth gradient, a usage; seeded.
func csvText(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	b.WriteString("emotion,pixels,Usage\n")
	for range n {
		fmt.Fprintf(&b, "%d,", rng.IntN(7))
		base := rng.IntN(200)
		for j := range 48 * 48 {
			if j > 0 {
				b.WriteByte(' ')
			}
			v := min(255, base+j%48+rng.IntN(12))
			fmt.Fprintf(&b, "%d", v)
		}
		b.WriteString(",Training\n")
	}
	return b.Bytes()
}

func gz(t testing.TB, text []byte, level int) []byte {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	zw.Name = "fixture.csv"
	if _, err := zw.Write(text); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readAll reads r through a small buffer, so reads cross chunk ends.
func readAll(r io.Reader) ([]byte, error) {
	var out []byte
	buf := make([]byte, 1000)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

func TestReader(t *testing.T) {
	text := csvText(300, 1) // about 2.6 MB
	for _, level := range []int{1, 2, 6, 9, gzip.HuffmanOnly} {
		for _, chunk := range []int{32 << 10, 100 << 10, 1 << 30} {
			t.Run(fmt.Sprintf("level%d/chunk%d", level, chunk), func(t *testing.T) {
				data := gz(t, text, level)
				r, err := NewReader(context.Background(), data, 2, chunk)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				got, err := readAll(r)
				if err != nil {
					t.Fatalf("read: %v (%d chunks)", err, len(r.chunks))
				}
				if !bytes.Equal(got, text) {
					t.Fatalf("got %d bytes, want %d, not equal", len(got), len(text))
				}
				split := 0
				for _, c := range r.chunks {
					if !c.skip {
						split++
					}
				}
				if chunk == 32<<10 && split < 10 {
					t.Errorf("%d of %d chunks found their start, want 10 or more", split, len(r.chunks))
				}
			})
		}
	}
}

// TestReaderUnsplit: what the reader does not handle matches ErrUnsplit,
// at NewReader or before the end of the stream.
func TestReaderUnsplit(t *testing.T) {
	text := csvText(100, 2)
	data := gz(t, text, 6)
	two := append(append([]byte(nil), data...), gz(t, text[:5000], 6)...)
	stored := gz(t, text, gzip.NoCompression)
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)/2] ^= 0x10
	badCRC := append([]byte(nil), data...)
	badCRC[len(badCRC)-6] ^= 1
	truncated := data[:len(data)-100]
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"two members", two},
		{"stored blocks", stored},
		{"flipped bit", flipped},
		{"crc", badCRC},
		{"truncated", truncated},
		{"not gzip", text},
		{"empty", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(context.Background(), tc.data, 2, 16<<10)
			if err == nil {
				defer r.Close()
				_, err = readAll(r)
			}
			if !errors.Is(err, ErrUnsplit) {
				t.Fatalf("err = %v, want ErrUnsplit", err)
			}
		})
	}
}

func TestReaderOneWorker(t *testing.T) {
	data := gz(t, csvText(10, 3), 6)
	if _, err := NewReader(context.Background(), data, 1, 1024); !errors.Is(err, ErrUnsplit) {
		t.Fatalf("err = %v with one worker, want ErrUnsplit", err)
	}
}

// TestReaderCancel: Close stops the decoders part way.
func TestReaderCancel(t *testing.T) {
	data := gz(t, csvText(200, 4), 6)
	r, err := NewReader(context.Background(), data, 2, 16<<10)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if _, err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := readAll(r); err == nil {
		t.Fatal("read after Close succeeded")
	}
}

// TestDecoder compares the decoder with compress/flate on raw deflate
// streams of every level and several contents.
func TestDecoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	random := make([]byte, 100000)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	inputs := map[string][]byte{
		"csv":    csvText(20, 6),
		"random": random,
		"zeros":  make([]byte, 300000),
		"empty":  nil,
		"one":    {'x'},
	}
	for name, in := range inputs {
		for level := -2; level <= 9; level++ {
			t.Run(fmt.Sprintf("%s/%d", name, level), func(t *testing.T) {
				var b bytes.Buffer
				zw, err := flate.NewWriter(&b, level)
				if err != nil {
					t.Fatal(err)
				}
				zw.Write(in)
				zw.Close()
				d := &decoder{in: b.Bytes()}
				if err := d.run(0, -1); err != nil {
					t.Fatal(err)
				}
				checkSymbols(t, d.out, in)
			})
		}
	}
}

// checkSymbols fails t unless the decoder's symbols got are the bytes want.
func checkSymbols(t *testing.T, got []uint16, want []byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d symbols, want %d", len(got), len(want))
	}
	for i, v := range got {
		if v != uint16(want[i]) {
			t.Fatalf("symbol %d = %d, want %d", i, v, want[i])
		}
	}
}

// TestFER2013 decompresses the real file and compares with compress/gzip.
func TestFER2013(t *testing.T) {
	path := os.Getenv("FER2013_CSV")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("FER2013_CSV not set in CI")
		}
		t.Skip("FER2013_CSV not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(context.Background(), data, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got %d bytes, want %d, not equal", len(got), len(want))
	}
}

func FuzzDecoder(f *testing.F) {
	for _, level := range []int{0, 1, 6, 9, -2} {
		var b bytes.Buffer
		zw, _ := flate.NewWriter(&b, level)
		zw.Write(csvText(1, 7)[:3000])
		zw.Close()
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want, werr := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(in)), 1<<20))
		d := &decoder{in: in}
		err := d.run(0, -1)
		if werr != nil || len(want) == 1<<20 {
			return // compress/flate refused it, or it is too long to compare
		}
		if err != nil {
			t.Fatalf("decoder: %v; compress/flate decoded %d bytes", err, len(want))
		}
		checkSymbols(t, d.out, want)
	})
}

// FuzzReader feeds arbitrary bytes to the reader, cut into 64-byte chunks:
// whenever it succeeds, compress/gzip must succeed with the same bytes; a
// failure must match ErrUnsplit, so the caller falls back.
func FuzzReader(f *testing.F) {
	for _, level := range []int{1, 6, 9, gzip.HuffmanOnly} {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, level)
		zw.Write(csvText(1, 8)[:4000])
		zw.Close()
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(context.Background(), data, 2, 64)
		if err != nil {
			if !errors.Is(err, ErrUnsplit) {
				t.Fatalf("NewReader: %v, not ErrUnsplit", err)
			}
			return
		}
		defer r.Close()
		got, err := readAll(r)
		if err != nil {
			if !errors.Is(err, ErrUnsplit) {
				t.Fatalf("read: %v, not ErrUnsplit", err)
			}
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("reader succeeded, compress/gzip: %v", err)
		}
		zr.Multistream(false)
		want, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("reader succeeded, compress/gzip: %v", err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("got %d bytes, compress/gzip %d, not equal", len(got), len(want))
		}
	})
}
