package dataset

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// writeGreyPNG writes a w x h grey PNG at path.
func writeGreyPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestImageFolderOwnSize: without data.size, an image folder is read at
// its images' own size when they share one (28x28 digits stay 28x28,
// issue 17 item 8), and images of different sizes ask for data.size.
func TestImageFolderOwnSize(t *testing.T) {
	same := t.TempDir()
	for _, n := range []string{"0/a.png", "0/b.png", "1/c.png"} {
		writeGreyPNG(t, filepath.Join(same, n), 28, 28)
	}
	d, err := Open(Source{Path: same})
	if err != nil {
		t.Fatal(err)
	}
	if d.Side != 28 || d.Dim != 28*28 || d.N() != 3 {
		t.Errorf("side %d, dim %d, n %d; want 28, 784, 3", d.Side, d.Dim, d.N())
	}
	// The pixels are the file's own, not resampled.
	if d.Pixels[1] != 7 || d.Pixels[100] != float32(700%256) {
		t.Errorf("pixels %v, %v; want 7, %d", d.Pixels[1], d.Pixels[100], 700%256)
	}
	// data.size still resizes.
	if d, err := Open(Source{Path: same, Size: 48}); err != nil || d.Side != 48 {
		t.Errorf("size 48: %v", err)
	}
	mixed := t.TempDir()
	writeGreyPNG(t, filepath.Join(mixed, "a.png"), 28, 28)
	writeGreyPNG(t, filepath.Join(mixed, "b.png"), 32, 32)
	want := mixed + ": the images differ in size (a.png is 28x28, b.png 32x32); set data.size to the side to resize them to"
	if _, err := Open(Source{Path: mixed}); err == nil || err.Error() != want {
		t.Errorf("mixed sizes: error\n  %v\nwant\n  %s", err, want)
	}
	wide := t.TempDir()
	writeGreyPNG(t, filepath.Join(wide, "a.png"), 40, 30)
	want = wide + ": the images are 40x30, not square; set data.size to the side to resize them to"
	if _, err := Open(Source{Path: wide}); err == nil || err.Error() != want {
		t.Errorf("not square: error\n  %v\nwant\n  %s", err, want)
	}
}

// TestImageFolderNested: images in subfolders of a label folder are read,
// labelled by the first-level folder (issue 17 item 8), after the label
// folder's own files in lexical order of their paths.
func TestImageFolderNested(t *testing.T) {
	root := t.TempDir()
	for _, n := range []string{"happy/a.png", "happy/more/b.png", "happy/more/deeper/c.png", "happy/z.png", "sad/d.png", "sad/.hidden/e.png"} {
		writeGreyPNG(t, filepath.Join(root, n), 4, 4)
	}
	d, err := Open(Source{Path: root})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range d.Paths {
		r, _ := filepath.Rel(root, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	wantRel := []string{"happy/a.png", "happy/more/b.png", "happy/more/deeper/c.png", "happy/z.png", "sad/d.png"}
	if !slices.Equal(rel, wantRel) || !slices.Equal(d.Labels, []int{0, 0, 0, 0, 1}) {
		t.Errorf("paths %v labels %v; want %v, [0 0 0 0 1]", rel, d.Labels, wantRel)
	}
}

// TestImageFolderNonUTF8: a label folder whose name is not UTF-8 names
// its label in valid UTF-8, the bad bytes written as \xNN, so that the
// report stays valid UTF-8 (issue 17 item 8).
func TestImageFolderNonUTF8(t *testing.T) {
	root := t.TempDir()
	bad := "caf\xe9" // Latin-1 café
	if err := os.Mkdir(filepath.Join(root, bad), 0o755); err != nil {
		t.Skipf("this file system refuses non-UTF-8 names: %v", err)
	}
	writeGreyPNG(t, filepath.Join(root, bad, "a.png"), 4, 4)
	writeGreyPNG(t, filepath.Join(root, "tea", "b.png"), 4, 4)
	d, err := Open(Source{Path: root})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{`caf\xe9`, "tea"}; !slices.Equal(d.LabelNames, want) {
		t.Errorf("label names %q, want %q", d.LabelNames, want)
	}
}
