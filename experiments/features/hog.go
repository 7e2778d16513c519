package features

import (
	"fmt"
	"math"
)

// HOGParams are the arguments of skimage.feature.hog, with its names.
// DefaultHOGParams gives the values of issue 14, which are scikit-image's
// defaults except cells_per_block (scikit-image: (3, 3)).
type HOGParams struct {
	// Orientations is the number of orientation bins over 0..180 degrees
	// (orientations).
	Orientations int `yaml:"orientations" json:"orientations"`
	// PixelsPerCell is the size of a cell in pixels, (rows, columns)
	// (pixels_per_cell).
	PixelsPerCell [2]int `yaml:"pixels_per_cell" json:"pixels_per_cell"`
	// CellsPerBlock is the size of a normalisation block in cells, (rows,
	// columns) (cells_per_block).
	CellsPerBlock [2]int `yaml:"cells_per_block" json:"cells_per_block"`
	// BlockNorm is L1, L1-sqrt, L2 or L2-Hys (block_norm).
	BlockNorm string `yaml:"block_norm" json:"block_norm"`
	// TransformSqrt takes the square root of every pixel first
	// (transform_sqrt); pixels must then be >= 0.
	TransformSqrt bool `yaml:"transform_sqrt" json:"transform_sqrt"`
}

// DefaultHOGParams returns orientations=9, pixels_per_cell=(8, 8),
// cells_per_block=(2, 2), block_norm='L2-Hys', transform_sqrt=False.
func DefaultHOGParams() HOGParams {
	return HOGParams{
		Orientations:  9,
		PixelsPerCell: [2]int{8, 8},
		CellsPerBlock: [2]int{2, 2},
		BlockNorm:     "L2-Hys",
	}
}

// Validate reports the first parameter out of range, by its scikit-image
// name ("orientations 0 out of range 1..360"; Dim and New add "hog: ").
func (p HOGParams) Validate() error {
	switch {
	case p.Orientations < 1 || p.Orientations > 360:
		return fmt.Errorf("orientations %d out of range 1..360", p.Orientations)
	case p.PixelsPerCell[0] < 1 || p.PixelsPerCell[1] < 1 ||
		p.PixelsPerCell[0] > 1<<12 || p.PixelsPerCell[1] > 1<<12:
		return fmt.Errorf("pixels_per_cell %v out of range 1..4096", p.PixelsPerCell)
	case p.CellsPerBlock[0] < 1 || p.CellsPerBlock[1] < 1 ||
		p.CellsPerBlock[0] > 1<<12 || p.CellsPerBlock[1] > 1<<12:
		return fmt.Errorf("cells_per_block %v out of range 1..4096", p.CellsPerBlock)
	}
	switch p.BlockNorm {
	case "L1", "L1-sqrt", "L2", "L2-Hys":
		return nil
	}
	return fmt.Errorf("block_norm %q unknown (want L1, L1-sqrt, L2 or L2-Hys)", p.BlockNorm)
}

// Dim returns the length of the HOG vector of a w×h image:
//
//	blocks_row * blocks_col * cells_per_block[0] * cells_per_block[1] * orientations
//
// with cells_row = h / pixels_per_cell[0] (integer division; pixels
// beyond the last whole cell are ignored, as in scikit-image) and
// blocks_row = cells_row - cells_per_block[0] + 1, likewise for columns.
// An image too small for one block is an error (scikit-image returns an
// empty vector or fails).
func (p HOGParams) Dim(w, h int) (int, error) {
	if err := p.Validate(); err != nil {
		return 0, fmt.Errorf("hog: %w", err)
	}
	cr, cc := h/p.PixelsPerCell[0], w/p.PixelsPerCell[1]
	br, bc := cr-p.CellsPerBlock[0]+1, cc-p.CellsPerBlock[1]+1
	if w < 1 || h < 1 || br < 1 || bc < 1 {
		return 0, fmt.Errorf("hog: a %dx%d image has %dx%d cells of %dx%d pixels, fewer than one block of %dx%d cells",
			w, h, cc, cr, p.PixelsPerCell[1], p.PixelsPerCell[0], p.CellsPerBlock[1], p.CellsPerBlock[0])
	}
	return br * bc * p.CellsPerBlock[0] * p.CellsPerBlock[1] * p.Orientations, nil
}

