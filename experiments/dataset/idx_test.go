package dataset

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// idxBytes returns an IDX file of unsigned bytes with the given dims and
// data (MNIST's layout: 00 00 08 ndims, big-endian uint32 dims, data).
func idxBytes(dims []uint32, data []byte) []byte {
	b := []byte{0, 0, idxUbyte, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

// idxPair returns n images of side x side (pixel j of image i is
// (7i+j) mod 256) and their labels i mod 10, as IDX files.
func idxPair(n, side int) (images, labels []byte) {
	pix := make([]byte, n*side*side)
	for i := range n {
		for j := range side * side {
			pix[i*side*side+j] = byte((7*i + j) % 256)
		}
	}
	lab := make([]byte, n)
	for i := range lab {
		lab[i] = byte(i % 10)
	}
	return idxBytes([]uint32{uint32(n), uint32(side), uint32(side)}, pix), idxBytes([]uint32{uint32(n)}, lab)
}

func TestOpenIDX(t *testing.T) {
	imgs, labs := idxPair(12, 3)
	for _, tc := range []struct {
		name       string
		imgs, labs []byte
		format     string
	}{
		{"plain", imgs, labs, FormatIDX},
		{"gzip", gz(t, imgs), gz(t, labs), FormatIDX},
		{"auto, gzip images, plain labels", gz(t, imgs), labs, FormatAuto},
		{"auto, plain", imgs, labs, FormatAuto},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ip, lp := filepath.Join(dir, "images-idx3-ubyte"), filepath.Join(dir, "labels-idx1-ubyte")
			writeFile(t, dir, "images-idx3-ubyte", tc.imgs)
			writeFile(t, dir, "labels-idx1-ubyte", tc.labs)
			d, err := Open(Source{Format: tc.format, Path: ip, Labels: lp})
			if err != nil {
				t.Fatal(err)
			}
			if d.N() != 12 || d.Side != 3 || d.Dim != 9 || !d.HasLabels || d.Name != ip || d.Paths != nil {
				t.Fatalf("N %d, Side %d, Dim %d, HasLabels %v, Name %q, Paths %v", d.N(), d.Side, d.Dim, d.HasLabels, d.Name, d.Paths)
			}
			for i := range 12 {
				if d.Labels[i] != i%10 || d.Line[i] != i+1 || d.Usage[i] != Training {
					t.Fatalf("row %d: label %d, line %d, usage %v", i, d.Labels[i], d.Line[i], d.Usage[i])
				}
				for j, v := range d.Row(i) {
					if want := float32((7*i + j) % 256); v != want {
						t.Fatalf("row %d pixel %d = %v, want %v", i, j, v, want)
					}
				}
			}
			if want := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}; !slices.Equal(d.LabelNames, want) {
				t.Errorf("LabelNames %q", d.LabelNames)
			}
			// SHA-256 of the two files' SHA-256 digests, as stored.
			si, sl := sha256.Sum256(tc.imgs), sha256.Sum256(tc.labs)
			want := sha256.Sum256(append(si[:], sl[:]...))
			if d.SHA256 != hex.EncodeToString(want[:]) {
				t.Errorf("SHA256 %s, want %x", d.SHA256, want)
			}
			u, err := Open(Source{Format: tc.format, Path: ip})
			if err != nil {
				t.Fatal(err)
			}
			if u.HasLabels || u.Labels[0] != -1 || u.LabelNames != nil || u.SHA256 != hex.EncodeToString(si[:]) {
				t.Errorf("unlabelled: HasLabels %v, Labels[0] %d, LabelNames %q, SHA256 %s", u.HasLabels, u.Labels[0], u.LabelNames, u.SHA256)
			}
		})
	}
}

// A gzip stream long enough that the last read returns data with io.EOF.
func TestOpenIDXLargeGzip(t *testing.T) {
	imgs, labs := idxPair(2000, 28)
	dir := t.TempDir()
	d, err := Open(Source{Path: writeFile(t, dir, "i.gz", gz(t, imgs)), Labels: writeFile(t, dir, "l.gz", gz(t, labs))})
	if err != nil {
		t.Fatal(err)
	}
	if d.N() != 2000 || d.Labels[1999] != 1999%10 || d.Row(1999)[783] != float32((7*1999+783)%256) {
		t.Errorf("N %d, last label %d, last pixel %v", d.N(), d.Labels[1999], d.Row(1999)[783])
	}
}

