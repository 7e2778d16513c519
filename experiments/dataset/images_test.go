package dataset

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// greyImage returns a side x side grey image with pixel (x, y) = f(x, y).
func greyImage(w, h int, f func(x, y int) uint8) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetGray(x, y, color.Gray{Y: f(x, y)})
		}
	}
	return m
}

// encodePNG returns m as PNG.
func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodeJPEG returns m as JPEG at quality 90.
func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hugePNG returns a PNG whose header declares w x h pixels (with a valid
// CRC) but whose data is that of a 1x1 image.
func hugePNG(t testing.TB, w, h uint32) []byte {
	t.Helper()
	b := encodePNG(t, greyImage(1, 1, func(x, y int) uint8 { return 0 }))
	// Signature (8 bytes), IHDR length (4), "IHDR" (4), width (4),
	// height (4), 5 more bytes, CRC (4) over "IHDR" and the 13 data
	// bytes (PNG specification, sections 5.3 and 11.2.2).
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// writeFile writes b to root/rel, creating folders.
func writeFile(t testing.TB, root, rel string, b []byte) string {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// modelGrey converts m with color.GrayModel pixel by pixel: the reference
// for toGrey.
func modelGrey(m image.Image) []uint8 {
	r := m.Bounds()
	out := make([]uint8, 0, r.Dx()*r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			out = append(out, color.GrayModel.Convert(m.At(x, y)).(color.Gray).Y)
		}
	}
	return out
}

func TestOpenImageFolder(t *testing.T) {
	root := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(x, y int) uint8 { return uint8(rng.IntN(256)) }
	// Class folders are written out of order; labels follow sorted names.
	a0 := greyImage(6, 6, noise)
	a1 := greyImage(6, 6, noise)
	writeFile(t, root, "happy/b.png", encodePNG(t, a1))
	writeFile(t, root, "happy/a.PNG", encodePNG(t, a0))
	writeFile(t, root, "happy/notes.txt", []byte("not an image"))
	writeFile(t, root, "happy/.hidden.png", []byte("ignored"))
	// A colour PNG at the target size: grey by GrayModel, not resampled.
	rgba := image.NewNRGBA(image.Rect(0, 0, 6, 6))
	for i := range rgba.Pix {
		rgba.Pix[i] = uint8(rng.IntN(256))
	}
	writeFile(t, root, "angry/x.png", encodePNG(t, rgba))
	// A JPEG at the target size: compare with image/jpeg's own decoding.
	jb := encodeJPEG(t, greyImage(6, 6, noise))
	writeFile(t, root, "angry/y.jpg", jb)
	jimg, err := jpeg.Decode(bytes.NewReader(jb))
	if err != nil {
		t.Fatal(err)
	}
	// A larger constant image: resized, still constant.
	writeFile(t, root, "angry/z.png", encodePNG(t, greyImage(30, 20, func(x, y int) uint8 { return 77 })))
	writeFile(t, root, ".git/config", []byte("ignored"))

	d, err := Open(Source{Path: root, Size: 6})
	if err != nil {
		t.Fatal(err)
	}
	wantPaths := []string{"angry/x.png", "angry/y.jpg", "angry/z.png", "happy/a.PNG", "happy/b.png"}
	for i := range wantPaths {
		wantPaths[i] = filepath.Join(root, filepath.FromSlash(wantPaths[i]))
	}
	switch {
	case d.N() != 5 || d.Side != 6 || d.Dim != 36 || len(d.Pixels) != 5*36:
		t.Fatalf("N %d, Side %d, Dim %d, %d pixels", d.N(), d.Side, d.Dim, len(d.Pixels))
	case !slices.Equal(d.Paths, wantPaths):
		t.Errorf("Paths %q, want %q", d.Paths, wantPaths)
	case !slices.Equal(d.Labels, []int{0, 0, 0, 1, 1}):
		t.Errorf("Labels %v", d.Labels)
	case !slices.Equal(d.LabelNames, []string{"angry", "happy"}) || !d.HasLabels:
		t.Errorf("LabelNames %q, HasLabels %v", d.LabelNames, d.HasLabels)
	case !slices.Equal(d.Line, []int{1, 2, 3, 4, 5}):
		t.Errorf("Line %v", d.Line)
	case slices.ContainsFunc(d.Usage, func(u Usage) bool { return u != Training }):
		t.Errorf("Usage %v", d.Usage)
	case len(d.Skipped) != 0 || len(d.SHA256) != 64:
		t.Errorf("Skipped %v, SHA256 %q", d.Skipped, d.SHA256)
	}
	for _, tc := range []struct {
		name string
		row  int
		want []uint8
	}{
		{"colour png by GrayModel", 0, modelGrey(rgba)},
		{"jpeg as image/jpeg decodes it", 1, modelGrey(jimg)},
		{"resized constant", 2, slices.Repeat([]uint8{77}, 36)},
		{"grey png kept exactly", 3, a0.Pix},
		{"grey png kept exactly", 4, a1.Pix},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for j, v := range d.Row(tc.row) {
				if v != float32(tc.want[j]) {
					t.Fatalf("pixel %d = %v, want %d", j, v, tc.want[j])
				}
			}
		})
	}

	// The hash depends on content and names, not on the modification
	// times or the order of writing.
	d2, err := Open(Source{Path: root, Size: 6, Format: FormatImages})
	if err != nil {
		t.Fatal(err)
	}
	if d2.SHA256 != d.SHA256 {
		t.Errorf("second read: SHA256 %s, first %s", d2.SHA256, d.SHA256)
	}
	writeFile(t, root, "happy/b.png", encodePNG(t, a0))
	d3, err := Open(Source{Path: root, Size: 6})
	if err != nil {
		t.Fatal(err)
	}
	if d3.SHA256 == d.SHA256 {
		t.Error("SHA256 unchanged after a file changed")
	}
}