// HOGExtractor computes HOG vectors of w×h images; see Extract.
type HOGExtractor struct {
	p          HOGParams
	w, h, dim  int
	cellsR     int       // cells per column of cells (rows)
	cellsC     int       // cells per row of cells (columns)
	lo         []float64 // lo[i] = (180/orientations)*i: bin i is [lo[i], lo[i+1])
	step       float64   // 180/orientations
	degPerRad  float64   // 180/π rounded as NumPy's rad2deg does
	im         []float64 // the image as float64 (square-rooted if asked)
	hist       []float64 // cell histograms, cellsR*cellsC*orientations
	tot        []float32 // one cell's float32 sums, as scikit-image keeps them
	block      []float64 // one block before normalisation
	cellPixels float32
	byteBins   []int16 // bin of every integer gradient; see byteTable
	isBytes    bool    // e.im holds integers 0..255 (set by Extract)
}

// NewHOG returns a HOGExtractor for w×h images, or the error of p.Dim.
func NewHOG(p HOGParams, w, h int) (*HOGExtractor, error) {
	dim, err := p.Dim(w, h)
	if err != nil {
		return nil, err
	}
	n := p.Orientations
	e := &HOGExtractor{
		p: p, w: w, h: h, dim: dim,
		cellsR: h / p.PixelsPerCell[0], cellsC: w / p.PixelsPerCell[1],
		im:         make([]float64, w*h),
		tot:        make([]float32, n),
		block:      make([]float64, p.CellsPerBlock[0]*p.CellsPerBlock[1]*n),
		lo:         make([]float64, n+1),
		cellPixels: float32(p.PixelsPerCell[0] * p.PixelsPerCell[1]),
	}
	e.hist = make([]float64, e.cellsR*e.cellsC*n)
	// Both divisions are done at run time in float64, as NumPy's compiled
	// constants 180.0/NPY_PI and 180./number_of_orientations are.
	pi, deg := math.Pi, 180.0
	e.degPerRad = deg / pi
	e.step = deg / float64(n)
	for i := range e.lo {
		e.lo[i] = e.step * float64(i)
	}
	return e, nil
}

// Dim returns the length of one HOG vector.
func (e *HOGExtractor) Dim() int { return e.dim }

// Size returns the image size e was made for.
func (e *HOGExtractor) Size() (w, h int) { return e.w, e.h }

// Extract writes the HOG vector of img into dst[:e.Dim()].
func (e *HOGExtractor) Extract(dst, img []float32) {
	checkShape(HOG, e.w, e.h, len(img), e.dim, len(dst))
	bytes := true
	for i, v := range img {
		e.im[i] = float64(v)
		bytes = bytes && v >= 0 && v <= 255 && v == float32(int(v))
	}
	e.isBytes = bytes
	e.run(dst)
}

// Extract64 writes the HOG vector of img into dst[:e.Dim()].
func (e *HOGExtractor) Extract64(dst []float32, img []float64) {
	checkShape(HOG, e.w, e.h, len(img), e.dim, len(dst))
	bytes := true
	for i, v := range img {
		e.im[i] = v
		bytes = bytes && v >= 0 && v <= 255 && v == float64(int(v))
	}
	e.isBytes = bytes
	e.run(dst)
}

// run computes the HOG vector of e.im in three steps, those of
// skimage.feature.hog:
//
//  1. gradients by central differences, zero on the border rows (columns):
//     g_row[r, c] = im[r+1, c] - im[r-1, c], g_col[r, c] = im[r, c+1] - im[r, c-1];
//  2. per cell and orientation bin, the sum of the magnitudes hypot(g_row,
//     g_col) of the pixels whose orientation rad2deg(arctan2(g_row, g_col))
//     mod 180 lies in [180/n*i, 180/n*(i+1)), divided by the pixels per
//     cell (skimage/feature/_hoghistogram.pyx; the sum and the division are
//     in float32 there, and here);
//  3. per block of cells, normalisation (blockNorm), the blocks written
//     in row-major order of (block row, block column, cell row, cell
//     column, orientation).
func (e *HOGExtractor) run(dst []float32) {
	switch {
	case e.p.TransformSqrt:
		for i, v := range e.im {
			e.im[i] = math.Sqrt(v)
		}
		e.cellHistograms()
	case e.isBytes:
		e.cellHistogramsBytes()
	default:
		e.cellHistograms()
	}
	e.blocks(dst)
}

