package dataset

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// csvRows returns a header and n rows of side x side zero pixels.
func csvRows(n, side int) []byte {
	var b bytes.Buffer
	b.WriteString("emotion,pixels\n")
	row := "0," + strings.TrimSpace(strings.Repeat("0 ", side*side)) + "\n"
	for range n {
		b.WriteString(row)
	}
	return b.Bytes()
}

// TestMaxBytesCSV: a CSV file is refused at the first row whose pixels
// pass the bound, with the same message for every chunk size, plain or
// gzip, sequential or parallel.
func TestMaxBytesCSV(t *testing.T) {
	data := csvRows(100, 4) // 16 pixels, 64 bytes a row as float32
	// 1000 bytes hold 15 rows; row 16 is on line 17.
	const want = "t.csv:17: 16 images of 16 pixels up to this line need 1.0 kB as float32, more than data.max_bytes (1.0 kB); raise data.max_bytes or use fewer or smaller images"
	lim := limit{max: 1000}
	for _, chunk := range []int{64, 1000, defaultChunk} {
		for _, in := range []struct {
			name string
			b    []byte
		}{{"plain", data}, {"gzip", gz(t, data)}} {
			_, err := readCtx(context.Background(), bytes.NewReader(in.b), "t.csv", chunk, lim)
			var tl *TooLargeError
			if !errors.As(err, &tl) || err.Error() != want {
				t.Errorf("chunk %d, %s: %v, want %q", chunk, in.name, err, want)
			}
		}
	}
	dir := t.TempDir()
	for _, in := range []struct {
		name string
		b    []byte
	}{{"t.csv", data}, {"t.csv.gz", gz(t, data)}} {
		path := writeFile(t, dir, in.name, in.b)
		_, err := load(path, lim)
		if w := strings.Replace(want, "t.csv", path, 1); err == nil || err.Error() != w {
			t.Errorf("load %s: %v, want %q", in.name, err, w)
		}
		// Exactly at the bound is accepted.
		d, err := Open(Source{Path: path, MaxBytes: 100 * 64})
		if err != nil || d.N() != 100 {
			t.Errorf("open %s at the bound: %v", in.name, err)
		}
		_, err = Open(Source{Path: path, MaxBytes: 100*64 - 1})
		if err == nil || !strings.Contains(err.Error(), ":101: 100 images of 16 pixels up to this line need 6.4 kB as float32, more than data.max_bytes (6.4 kB)") {
			t.Errorf("open %s one byte under: %v", in.name, err)
		}
	}
}

// TestMaxBytesBomb: a small gzip of valid rows that decompresses to
// hundreds of megabytes is refused without allocating them.
func TestMaxBytesBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses 90 MB")
	}
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.BestSpeed)
	zw.Write([]byte("emotion,pixels\n"))
	row := []byte("0," + strings.TrimSpace(strings.Repeat("0 ", 48*48)) + "\n")
	const rows = 20000 // 92 MB of text, 184 MB as float32
	for range rows {
		zw.Write(row)
	}
	zw.Close()
	path := writeFile(t, t.TempDir(), "bomb.csv.gz", zb.Bytes())
	{
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := load(path, limit{max: 4 << 20})
		runtime.ReadMemStats(&after)
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.Rows != 456 || tl.Line != 457 {
			t.Fatalf("%v, want a refusal at row 456", err)
		}
		// Without the bound the matrix alone is 184 MB.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 120<<20 {
			t.Errorf("%d MB allocated for a refusal at 4 MB", alloc>>20)
		}
		t.Logf("%d MB allocated (%d compressed bytes)", (after.TotalAlloc-before.TotalAlloc)>>20, zb.Len())
	}
}

func TestMaxBytesImagesAndIDX(t *testing.T) {
	dir := t.TempDir()
	m := greyImage(8, 8, func(x, y int) uint8 { return uint8(x * y) })
	for i := range 5 {
		writeFile(t, dir, fmt.Sprintf("faces/a/%d.png", i), encodePNG(t, m))
	}
	root := filepath.Join(dir, "faces")
	// 5 images of 4x4: 320 bytes.
	if _, err := Open(Source{Path: root, Size: 4, MaxBytes: 320}); err != nil {
		t.Fatal(err)
	}
	_, err := Open(Source{Path: root, Size: 4, MaxBytes: 319})
	if want := root + ": 5 images of 16 pixels need 320 B as float32, more than data.max_bytes (319 B); raise data.max_bytes or use fewer or smaller images"; err == nil || err.Error() != want {
		t.Errorf("images: %v, want %q", err, want)
	}

	// An IDX header announcing 60000 images of 2048x2048 (1 TB as
	// float32) in a file of a few bytes is refused from its header.
	ip := writeFile(t, dir, "huge-idx3-ubyte", idxBytes([]uint32{60000, 2048, 2048}, []byte{1, 2, 3}))
	_, err = Open(Source{Path: ip, MaxBytes: 1 << 30})
	if want := ip + ": 60000 images of 4194304 pixels need 1.0 TB as float32, more than data.max_bytes (1.1 GB); raise data.max_bytes or use fewer or smaller images"; err == nil || err.Error() != want {
		t.Errorf("idx: %v, want %q", err, want)
	}
	imgs, _ := idxPair(12, 3)
	ip = writeFile(t, dir, "small-idx3-ubyte", imgs)
	if _, err := Open(Source{Path: ip, MaxBytes: 12 * 9 * 4}); err != nil {
		t.Errorf("idx at the bound: %v", err)
	}
	if _, err := Open(Source{Path: ip, MaxBytes: 12*9*4 - 1}); err == nil {
		t.Error("idx one byte under the bound: accepted")
	}
}

func TestMaxBytesLenient(t *testing.T) {
	_, _, err := readLenient(bytes.NewReader(csvRows(10, 4)), "t.csv", limit{max: 64 * 3})
	if want := "t.csv:5: 4 images of 16 pixels up to this line need 256 B as float32, more than data.max_bytes (192 B); raise data.max_bytes or use fewer or smaller images"; err == nil || err.Error() != want {
		t.Errorf("%v, want %q", err, want)
	}
}

func TestDefaultMaxBytes(t *testing.T) {
	got := DefaultMaxBytes()
	if _, err := os.Stat("/proc/meminfo"); err == nil {
		if m := memTotal(); m <= 0 || got != m/2 {
			t.Errorf("DefaultMaxBytes %d, MemTotal %d: want half of it", got, m)
		}
	} else if got != FallbackMaxBytes {
		t.Errorf("DefaultMaxBytes %d without /proc/meminfo, want %d", got, int64(FallbackMaxBytes))
	}
	e := &TooLargeError{Name: "x", Rows: 35887, Dim: 2304, Max: 100e6, Default: true}
	if want := "x: 35887 images of 2304 pixels need 330.7 MB as float32, more than data.max_bytes (100.0 MB, half of the physical memory); raise data.max_bytes or use fewer or smaller images"; e.Error() != want {
		t.Errorf("%q, want %q", e.Error(), want)
	}
}

func TestFormatBytes(t *testing.T) {
	for _, tc := range []struct {
		b    float64
		want string
	}{{0, "0 B"}, {999, "999 B"}, {1000, "1.0 kB"}, {330734592, "330.7 MB"}, {4 << 30, "4.3 GB"}, {1e18, "1000.0 PB"}} {
		if got := FormatBytes(tc.b); got != tc.want {
			t.Errorf("FormatBytes(%v) = %q, want %q", tc.b, got, tc.want)
		}
	}
}
