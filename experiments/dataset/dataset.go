// Package dataset reads image data sets: CSV files in the FER2013 layout
// (this comment), folders of PNG, JPEG and GIF images and IDX files as
// used by MNIST (see Open), plain or gzip-compressed.
//
// # Format
//
// The first non-blank line is a header naming the columns, separated by
// commas, in any order: pixels (required), emotion (optional, the class label)
// and Usage (optional, the split). FER2013 itself (Goodfellow et al.,
// "Challenges in Representation Learning: A report on three machine learning
// contests", ICML 2013 workshop) uses the order emotion,pixels,Usage. Other
// column names are errors. Every following non-blank line is one image:
//
//   - pixels: grey levels, integers 0..255 separated by spaces (repeated and
//     surrounding spaces are tolerated), Side*Side values in row-major order.
//     The first data row fixes Side; every row must have the same count.
//   - emotion: an integer 0..999.
//   - Usage: Training, PublicTest or PrivateTest.
//
// Fields may be quoted as in RFC 4180 and encoding/csv ("..." with "" for a
// quote), but a quoted field must end on the line where it starts. Lines end
// in LF or CRLF; the last line's end is optional; blank lines are skipped; a
// UTF-8 byte order mark before the header is skipped. Spaces around emotion,
// Usage and header fields are ignored.
//
// Input whose first two bytes are the gzip magic 1f 8b (RFC 1952, section
// 2.3.1) is decompressed; the file name is never consulted.
//
// # Errors
//
// Every problem in the data is an error naming the input, the 1-based line in
// the (decompressed) text and the field, for example
//
//	fer.csv:17: pixels: value 256 out of range 0..255 (pixel 12)
//
// where pixel indices are 0-based positions in the row, as in Row(i)[12].
// The error reported is always the one on the first bad line. A row may not
// hold more than 1<<22 pixels and a line may not be longer than 1<<26 bytes;
// memory grows only with the data actually read.
//
// # Speed
//
// Reading overlaps input, decompression and parsing in separate goroutines
// and parses line-aligned chunks of text on all CPUs; the result does not
// depend on the number of CPUs. Decompression (klauspost/compress/gzip)
// runs in one goroutine: a parallel deflate decoder saved too little on two
// shared cores to be worth owning (bench/kernels.md). With a plain file's
// size known, pixels are converted to float32 as they arrive, into one
// allocation.
package dataset

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"
)

// Usage is the FER2013 split a row belongs to.
type Usage uint8

// The three FER2013 splits, in the order of the original challenge: the
// training set, the public test set of the leaderboard, and the private test
// set used for the final ranking.
const (
	Training Usage = iota
	PublicTest
	PrivateTest
)

// String returns the name of u as it appears in the Usage column.
func (u Usage) String() string {
	switch u {
	case Training:
		return "Training"
	case PublicTest:
		return "PublicTest"
	case PrivateTest:
		return "PrivateTest"
	}
	return fmt.Sprintf("Usage(%d)", uint8(u))
}

// ParseUsage returns the Usage named s, which must be exactly Training,
// PublicTest or PrivateTest.
func ParseUsage(s string) (Usage, error) {
	if u, ok := lookupUsage([]byte(s)); ok {
		return u, nil
	}
	return 0, fmt.Errorf("parse usage: unknown value %q (%s)", s, usageWant)
}

// usageWant lists the valid Usage values for error messages.
const usageWant = "want Training, PublicTest or PrivateTest"

// lookupUsage is ParseUsage on bytes, without allocating.
func lookupUsage(b []byte) (Usage, bool) {
	switch string(b) {
	case "Training":
		return Training, true
	case "PublicTest":
		return PublicTest, true
	case "PrivateTest":
		return PrivateTest, true
	}
	return 0, false
}