// cellHistograms fills e.hist with the orientation histogram of every
// cell. It is the plain version of cellHistogramsBytes, for any pixels.
func (e *HOGExtractor) cellHistograms() {
	n, w, h, im := e.p.Orientations, e.w, e.h, e.im
	pr, pc := e.p.PixelsPerCell[0], e.p.PixelsPerCell[1]
	for cr := range e.cellsR {
		for cc := range e.cellsC {
			tot := e.tot
			clear(tot)
			for r := cr * pr; r < (cr+1)*pr; r++ {
				row := im[r*w : (r+1)*w]
				for c := cc * pc; c < (cc+1)*pc; c++ {
					var gr, gc float64
					if r > 0 && r < h-1 {
						gr = im[(r+1)*w+c] - im[(r-1)*w+c]
					}
					if c > 0 && c < w-1 {
						gc = row[c+1] - row[c-1]
					}
					mag := magnitude(gr, gc)
					b := e.bin(gr, gc)
					if b >= 0 {
						tot[b] = float32(float64(tot[b]) + mag)
					} else if b == binAll {
						for i := range tot {
							tot[i] = float32(float64(tot[i]) + mag)
						}
					}
				}
			}
			h := e.hist[(cr*e.cellsC+cc)*n : (cr*e.cellsC+cc+1)*n]
			for i, t := range tot {
				h[i] = float64(t / e.cellPixels)
			}
		}
	}
}

// magnitude is np.hypot(gr, gc) for gradients whose squares add up
// exactly (integer pixels: |g| <= 2^26); otherwise it may differ from it
// in the last bit.
func magnitude(gr, gc float64) float64 {
	return math.Sqrt(float64(gr*gr) + float64(gc*gc))
}

// Results of bin besides a bin index.
const (
	binNone = -1 // in no bin: the orientation rounded to 180
	binAll  = -2 // NaN orientation, which scikit-image's tests let into every bin
)

// bin returns the orientation bin of the gradient (gr, gc): the i with
// lo[i] <= o < lo[i+1] for o = rad2deg(arctan2(gr, gc)) mod 180, where mod
// is NumPy's floor remainder. A tiny negative angle gives o = 180.0 after
// rounding, in no bin, as in scikit-image.
func (e *HOGExtractor) bin(gr, gc float64) int {
	o := math.Atan2(gr, gc) * e.degPerRad
	o = math.Mod(o, 180)
	if o != 0 && o < 0 {
		o += 180
	} else if o == 0 {
		o = 0 // NumPy returns +0 for a zero remainder
	}
	if o != o {
		return binAll
	}
	n := e.p.Orientations
	i := int(o / e.step)
	i = max(0, min(i, n-1))
	for i > 0 && o < e.lo[i] {
		i--
	}
	for i < n-1 && o >= e.lo[i+1] {
		i++
	}
	if o < e.lo[i] || o >= e.lo[i+1] {
		return binNone
	}
	return i
}

// blocks normalises every block of cells into dst.
func (e *HOGExtractor) blocks(dst []float32) {
	n := e.p.Orientations
	br, bc := e.p.CellsPerBlock[0], e.p.CellsPerBlock[1]
	k := 0
	for r := 0; r+br <= e.cellsR; r++ {
		for c := 0; c+bc <= e.cellsC; c++ {
			blk := e.block[:0]
			for i := range br {
				row := ((r+i)*e.cellsC + c) * n
				blk = append(blk, e.hist[row:row+bc*n]...)
			}
			blockNorm(blk, e.p.BlockNorm)
			for _, v := range blk {
				dst[k] = float32(v)
				k++
			}
		}
	}
}

// blockNorm normalises the block v in place as skimage's
// _hog_normalize_block does, with eps = 1e-5:
//
//	L1:      v / (sum|v| + eps)
//	L1-sqrt: sqrt(v / (sum|v| + eps))
//	L2:      v / sqrt(sum v² + eps²)
//	L2-Hys:  L2, then min(v, 0.2), then L2 again
//
// (Dalal and Triggs, CVPR 2005; Lowe, IJCV 2004 for the clipping).
func blockNorm(v []float64, method string) {
	eps := 1e-5
	eps2 := eps * eps // rounded as Python's eps ** 2
	switch method {
	case "L1", "L1-sqrt":
		s := 0.0
		for _, x := range v {
			s += math.Abs(x)
		}
		d := s + eps
		for i, x := range v {
			v[i] = x / d
			if method == "L1-sqrt" {
				v[i] = math.Sqrt(v[i])
			}
		}
	case "L2":
		scale(v, math.Sqrt(sumSq(v)+eps2))
	case "L2-Hys":
		scale(v, math.Sqrt(sumSq(v)+eps2))
		for i, x := range v {
			v[i] = min(x, 0.2)
		}
		scale(v, math.Sqrt(sumSq(v)+eps2))
	default:
		panic("features: hog: block_norm " + method)
	}
}

func sumSq(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x * x)
	}
	return s
}

func scale(v []float64, d float64) {
	for i, x := range v {
		v[i] = x / d
	}
}
