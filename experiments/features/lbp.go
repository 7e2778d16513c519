package features

import (
	"fmt"
	"math"
)

// LBPParams are the arguments of skimage.feature.local_binary_pattern (P,
// R, method, with its names) and the grid of cells whose code histograms
// form the feature vector.
type LBPParams struct {
	// P is the number of points sampled on the circle, 1..16.
	P int `yaml:"P" json:"P"`
	// R is the radius of the circle in pixels, > 0 and <= 64.
	R float64 `yaml:"R" json:"R"`
	// Method is uniform, default, ror or nri_uniform (scikit-image's
	// var, a real-valued contrast, has no histogram here).
	Method string `yaml:"method" json:"method"`
	// GridX and GridY are the number of cells across (columns) and down
	// (rows). Cell (i, j) holds rows floor(i*h/GridY) up to
	// floor((i+1)*h/GridY) and likewise columns, so every pixel is in
	// exactly one cell (a 48x48 image and a 4x4 grid: 12x12 cells).
	GridX int `yaml:"grid_x" json:"grid_x"`
	GridY int `yaml:"grid_y" json:"grid_y"`
}

// DefaultLBPParams returns P=8, R=1, method='uniform' and a 4x4 grid.
func DefaultLBPParams() LBPParams {
	return LBPParams{P: 8, R: 1, Method: "uniform", GridX: 4, GridY: 4}
}

// Validate reports the first parameter out of range ("P 17 out of range
// 1..16"; Dim and New add "lbp: ").
func (p LBPParams) Validate() error {
	switch {
	case p.P < 1 || p.P > 16:
		return fmt.Errorf("P %d out of range 1..16", p.P)
	case !(p.R > 0 && p.R <= 64):
		return fmt.Errorf("R %v out of range (0, 64]", p.R)
	case p.GridX < 1 || p.GridY < 1:
		return fmt.Errorf("grid %dx%d: want at least 1x1 cells", p.GridX, p.GridY)
	}
	switch p.Method {
	case "uniform", "default", "ror", "nri_uniform":
		return nil
	}
	return fmt.Errorf("method %q unknown (want uniform, default, ror or nri_uniform)", p.Method)
}

// Bins returns the number of LBP codes, the length of one cell's
// histogram: P+2 for uniform (codes 0..P for the uniform patterns by their
// number of ones, P+1 for all others), P(P-1)+3 for nri_uniform, 2^P for
// default and ror.
func (p LBPParams) Bins() int {
	switch p.Method {
	case "uniform":
		return p.P + 2
	case "nri_uniform":
		return p.P*(p.P-1) + 3
	}
	return 1 << p.P
}

// Dim returns GridX*GridY*Bins(), the length of the LBP feature vector of
// a w×h image, or an error if the parameters are invalid or a cell would
// be empty (GridX > w or GridY > h).
func (p LBPParams) Dim(w, h int) (int, error) {
	if err := p.Validate(); err != nil {
		return 0, fmt.Errorf("lbp: %w", err)
	}
	if w < p.GridX || h < p.GridY {
		return 0, fmt.Errorf("lbp: a %dx%d image is smaller than the %dx%d grid", w, h, p.GridX, p.GridY)
	}
	return p.GridX * p.GridY * p.Bins(), nil
}

// LBPExtractor computes LBP histograms of w×h images; see Extract.
type LBPExtractor struct {
	p         LBPParams
	w, h, dim int
	pad       int       // zero border around the image in e.im
	pw        int       // width of e.im, w+2*pad
	im        []float64 // the image with a zero border of pad pixels
	codes     []uint16  // LBP code of every pixel, row-major
	code      []uint16  // code of every P-bit pattern
	exact     []bool    // sample i lies on the pixel grid (weights 0)
	rowOff    []int     // [r*P+i]: offset in e.im of the top-left neighbour
	colOff    []int     // [c*P+i]
	dr, dc    []float64 // [r*P+i], [c*P+i]: bilinear weights of the far neighbours
	rowDown   []int     // [r*P+i]: pw if the sample needs the row below, else 0
	colRight  []int     // [c*P+i]: 1 if it needs the column to the right, else 0
	rowCell   []int     // cell row of every image row
	colCell   []int     // cell column of every image column
	rows      *lbpRows  // the row-wise kernel's tables; nil: use lbp
	fused     *lbp8     // the fused P=8, R=1 kernel's tables; nil: use rows or lbp
}

// NewLBP returns an LBPExtractor for w×h images, or the error of p.Dim.
func NewLBP(p LBPParams, w, h int) (*LBPExtractor, error) {
	dim, err := p.Dim(w, h)
	if err != nil {
		return nil, err
	}
	pad := int(math.Ceil(p.R)) + 1
	e := &LBPExtractor{p: p, w: w, h: h, dim: dim, pad: pad, pw: w + 2*pad}
	e.im = make([]float64, e.pw*(h+2*pad))
	e.codes = make([]uint16, w*h)
	e.code = codeTable(p.P, p.Method)
	rp, cp := circle(p.P, p.R)
	e.exact = make([]bool, p.P)
	for i := range p.P {
		e.exact[i] = rp[i] == math.Trunc(rp[i]) && cp[i] == math.Trunc(cp[i])
	}
	e.rowOff, e.dr, e.rowDown = axisTable(h, rp, pad, e.pw)
	e.colOff, e.dc, e.colRight = axisTable(w, cp, pad, 1)
	e.rowCell, e.colCell = cellIndex(h, p.GridY), cellIndex(w, p.GridX)
	e.rows = newLBPRows(e)
	e.fused = newLBP8(e)
	return e, nil
}