func TestOpenIDXErrors(t *testing.T) {
	imgs, labs := idxPair(4, 2)
	huge := idxBytes([]uint32{1_000_000_000, 28, 28}, make([]byte, 28*28))
	for _, tc := range []struct {
		name       string
		imgs, labs []byte
		msg        string // after "images: " or "labels: "
	}{
		{"bad magic", append([]byte{1, 2}, imgs[2:]...), labs, "images: magic: 01 02 08 03 is not an IDX magic number"},
		{"float elements", append([]byte{0, 0, 0x0d}, imgs[3:]...), labs, "images: magic: element type 0x0d, want 0x08 (unsigned byte)"},
		{"labels as images", labs, labs, "images: magic: 1 dimensions, want 3 for images (this is a labels file)"},
		{"images as labels", imgs, imgs, "labels: magic: 3 dimensions, want 1 for labels (this is an images file)"},
		{"short header", imgs[:9], labs, "images: rows: file ends early (truncated)"},
		{"not square", idxBytes([]uint32{1, 2, 3}, make([]byte, 6)), labs, "images: rows, columns: 2x3 images are not square"},
		{"no images", idxBytes([]uint32{0, 2, 2}, nil), labs, "images: count: no images"},
		{"truncated pixels", imgs[:len(imgs)-1], labs, "images: pixels: the header announces 16 bytes, the file holds 15 (truncated"},
		{"trailing data", append(slices.Clone(imgs), 0), labs, "images: pixels: the header announces 16 bytes, the file holds "}, // 17, or more for gzip,
		{"huge count", huge, labs, "images: pixels: the header announces 784000000000 bytes, the file holds 784 (truncated"},
		{"count mismatch", imgs, idxBytes([]uint32{3}, []byte{1, 2, 3}), "labels: count: 3 labels for the 4 images of"},
		{"truncated labels", imgs, labs[:len(labs)-2], "labels: labels: the header announces 4 bytes, the file holds 2"},
	} {
		for _, z := range []bool{false, true} {
			name := tc.name
			ib, lb := tc.imgs, tc.labs
			if z {
				name += ", gzip"
				ib, lb = gz(t, ib), gz(t, lb)
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				ip := writeFile(t, dir, "images", ib)
				lp := writeFile(t, dir, "labels", lb)
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				// No bound on the matrix (TestMaxBytesImagesAndIDX
				// tests it): the huge header must fail on its bytes.
				_, err := Open(Source{Format: FormatIDX, Path: ip, Labels: lp, MaxBytes: -1})
				runtime.ReadMemStats(&after)
				want := filepath.Join(dir, tc.msg)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("error %v, want %q", err, want)
				}
				// Memory follows the bytes present, not the header: far
				// below the 784 GB the huge header claims.
				if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
					t.Errorf("allocated %d bytes", alloc)
				}
			})
		}
	}
}

func TestOpenDetect(t *testing.T) {
	imgs, _ := idxPair(2, 2)
	csv := lines(header, "0,1 2 3 4,Training")
	dir := t.TempDir()
	writeFile(t, dir, "folder/a.png", encodePNG(t, greyImage(2, 2, func(x, y int) uint8 { return 9 })))
	for _, tc := range []struct {
		name string
		data []byte // nil: the folder
		want int    // Side
		msg  string
	}{
		{"folder", nil, 2, ""}, // its images' own 2x2 (issue 17 item 8; was DefaultSize)
		{"idx", imgs, 2, ""},
		{"idx gzip", gz(t, imgs), 2, ""},
		{"csv", csv, 2, ""},
		{"csv gzip", gz(t, csv), 2, ""},
		{"bad gzip", []byte{0x1f, 0x8b, 0}, 0, "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "folder")
			if tc.data != nil {
				path = writeFile(t, t.TempDir(), "data", tc.data)
			}
			d, err := Open(Source{Path: path})
			if tc.msg != "" {
				if err == nil || !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("error %v, want %q", err, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Side != tc.want {
				t.Errorf("Side %d, want %d", d.Side, tc.want)
			}
		})
	}
	if _, err := Open(Source{Path: filepath.Join(dir, "missing.csv")}); !os.IsNotExist(err) {
		t.Errorf("missing file: %v, want a not-exist error", err)
	}
	if _, err := Open(Source{Path: filepath.Join(dir, "folder"), Format: "tiff"}); err == nil || !strings.Contains(err.Error(), `unknown format "tiff"`) {
		t.Errorf("unknown format: %v", err)
	}
}

// BenchmarkLoadIDX60000 reads an MNIST-sized training set (60000 images of
// 28x28), gzip-compressed.
func BenchmarkLoadIDX60000(b *testing.B) {
	imgs, labs := idxPair(60000, 28)
	dir := b.TempDir()
	ip := writeFile(b, dir, "images.gz", gz(b, imgs))
	lp := writeFile(b, dir, "labels.gz", gz(b, labs))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(Source{Path: ip, Labels: lp}); err != nil {
			b.Fatal(err)
		}
	}
}
