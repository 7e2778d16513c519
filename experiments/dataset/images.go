package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/draw"
)

const (
	// DefaultSize is the side images of an image folder are resized to
	// when Source.Size is 0: FER2013's 48x48.
	DefaultSize = 48

	// MaxImagePixels bounds the width*height an image file may declare
	// in its header: 1<<25 = 33,554,432 pixels, above a 6000x5000 camera
	// photograph. Decoding such an image takes at most 128 MiB (8-bit
	// RGBA) or 256 MiB (16-bit); a larger declared size is refused before
	// any pixel is decoded, which defuses decompression bombs (a small
	// file declaring a huge image).
	MaxImagePixels = 1 << 25

	// maxImageFile bounds the size of an image file in bytes (256 MiB).
	maxImageFile = 1 << 28

	// maxClasses bounds the number of class folders: labels are 0..maxLabel.
	maxClasses = maxLabel + 1
)

// imageExts are the file name extensions read from image folders,
// compared case-insensitively.
var imageExts = []string{".png", ".jpg", ".jpeg", ".gif"}

// isImageName reports whether name has an image extension and is not
// hidden.
func isImageName(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	return slices.Contains(imageExts, strings.ToLower(filepath.Ext(name)))
}

// codec is one image format the folder reader decodes.
type codec struct {
	name   string
	magic  string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// codecs are sniffed by their magic bytes: PNG's signature (PNG, ISO/IEC
// 15948, section 5.2), JPEG's SOI marker (ITU-T T.81, B.1.1.3) and the GIF
// header (GIF89a specification, section 17). The file name extension only
// selects which files are read.
var codecs = []codec{
	{"PNG", "\x89PNG\r\n\x1a\n", png.DecodeConfig, png.Decode},
	{"JPEG", "\xff\xd8", jpeg.DecodeConfig, jpeg.Decode},
	{"GIF", "GIF87a", gif.DecodeConfig, gif.Decode},
	{"GIF", "GIF89a", gif.DecodeConfig, gif.Decode},
}

// decodeGrey decodes the PNG, JPEG or GIF image in b, converts it to grey
// and resizes it to side x side pixels, stored row-major in dst
// (len(dst) == side*side). It refuses images that declare more than
// maxPixels pixels before decoding them.
//
// Grey is the luma of ITU-R BT.601, Y = 0.299 R + 0.587 G + 0.114 B, with
// the integer weights of image/color's GrayModel (19595, 38470, 7471 out of
// 1<<16) applied to the alpha-premultiplied colour, so transparent pixels
// are black.
//
// An image already side x side is not resampled: its grey levels are kept
// exactly. Any other image is scaled, without keeping the aspect ratio, by
// golang.org/x/image/draw.CatmullRom: the Catmull-Rom cubic (Catmull and
// Rom 1974; Keys 1981 with a = -0.5), whose support x/image/draw widens by
// the reduction factor when shrinking. Shrinking large photographs to 48x48
// therefore averages every source pixel instead of sampling four per output
// pixel as ApproxBiLinear does, which would alias (moire, jagged edges);
// the cubic also keeps edges sharper than a bilinear filter. Overshoot is
// clamped to 0..255.
func decodeGrey(b []byte, side, maxPixels int, dst []uint8) error {
	if len(dst) != side*side {
		panic(fmt.Sprintf("dataset: decodeGrey: %d pixels for side %d", len(dst), side))
	}
	c, cfg, err := sniffHeader(b)
	if err != nil {
		return err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("%s image of %dx%d pixels is empty", c.name, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return fmt.Errorf("%s image of %dx%d pixels is larger than the limit of %d pixels", c.name, cfg.Width, cfg.Height, maxPixels)
	}
	img, err := c.decode(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("decode %s: %w", c.name, err)
	}
	r := img.Bounds()
	if r.Empty() {
		return fmt.Errorf("%s image of %dx%d pixels is empty", c.name, r.Dx(), r.Dy())
	}
	g := toGrey(img)
	if r.Dx() == side && r.Dy() == side {
		copy(dst, g.Pix)
		return nil
	}
	out := &image.Gray{Pix: dst, Stride: side, Rect: image.Rect(0, 0, side, side)}
	draw.CatmullRom.Scale(out, out.Rect, g, g.Rect, draw.Src, nil)
	return nil
}

// sniffHeader sniffs the codec of the image in b by its magic bytes and decodes
// the size its header declares, without decoding any pixel.
func sniffHeader(b []byte) (*codec, image.Config, error) {
	for i := range codecs {
		if bytes.HasPrefix(b, []byte(codecs[i].magic)) {
			c := &codecs[i]
			cfg, err := c.config(bytes.NewReader(b))
			if err != nil {
				return c, cfg, fmt.Errorf("decode %s header: %w", c.name, err)
			}
			return c, cfg, nil
		}
	}
	return nil, image.Config{}, ErrNotImage
}

// ErrNotImage is the error of ImageHeader and DecodeGrey for bytes that do
// not start as a PNG, JPEG or GIF image does.
var ErrNotImage = errors.New("not a PNG, JPEG or GIF image")

// ImageHeader returns the format ("PNG", "JPEG" or "GIF", sniffed by magic
// bytes as the image folder reader does) and the size that the header of
// the image in b declares, decoding no pixel: a caller can refuse a
// large image before DecodeGrey allocates for it. Bytes of no such format
// give ErrNotImage.
func ImageHeader(b []byte) (format string, cfg image.Config, err error) {
	c, cfg, err := sniffHeader(b)
	if c != nil {
		format = c.name
	}
	return format, cfg, err
}

// DecodeGrey decodes the PNG, JPEG or GIF image in b to side x side grey
// levels in dst (len(dst) == side*side, row-major) exactly as an image
// folder is read: same luma, same Catmull-Rom resizing (see decodeGrey).
// An image declaring more than maxPixels pixels is refused before any pixel
// is decoded.
func DecodeGrey(b []byte, side, maxPixels int, dst []uint8) error {
	return decodeGrey(b, side, maxPixels, dst)
}

// greyOf is image/color's GrayModel on alpha-premultiplied 16-bit values.
func greyOf(r, g, b uint32) uint8 {
	return uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 24)
}

// toGrey returns img as grey levels in a new image with origin (0, 0),
// equal to converting every pixel with color.GrayModel.
func toGrey(img image.Image) *image.Gray {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			copy(out.Pix[y*w:(y+1)*w], m.Pix[i:i+w])
		}
	case *image.Paletted:
		lut := make([]uint8, len(m.Palette))
		for i, c := range m.Palette {
			lut[i] = color.GrayModel.Convert(c).(color.Gray).Y
		}
		for y := 0; y < h; y++ {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			for x, p := range m.Pix[i : i+w] {
				if int(p) < len(lut) {
					out.Pix[y*w+x] = lut[p]
				}
				// An index beyond the palette reads as transparent
				// black, as Paletted.At does.
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				cr, cg, cb, _ := m.RGBAAt(r.Min.X+x, r.Min.Y+y).RGBA()
				out.Pix[y*w+x] = greyOf(cr, cg, cb)
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				cr, cg, cb, _ := m.NRGBAAt(r.Min.X+x, r.Min.Y+y).RGBA()
				out.Pix[y*w+x] = greyOf(cr, cg, cb)
			}
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				cr, cg, cb, _ := m.YCbCrAt(r.Min.X+x, r.Min.Y+y).RGBA()
				out.Pix[y*w+x] = greyOf(cr, cg, cb)
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				cr, cg, cb, _ := img.At(r.Min.X+x, r.Min.Y+y).RGBA()
				out.Pix[y*w+x] = greyOf(cr, cg, cb)
			}
		}
	}
	return out
}