// circle returns the offsets of the P sample points as scikit-image
// rounds them: rp[i] = round(-R*sin(2πi/P), 5), cp[i] = round(R*cos(2πi/P),
// 5), where round is NumPy's around (multiply by 1e5, round half to even,
// divide).
func circle(p int, r float64) (rp, cp []float64) {
	round5 := func(x float64) float64 { return math.RoundToEven(x*1e5) / 1e5 }
	rp, cp = make([]float64, p), make([]float64, p)
	for i := range p {
		a := 2 * math.Pi * float64(i) / float64(p)
		rp[i] = round5(-r * math.Sin(a))
		cp[i] = round5(r * math.Cos(a))
	}
	return rp, cp
}

// axisTable returns, for every position k in 0..n-1 along one axis and
// every sample i, the offset (times stride, in the padded image) of the
// lower neighbour floor(k+off[i]), the weight d = (k+off[i]) -
// floor(k+off[i]) of the upper one, and the step (stride or 0) from the
// lower to the upper neighbour ceil(k+off[i]), all computed in float64 as
// skimage's bilinear_interpolation does.
func axisTable(n int, off []float64, pad, stride int) (lo []int, d []float64, up []int) {
	p := len(off)
	lo, d, up = make([]int, n*p), make([]float64, n*p), make([]int, n*p)
	for k := range n {
		for i, o := range off {
			x := float64(k) + o
			f, c := math.Floor(x), math.Ceil(x)
			lo[k*p+i] = (int(f) + pad) * stride
			d[k*p+i] = x - f
			up[k*p+i] = (int(c) - int(f)) * stride
		}
	}
	return lo, d, up
}

// cellIndex maps each of n positions to its cell among g: the cell of k
// is the j with floor(j*n/g) <= k < floor((j+1)*n/g).
func cellIndex(n, g int) []int {
	idx := make([]int, n)
	for j := range g {
		for k := j * n / g; k < (j+1)*n/g; k++ {
			idx[k] = j
		}
	}
	return idx
}

// Dim returns the length of one LBP vector.
func (e *LBPExtractor) Dim() int { return e.dim }

// Size returns the image size e was made for.
func (e *LBPExtractor) Size() (w, h int) { return e.w, e.h }

// Extract writes the LBP histograms of img into dst[:e.Dim()].
func (e *LBPExtractor) Extract(dst, img []float32) {
	checkShape(LBP, e.w, e.h, len(img), e.dim, len(dst))
	for r := range e.h {
		row := e.im[(r+e.pad)*e.pw+e.pad:]
		for c, v := range img[r*e.w : (r+1)*e.w] {
			row[c] = float64(v)
		}
	}
	e.run(dst)
}

// Extract64 writes the LBP histograms of img into dst[:e.Dim()].
func (e *LBPExtractor) Extract64(dst []float32, img []float64) {
	checkShape(LBP, e.w, e.h, len(img), e.dim, len(dst))
	for r := range e.h {
		copy(e.im[(r+e.pad)*e.pw+e.pad:], img[r*e.w:(r+1)*e.w])
	}
	e.run(dst)
}

// Codes computes the LBP code of every pixel of img (w*h values) into
// codes (w*h values), as skimage.feature.local_binary_pattern returns them.
func (e *LBPExtractor) Codes(codes []uint16, img []float64) {
	checkShape(LBP, e.w, e.h, len(img), len(codes), len(codes))
	checkShape(LBP, e.w, e.h, len(codes), 0, 0)
	for r := range e.h {
		copy(e.im[(r+e.pad)*e.pw+e.pad:], img[r*e.w:(r+1)*e.w])
	}
	e.run(make([]float32, e.dim))
	copy(codes, e.codes)
}

// run computes the codes of e.im and counts them per cell into dst: cell
// (i, j) at dst[(i*GridX+j)*Bins():], code k in its bin k.
func (e *LBPExtractor) run(dst []float32) {
	if e.fused != nil {
		e.lbp8Run(dst[:e.dim])
		return
	}
	if e.rows != nil {
		e.lbpRows()
	} else {
		e.lbp()
	}
	dst = dst[:e.dim]
	clear(dst)
	bins := e.p.Bins()
	for r := range e.h {
		base := e.rowCell[r] * e.p.GridX
		for c, k := range e.codes[r*e.w : (r+1)*e.w] {
			dst[(base+e.colCell[c])*bins+int(k)]++
		}
	}
}
