package features

import (
	"fmt"
	"slices"
)

// Names of the features New knows, as written in a configuration.
const (
	Pixels = "pixels"
	HOG    = "hog"
	LBP    = "lbp"
)

// Names lists the features New knows, in the order of the documentation.
var names = []string{Pixels, HOG, LBP}

// Known reports whether name is a feature New knows.
func Known(name string) bool { return slices.Contains(names, name) }

// Params holds the parameters of every feature, named after
// scikit-image's arguments.
type Params struct {
	HOG HOGParams `yaml:"hog" json:"hog"`
	LBP LBPParams `yaml:"lbp" json:"lbp"`
}

// DefaultParams returns DefaultHOGParams and DefaultLBPParams.
func DefaultParams() Params {
	return Params{HOG: DefaultHOGParams(), LBP: DefaultLBPParams()}
}

// Validate checks both parameter sets.
func (p Params) Validate() error {
	if err := p.HOG.Validate(); err != nil {
		return fmt.Errorf("hog: %w", err)
	}
	if err := p.LBP.Validate(); err != nil {
		return fmt.Errorf("lbp: %w", err)
	}
	return nil
}

// An Extractor computes one feature for images of one size. It holds
// scratch space and is not safe for concurrent use; make one per
// goroutine.
type Extractor interface {
	// Dim is the length of the feature vector of one image.
	Dim() int
	// Size is the image width and height the Extractor was made for.
	Size() (w, h int)
	// Extract writes the features of img (w*h values, row-major) into
	// dst[:Dim()]. It panics if len(img) != w*h or len(dst) < Dim().
	Extract(dst, img []float32)
	// Extract64 is Extract for float64 pixels.
	Extract64(dst []float32, img []float64)
}

// New returns the Extractor for the feature name (Pixels, HOG or LBP) on
// w×h images. The error says why the parameters or the size do not fit.
func New(name string, p Params, w, h int) (Extractor, error) {
	switch name {
	case Pixels:
		if w < 1 || h < 1 {
			return nil, fmt.Errorf("pixels: image size %dx%d", w, h)
		}
		return pixelCopy{w, h}, nil
	case HOG:
		return NewHOG(p.HOG, w, h)
	case LBP:
		return NewLBP(p.LBP, w, h)
	}
	return nil, fmt.Errorf("unknown features %q (want pixels, hog or lbp)", name)
}

// ExtractRows writes the features of each image in pixels (n images of
// w*h values, back to back) into dst, row i at dst[i*e.Dim():], one image
// after the other. It panics if the lengths do not fit.
func ExtractRows(e Extractor, dst, pixels []float32) {
	w, h := e.Size()
	n := len(pixels) / (w * h)
	d := e.Dim()
	if n*w*h != len(pixels) || len(dst) != n*d {
		panic(fmt.Sprintf("features: %d pixels and %d outputs for %dx%d images of %d features",
			len(pixels), len(dst), w, h, d))
	}
	for i := range n {
		e.Extract(dst[i*d:(i+1)*d], pixels[i*w*h:(i+1)*w*h])
	}
}

// checkShape panics unless img has w*h values and dst room for d.
func checkShape(what string, w, h, nimg, d, ndst int) {
	if nimg != w*h {
		panic(fmt.Sprintf("features: %s: image of %d values, want %dx%d", what, nimg, w, h))
	}
	if ndst < d {
		panic(fmt.Sprintf("features: %s: output of %d values, want %d", what, ndst, d))
	}
}

// pixelCopy is the identity feature: the pixels themselves.
type pixelCopy struct{ w, h int }

func (p pixelCopy) Dim() int         { return p.w * p.h }
func (p pixelCopy) Size() (w, h int) { return p.w, p.h }
func (p pixelCopy) Extract(dst, img []float32) {
	checkShape(Pixels, p.w, p.h, len(img), p.Dim(), len(dst))
	copy(dst, img)
}
func (p pixelCopy) Extract64(dst []float32, img []float64) {
	checkShape(Pixels, p.w, p.h, len(img), p.Dim(), len(dst))
	for i, v := range img {
		dst[i] = float32(v)
	}
}