// imageFile is a file of an image folder and its label (-1: unlabelled).
type imageFile struct {
	path  string
	rel   string // path relative to the root, slash-separated
	label int
}

// listImages lists the image files of root: root/<label>/<file> when root
// holds folders, root/<file> when it holds image files, in sorted order.
// It returns the label names (the folder names; nil when flat).
func listImages(root string) ([]imageFile, []string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", root, err)
	}
	var dirs []string
	var files []imageFile
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		isDir, err := isDirEntry(root, e)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case isDir:
			dirs = append(dirs, name)
		case isImageName(name):
			files = append(files, imageFile{path: filepath.Join(root, name), rel: name, label: -1})
		}
	}
	switch {
	case len(dirs) > 0 && len(files) > 0:
		return nil, nil, fmt.Errorf("%s: holds both image files (%s) and folders (%s); use root/<label>/<image> for labelled images or a folder of images without subfolders",
			root, files[0].rel, dirs[0])
	case len(files) > 0:
		return files, nil, nil
	case len(dirs) == 0:
		return nil, nil, fmt.Errorf("%s: no images (want %s files, or folders of them named by label)", root, strings.Join(imageExts, ", "))
	case len(dirs) > maxClasses:
		return nil, nil, fmt.Errorf("%s: %d label folders, more than %d", root, len(dirs), maxClasses)
	}
	for label, dir := range dirs {
		sub := filepath.Join(root, dir)
		n := len(files)
		var err error
		if files, err = appendLabelFolder(files, sub, dir, label, 0); err != nil {
			return nil, nil, err
		}
		if len(files) == n {
			return nil, nil, fmt.Errorf("%s: label folder without images (want %s files)", sub, strings.Join(imageExts, ", "))
		}
	}
	return files, dirs, nil
}

// maxDepth bounds how deep under a label folder images are read.
const maxDepth = 8

// appendLabelFolder appends the image files under dir (rel, relative to
// the root) to files with the label, in lexical order of their names,
// subfolders included (at most maxDepth deep; names starting with a dot
// are left out): the label is the first-level folder's.
func appendLabelFolder(files []imageFile, dir, rel string, label, depth int) ([]imageFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		isDir, err := isDirEntry(dir, e)
		if err != nil {
			return nil, err
		}
		switch {
		case isDir && depth < maxDepth:
			if files, err = appendLabelFolder(files, filepath.Join(dir, name), rel+"/"+name, label, depth+1); err != nil {
				return nil, err
			}
		case !isDir && isImageName(name):
			files = append(files, imageFile{path: filepath.Join(dir, name), rel: rel + "/" + name, label: label})
		}
	}
	return files, nil
}

