package dataset

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// Data formats of Source.Format.
const (
	FormatAuto   = ""
	FormatCSV    = "csv"
	FormatImages = "images"
	FormatIDX    = "idx"
	FormatNPY    = "npy"
)

// What Source.OnBad does with an image file that cannot be read or decoded.
const (
	OnBadFail = "fail" // the first bad file is an error (also "")
	OnBadSkip = "skip" // bad files are left out and listed in Dataset.Skipped
)

// maxSize bounds Source.Size: a side of 2048 gives maxPixels pixels.
const maxSize = 2048

// Source says where a data set is and how to read it.
type Source struct {
	// Format is FormatCSV, FormatImages, FormatIDX, FormatNPY or
	// FormatAuto, which detects it from Path: a directory is an image
	// folder, a file that starts with the .npy magic \x93NUMPY or the zip
	// magic PK\x03\x04 (.npz) is NPY, a file whose (decompressed) content
	// starts with two zero bytes is IDX, anything else CSV.
	Format string
	// Path is the CSV file, the image folder or the IDX images file.
	Path string
	// Labels is the IDX labels file, or the .npy labels vector of a
	// NumPy matrix; "" reads the data unlabelled (a .npz archive may hold
	// its labels as y). CSV files and image folders carry their labels
	// themselves.
	Labels string
	// Images is the image source of a NumPy matrix's rows (a CSV file,
	// an image folder or an IDX images file, read with Size and OnBad
	// "fail"), row for row: Dataset.Images. Only for FormatNPY.
	Images string
	// Size is the side images of an image folder are resized to; 0 means
	// the images' own side when they are all square and of one size (else
	// an error asks for it). CSV and IDX files fix their own size.
	Size int
	// OnBad is OnBadFail ("" too) or OnBadSkip, for image folders.
	OnBad string
	// MaxBytes bounds the float32 pixel matrix (4 bytes per pixel of
	// every image): a larger data set is refused with a *TooLargeError
	// before it is allocated. 0 means DefaultMaxBytes, a negative value
	// no bound.
	MaxBytes int64
}

// Open reads the data set src describes.
//
// A data set whose float32 matrix would need more than src.MaxBytes is
// refused before the matrix is allocated: an image folder by its file
// count, an IDX file by its header, a CSV file as its rows arrive (at the
// first row past the bound, with its line).
//
// CSV files are read by Load, also from inside a .zip, .tar or .tar.gz
// archive, nested or not: the only *.csv member, or the member named
// after '#' (data.zip#fer2013.tar.gz#fer2013/fer2013.csv); the SHA-256 is
// then the CSV member's. An image folder is either root/<label>/<file>
// (labelled: the label folders, sorted by name, are labels 0, 1, ... and
// name them in Dataset.LabelNames, their bytes that are not UTF-8 written
// as \xNN; images in subfolders of a label folder, up to 8 deep, carry
// its label) or root/<file> (unlabelled). Files whose
// names end in .png, .jpg, .jpeg or .gif (any case) are read, others and
// names starting with a dot are ignored; a root holding both image files
// and folders is an error. Rows follow the sorted label folders and,
// inside each, the sorted file names; Dataset.Paths holds each row's file
// and Usage is Training for every row. Each file is decoded by its content
// (PNG, JPEG or GIF, the first frame), converted to grey and resized to
// Size x Size as decodeGrey describes; an image declaring more than
// MaxImagePixels pixels is refused before it is decoded. The SHA-256 of an
// image folder hashes, for each file read in row order, its path relative
// to the root ('/'-separated), a zero byte, its length as a big-endian
// uint64 and its bytes.
//
// IDX files (MNIST's format) are plain or gzip-compressed, detected by the
// magic bytes 1f 8b. The images file holds unsigned bytes in 3 dimensions
// (count, rows, columns; rows == columns), the labels file unsigned bytes
// in 1 (count, equal to the images'). Magic numbers, dimensions and counts
// are checked, and errors name the file and the field ("count", "rows",
// "pixels"...); memory grows only with the bytes actually present. Row i
// is image i, with Line i+1 and Usage Training. The SHA-256 is the images
// file's, or with a labels file the SHA-256 of the two files' SHA-256
// digests (images first).
//
// NumPy data (.npy, or .npz with arrays x and y) is read by LoadNPY: a 2-D
// float32 or float64 matrix, one row per item, with optional integer
// labels in Labels (or y). Its rows are not images (Dataset.Matrix);
// Images may name the matching images, read as above and checked to have
// one image per row (Dataset.Images). The SHA-256 covers the matrix and
// labels only: the images change no result computed from the matrix.
func Open(src Source) (*Dataset, error) {
	return OpenContext(context.Background(), src)
}