func TestOpenFlatFolder(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "2.png", encodePNG(t, greyImage(48, 48, func(x, y int) uint8 { return uint8(x) })))
	writeFile(t, root, "1.gif", gifBytes(t, greyImage(48, 48, func(x, y int) uint8 { return uint8(y) })))
	d, err := Open(Source{Path: root}) // default size 48
	if err != nil {
		t.Fatal(err)
	}
	if d.N() != 2 || d.Side != DefaultSize || d.HasLabels || d.LabelNames != nil || !slices.Equal(d.Labels, []int{-1, -1}) {
		t.Fatalf("N %d, Side %d, HasLabels %v, LabelNames %q, Labels %v", d.N(), d.Side, d.HasLabels, d.LabelNames, d.Labels)
	}
	if filepath.Base(d.Paths[0]) != "1.gif" {
		t.Errorf("first row %s, want 1.gif", d.Paths[0])
	}
	// The GIF palette holds all 256 greys (gifBytes), so levels are exact.
	if got := d.Row(0)[47*48]; got != 47 {
		t.Errorf("gif pixel (0, 47) = %v, want 47", got)
	}
	if got := d.Row(1)[47]; got != 47 {
		t.Errorf("png pixel (47, 0) = %v, want 47", got)
	}
}

// gifBytes encodes m as a GIF with a palette of the 256 grey levels.
func gifBytes(t testing.TB, m *image.Gray) []byte {
	t.Helper()
	pal := make(color.Palette, 256)
	for i := range pal {
		pal[i] = color.Gray{Y: uint8(i)}
	}
	p := image.NewPaletted(m.Rect, pal)
	copy(p.Pix, m.Pix)
	var buf bytes.Buffer
	if err := gif.Encode(&buf, p, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOpenImageFolderBadFiles(t *testing.T) {
	good := encodePNG(t, greyImage(8, 8, func(x, y int) uint8 { return uint8(x * y) }))
	corrupt := good[:len(good)/2]
	root := t.TempDir()
	writeFile(t, root, "a/1.png", good)
	corruptPath := writeFile(t, root, "a/2.png", corrupt)
	hugePath := writeFile(t, root, "b/huge.png", hugePNG(t, 100000, 100000))
	writeFile(t, root, "b/ok.jpg", encodeJPEG(t, greyImage(16, 16, func(x, y int) uint8 { return 200 })))
	textPath := writeFile(t, root, "b/text.gif", []byte("GIF? no, text"))

	_, err := Open(Source{Path: root, Size: 8})
	if err == nil || !strings.HasPrefix(err.Error(), corruptPath+": ") {
		t.Fatalf("fail mode: error %v, want one naming %s", err, corruptPath)
	}
	d, err := Open(Source{Path: root, Size: 8, OnBad: OnBadSkip})
	if err != nil {
		t.Fatal(err)
	}
	if d.N() != 2 || !slices.Equal(d.Labels, []int{0, 1}) {
		t.Fatalf("skip mode: N %d, Labels %v; want the 2 good files", d.N(), d.Labels)
	}
	want := []struct{ path, msg string }{
		{corruptPath, "decode PNG"},
		{hugePath, "PNG image of 100000x100000 pixels is larger than the limit of 33554432 pixels"},
		{textPath, "not a PNG, JPEG or GIF image"},
	}
	if len(d.Skipped) != len(want) {
		t.Fatalf("Skipped %v", d.Skipped)
	}
	for i, w := range want {
		if d.Skipped[i].Path != w.path || !strings.Contains(d.Skipped[i].Err.Error(), w.msg) {
			t.Errorf("Skipped[%d] = %s: %v; want %s: %s", i, d.Skipped[i].Path, d.Skipped[i].Err, w.path, w.msg)
		}
	}
}

func TestOpenImageFolderErrors(t *testing.T) {
	png8 := encodePNG(t, greyImage(8, 8, func(x, y int) uint8 { return 1 }))
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		src   Source
		msg   string
	}{
		{"empty", nil, Source{}, "no images (want .png, .jpg, .jpeg, .gif files"},
		{"mixed", map[string][]byte{"a.png": png8, "cls/b.png": png8}, Source{}, "holds both image files (a.png) and folders (cls)"},
		{"empty class", map[string][]byte{"a/x.png": png8, "b/readme.txt": nil}, Source{}, "label folder without images"},
		{"all bad", map[string][]byte{"x.png": png8[:20]}, Source{OnBad: OnBadSkip}, "none of the 1 image files could be read"},
		{"labels file", map[string][]byte{"x.png": png8}, Source{Labels: "l.idx"}, "a labels file (l.idx) is only for IDX and NumPy data, not images"},
		{"size", map[string][]byte{"x.png": png8}, Source{Size: 4096}, "image size 4096 out of range 1..2048"},
		{"on bad", map[string][]byte{"x.png": png8}, Source{OnBad: "ignore"}, `unknown on-bad-image action "ignore"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for rel, b := range tc.files {
				writeFile(t, root, rel, b)
			}
			src := tc.src
			src.Path = root
			_, err := Open(src)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want %q", err, tc.msg)
			}
		})
	}
}

// toGrey agrees with color.GrayModel on every image type the decoders
// return.
func TestToGreyMatchesGrayModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r := image.Rect(2, 3, 13, 10) // an origin away from (0, 0)
	fill := func(b []uint8) {
		for i := range b {
			b[i] = uint8(rng.IntN(256))
		}
	}
	rgba := image.NewRGBA(r)
	fill(rgba.Pix)
	for i := 0; i < len(rgba.Pix); i += 4 { // premultiplied: colour <= alpha
		for c := range 3 {
			rgba.Pix[i+c] = min(rgba.Pix[i+c], rgba.Pix[i+3])
		}
	}
	nrgba := image.NewNRGBA(r)
	fill(nrgba.Pix)
	gray := image.NewGray(r)
	fill(gray.Pix)
	gray16 := image.NewGray16(r)
	fill(gray16.Pix)
	cmyk := image.NewCMYK(r)
	fill(cmyk.Pix)
	pal := image.NewPaletted(r, color.Palette{color.RGBA{10, 200, 30, 255}, color.NRGBA{100, 0, 250, 128}, color.Gray{7}})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(rng.IntN(3))
	}
	var ycc []*image.YCbCr
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420} {
		m := image.NewYCbCr(r, ratio)
		fill(m.Y)
		fill(m.Cb)
		fill(m.Cr)
		ycc = append(ycc, m)
	}
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"RGBA", rgba}, {"NRGBA", nrgba}, {"Gray", gray}, {"Gray16", gray16}, {"CMYK", cmyk},
		{"Paletted", pal}, {"YCbCr444", ycc[0]}, {"YCbCr420", ycc[1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := toGrey(tc.img)
			if g.Rect != image.Rect(0, 0, r.Dx(), r.Dy()) {
				t.Fatalf("bounds %v", g.Rect)
			}
			if want := modelGrey(tc.img); !slices.Equal(g.Pix, want) {
				t.Errorf("grey %v, want %v", g.Pix, want)
			}
		})
	}
}

func TestDecodeGreyResize(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		side int
	}{
		{"shrink 4x", 64, 64, 16},
		{"shrink, other aspect", 90, 40, 16},
		{"enlarge", 8, 8, 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A horizontal ramp stays a non-decreasing ramp whose ends
			// lie within the source's range, whatever the scale.
			src := greyImage(tc.w, tc.h, func(x, y int) uint8 { return uint8(255 * x / (tc.w - 1)) })
			dst := make([]uint8, tc.side*tc.side)
			if err := decodeGrey(encodePNG(t, src), tc.side, MaxImagePixels, dst); err != nil {
				t.Fatal(err)
			}
			for y := range tc.side {
				row := dst[y*tc.side : (y+1)*tc.side]
				if !slices.Equal(row, dst[:tc.side]) {
					t.Fatalf("row %d %v differs from row 0 %v", y, row, dst[:tc.side])
				}
			}
			for x := 1; x < tc.side; x++ {
				if dst[x] < dst[x-1] {
					t.Fatalf("ramp decreases at %d: %v", x, dst[:tc.side])
				}
			}
			// The outermost output pixels average source columns near
			// the ends: dark on the left, bright on the right.
			if dst[0] > 64 || dst[tc.side-1] < 191 {
				t.Errorf("ends %d, %d of %v", dst[0], dst[tc.side-1], dst[:tc.side])
			}
		})
	}
}

func TestDecodeGreyLimit(t *testing.T) {
	b := hugePNG(t, 1<<16, 1<<16)
	dst := make([]uint8, 4)
	err := decodeGrey(b, 2, MaxImagePixels, dst)
	if err == nil || !strings.Contains(err.Error(), "65536x65536 pixels is larger than the limit") {
		t.Fatalf("error %v", err)
	}
	// Exactly at the limit the header passes and decoding fails on the
	// missing data instead.
	err = decodeGrey(hugePNG(t, 4, 4), 2, 16, dst)
	if err == nil || !strings.Contains(err.Error(), "decode PNG") {
		t.Fatalf("at the limit: error %v", err)
	}
}

// BenchmarkLoadImages1000 reads a folder of 1000 48x48 PNGs in 7 classes.
func BenchmarkLoadImages1000(b *testing.B) { benchLoadImages(b, 1000, 48) }

// BenchmarkLoadImagesResize200 reads 200 PNGs of 480x480 resized to 48x48.
func BenchmarkLoadImagesResize200(b *testing.B) { benchLoadImages(b, 200, 480) }

func benchLoadImages(b *testing.B, n, side int) {
	root := b.TempDir()
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range n {
		m := greyImage(side, side, func(x, y int) uint8 { return uint8(rng.IntN(256)) })
		writeFile(b, root, filepath.Join(string(rune('a'+i%7)), strings.Repeat("x", 1+i/7)+".png"), encodePNG(b, m))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(Source{Path: root}); err != nil {
			b.Fatal(err)
		}
	}
}