// isDirEntry reports whether e, an entry of dir, is a directory, following
// symbolic links.
func isDirEntry(dir string, e fs.DirEntry) (bool, error) {
	if e.Type()&fs.ModeSymlink == 0 {
		return e.IsDir(), nil
	}
	fi, err := os.Stat(filepath.Join(dir, e.Name()))
	if err != nil {
		return false, fmt.Errorf("stat %s: %w", filepath.Join(dir, e.Name()), err)
	}
	return fi.IsDir(), nil
}

// readImageFile reads the file at path, refusing files over maxImageFile
// bytes.
func readImageFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read only
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxImageFile {
		return nil, fmt.Errorf("file of %d bytes is larger than the limit of %d", fi.Size(), maxImageFile)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxImageFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxImageFile {
		return nil, fmt.Errorf("file is larger than the limit of %d bytes", maxImageFile)
	}
	return b, nil
}

// loadImages reads the image folder root (see Open) with images resized to
// side x side (0: their own side, see ownSide). With skip, files that cannot be read or decoded are listed
// in Dataset.Skipped; otherwise the first one is an error naming it.
//
// It stops between files when ctx ends, returning ctx.Err().
func loadImages(ctx context.Context, root string, side int, skip bool, lim limit) (*Dataset, error) {
	files, names, err := listImages(root)
	if err != nil {
		return nil, err
	}
	if side == 0 {
		if side, err = ownSide(root, files); err != nil {
			return nil, err
		}
	}
	dim := side * side
	if err := lim.check(root, 0, len(files), dim); err != nil {
		return nil, err
	}
	var labelNames []string
	for _, n := range names {
		labelNames = append(labelNames, ValidUTF8(n))
	}
	d := &Dataset{Name: root, Side: side, Dim: dim, HasLabels: names != nil, LabelNames: labelNames}
	sum := sha256.New()
	grey := make([]uint8, dim)
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := readImageFile(f.path)
		if err == nil {
			var n [8]byte
			binary.BigEndian.PutUint64(n[:], uint64(len(b)))
			sum.Write([]byte(f.rel))
			sum.Write([]byte{0})
			sum.Write(n[:])
			sum.Write(b)
			err = decodeGrey(b, side, MaxImagePixels, grey)
		}
		if err != nil {
			if !skip {
				return nil, fmt.Errorf("%s: %w (data.on_bad_image: skip leaves such files out)", f.path, err)
			}
			d.Skipped = append(d.Skipped, BadFile{Path: f.path, Err: err})
			continue
		}
		for _, v := range grey {
			d.Pixels = append(d.Pixels, float32(v))
		}
		d.Labels = append(d.Labels, f.label)
		d.Usage = append(d.Usage, Training)
		d.Paths = append(d.Paths, f.path)
		d.Line = append(d.Line, len(d.Line)+1)
	}
	if d.N() == 0 {
		return nil, fmt.Errorf("%s: none of the %d image files could be read (first: %s: %v)", root, len(files), d.Skipped[0].Path, d.Skipped[0].Err)
	}
	d.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return d, nil
}

// ownSide returns the side the images of files share, read from their
// headers: they must all be square and of one size. A file whose header
// cannot be read is left to the decoding, which reports (or skips) it;
// with none readable, DefaultSize.
func ownSide(root string, files []imageFile) (int, error) {
	var first imageFile
	var w, h int
	for _, f := range files {
		cfg, err := imageHeader(f.path)
		if err != nil {
			continue
		}
		switch {
		case w == 0:
			first, w, h = f, cfg.Width, cfg.Height
			if w != h {
				return 0, fmt.Errorf("%s: the images are %dx%d, not square; set data.size to the side to resize them to", root, w, h)
			}
		case cfg.Width != w || cfg.Height != h:
			return 0, fmt.Errorf("%s: the images differ in size (%s is %dx%d, %s %dx%d); set data.size to the side to resize them to",
				root, first.rel, w, h, f.rel, cfg.Width, cfg.Height)
		}
	}
	if w == 0 {
		return DefaultSize, nil
	}
	if w > maxSide {
		return 0, fmt.Errorf("%s: the images are %dx%d, larger than %dx%d; set data.size to the side to resize them to", root, w, h, maxSide, maxSide)
	}
	return w, nil
}

// maxSide bounds the side an image folder is read at without data.size,
// as data.size is bounded.
const maxSide = 2048

// imageHeader reads the size an image file declares.
func imageHeader(path string) (image.Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return image.Config{}, err
	}
	defer f.Close() // read only
	cfg, _, err := image.DecodeConfig(f)
	return cfg, err
}

// ValidUTF8 returns s with each byte that is not part of valid UTF-8
// written as \xNN, so that a file name shows in a report that must be
// UTF-8 without losing which bytes it had.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[0])
		} else {
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}