// OpenContext is Open that stops soon after ctx ends and then returns
// ctx.Err(): files are checked between images, and an open file is closed,
// which also ends a read blocked on a pipe or FIFO. Opening a FIFO that no
// writer has opened blocks in the kernel, beyond the reach of ctx.
func OpenContext(ctx context.Context, src Source) (*Dataset, error) {
	switch src.OnBad {
	case "", OnBadFail, OnBadSkip:
	default:
		return nil, fmt.Errorf("open %s: unknown on-bad-image action %q (want fail or skip)", src.Path, src.OnBad)
	}
	if src.Size < 0 || src.Size > maxSize {
		return nil, fmt.Errorf("open %s: image size %d out of range 1..%d", src.Path, src.Size, maxSize)
	}
	format := src.Format
	if format == FormatAuto {
		var err error
		if format, err = Detect(src.Path); err != nil {
			return nil, err
		}
	}
	if src.Labels != "" && format != FormatIDX && format != FormatNPY {
		return nil, fmt.Errorf("open %s: a labels file (%s) is only for IDX and NumPy data, not %s", src.Path, src.Labels, format)
	}
	if src.Images != "" && format != FormatNPY {
		return nil, fmt.Errorf("open %s: an image source (%s) is only for NumPy data; %s data are images themselves", src.Path, src.Images, format)
	}
	lim := newLimit(src.MaxBytes)
	switch format {
	case FormatNPY:
		return openMatrix(ctx, src, lim)
	case FormatCSV:
		return loadCtx(ctx, src.Path, lim)
	case FormatImages:
		return loadImages(ctx, src.Path, src.Size, src.OnBad == OnBadSkip, lim)
	case FormatIDX:
		return loadIDX(ctx, src.Path, src.Labels, lim)
	}
	return nil, fmt.Errorf("open %s: unknown format %q (want csv, images, idx or npy)", src.Path, format)
}

// openMatrix reads a NumPy matrix (LoadNPY) and, with src.Images, its images,
// which must have one image per row of the matrix.
func openMatrix(ctx context.Context, src Source, lim limit) (*Dataset, error) {
	d, err := loadNPY(src.Path, src.Labels, lim)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if src.Images == "" {
		return d, nil
	}
	img, err := OpenContext(ctx, Source{Path: src.Images, Size: src.Size, MaxBytes: src.MaxBytes})
	if err != nil {
		return nil, err
	}
	if img.Matrix {
		return nil, fmt.Errorf("open %s: the image source %s is a NumPy matrix; want a CSV file, an image folder or an IDX images file", src.Path, src.Images)
	}
	if img.N() != d.N() {
		return nil, fmt.Errorf("open %s: %d rows, and the image source %s has %d images; want one image per row, in the same order", src.Path, d.N(), src.Images, img.N())
	}
	d.Images = img
	return d, nil
}

// Detect returns the format Open detects for the data at path: FormatImages
// for a directory, FormatNPY for a regular file that starts with the .npy
// or zip (.npz) magic, FormatIDX for one whose (decompressed) content
// starts with two zero bytes, else FormatCSV. A FIFO or device is
// not read, since what Detect read would be lost to Open: it is CSV unless
// the Source says otherwise.
func Detect(path string) (string, error) {
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() && !fi.Mode().IsRegular() {
		return FormatCSV, nil
	}
	if _, members := splitMember(path); len(members) > 0 {
		return FormatCSV, nil // a member of an archive
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close() // read only
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		return FormatImages, nil
	}
	br := bufio.NewReader(f)
	if head, _ := br.Peek(6); string(head) == "\x93NUMPY" || len(head) >= 4 && string(head[:4]) == "PK\x03\x04" && !zipWithoutNPY(f, fi.Size()) {
		return FormatNPY, nil
	}
	var r io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			// Load reports it.
			return FormatCSV, nil
		}
		r = zr
	}
	var head [2]byte
	if n, _ := io.ReadFull(r, head[:]); n == 2 && head[0] == 0 && head[1] == 0 {
		return FormatIDX, nil
	}
	return FormatCSV, nil
}

// zipWithoutNPY reports whether the zip archive in ra holds no .npy
// member: then it is no .npz but an archive holding a CSV file.
func zipWithoutNPY(ra io.ReaderAt, size int64) bool {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return false // LoadNPY reports it
	}
	for _, f := range zr.File {
		if strings.HasSuffix(strings.ToLower(f.Name), ".npy") {
			return false
		}
	}
	return true
}