// Dataset is an image data set read from a FER2013-layout CSV file, an
// image folder or IDX files.
type Dataset struct {
	// Name is the path or name the data was read from, as given (the
	// images file for IDX); it prefixes error messages.
	Name string

	// Side is the side length of the square images and Dim == Side*Side the
	// number of pixels of each, both fixed by the first data row.
	Side, Dim int

	// Pixels holds N*Dim raw grey levels 0..255 in file order; row i is
	// Pixels[i*Dim:(i+1)*Dim] and pixel (r, c) of an image is at r*Side+c.
	Pixels []float32

	// Labels holds the emotion of each row, or -1 for every row when the
	// file has no emotion column.
	Labels []int

	// Usage holds the split of each row, Training for every row when the
	// file has no Usage column.
	Usage []Usage

	// Line holds the 1-based line number of each row in the decompressed
	// text; for image folders and IDX files, the 1-based position of the
	// row (in sorted path order, or in the file).
	Line []int

	// HasLabels reports whether the file has an emotion column (CSV), a
	// labels file (IDX) or class folders (image folder).
	HasLabels bool

	// SHA256 is the hex SHA-256 (FIPS 180-4) of the bytes as stored, the
	// compressed bytes for gzip input, computed while reading. Image
	// folders and IDX pairs hash several files; see Open.
	SHA256 string

	// Paths holds the file of each row of an image folder; nil otherwise.
	Paths []string

	// LabelNames names the labels 0, 1, ... when the data names them: the
	// class folders of an image folder, the numbers of an IDX labels
	// file; nil for CSV files and unlabelled data.
	LabelNames []string

	// Skipped lists the image files that could not be used and were
	// skipped (Source.OnBad "skip"), in path order.
	Skipped []BadFile

	// Matrix reports that Pixels is a NumPy matrix (.npy or .npz: features,
	// embeddings, or images as numbers), not images decoded here. Its rows
	// are never taken for images, even when they could be; Images holds
	// the images, if any.
	Matrix bool

	// NotGrey reports that some value of Pixels is not an integer 0..255,
	// which only a Matrix can hold. Rows are then told apart (selection
	// order, identical rows) by their float32 values rather than by their
	// grey levels.
	NotGrey bool

	// Images holds the images of a Matrix's rows, row for row, when
	// Source.Images names them; nil otherwise.
	Images *Dataset
}

// ImageData returns the data set whose rows are the images of d's rows,
// for montages and for features computed from images: d itself for a
// CSV file, an image folder or IDX files, d.Images for a matrix (nil when
// none was given; NoImages says why).
func (d *Dataset) ImageData() *Dataset {
	if d.Matrix {
		return d.Images
	}
	return d
}

// NoImages says why ImageData is nil, in a sentence for the report; ""
// when it is not.
func (d *Dataset) NoImages() string {
	if d.ImageData() != nil {
		return ""
	}
	return fmt.Sprintf("%s is a NumPy matrix without images: name the matching images (a CSV file, an image folder or an IDX file, in the same row order) in data.images", d.Name)
}

// BadFile is an image file that could not be used, and why.
type BadFile struct {
	Path string
	Err  error
}

// N returns the number of rows (images).
func (d *Dataset) N() int { return len(d.Labels) }

// Row returns the Dim pixels of row i, sharing storage with d.Pixels. It
// panics if i is not in [0, N).
func (d *Dataset) Row(i int) []float32 {
	if i < 0 || i >= d.N() {
		panic(fmt.Sprintf("dataset: row index %d out of range [0,%d)", i, d.N()))
	}
	return d.Pixels[i*d.Dim : (i+1)*d.Dim : (i+1)*d.Dim]
}

// Load reads the data set stored in the file at path, gzip-compressed or
// plain; see Read.
func Load(path string) (*Dataset, error) {
	return load(path, limit{})
}

// load is Load with a bound on the float32 matrix.
func load(path string, lim limit) (*Dataset, error) {
	return loadCtx(context.Background(), path, lim)
}

// loadCtx is load that stops when ctx ends, returning ctx.Err(): the file
// is closed, which also ends a read blocked on a pipe or FIFO.
func loadCtx(ctx context.Context, path string, lim limit) (*Dataset, error) {
	f, r, closeR, err := openFile(path)
	if err != nil {
		return nil, err
	}
	closed := context.AfterFunc(ctx, func() { f.Close() })
	d, err := readCtx(ctx, r, path, defaultChunk, lim)
	closeR()
	if !closed() || ctx.Err() != nil {
		f.Close()
		return nil, ctx.Err()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		return nil, fmt.Errorf("close %s: %w", path, cerr)
	}
	return d, err
}

// Read reads a data set from r to its end. name is used in error messages
// and as Dataset.Name. If the first two bytes of r are the gzip magic
// 1f 8b, r is decompressed with compress/gzip (multistream); decompression
// errors read as "name: gzip: ..." and wrap the gzip error. Errors of r
// itself read as "read name: ..." and wrap the error.
func Read(r io.Reader, name string) (*Dataset, error) {
	return read(r, name, defaultChunk)
}

// gzipErr describes an error of the gzip decompressor.
func gzipErr(name string, err error) error {
	if err == gzip.ErrHeader || err == gzip.ErrChecksum {
		// Their text already starts with "gzip: ".
		return fmt.Errorf("%s: %w", name, err)
	}
	return fmt.Errorf("%s: gzip: %w", name, err)
}

// FER2013Emotions returns the FER2013 emotion labels, indexed by their code
// in the dataset's emotion column (Goodfellow et al., "Challenges in
// representation learning: a report on three machine learning contests",
// ICONIP 2013; the Kaggle "fer2013" data description). Each call returns a
// new slice.
func FER2013Emotions() []string {
	return []string{"Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"}
}

// EnvPath is the environment variable that names the FER2013 CSV when no
// data path is given.
const EnvPath = "FER2013_CSV"

// DefaultPath returns the data path to use when none is configured: the
// FER2013_CSV environment variable, or "".
func DefaultPath() string { return os.Getenv(EnvPath) }
