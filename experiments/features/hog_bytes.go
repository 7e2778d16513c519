package features

import "math"

// byteGrad is the largest gradient of an image of integers 0..255.
const byteGrad = 255

// byteTable returns e.bin for every integer gradient (gr, gc) in
// [-255, 255]², at index (gr+255)*511 + gc+255. It is built once per
// Extractor, on the first image of integers (about 0.26 M calls of bin).
func (e *HOGExtractor) byteTable() []int16 {
	if e.byteBins == nil {
		const n = 2*byteGrad + 1
		t := make([]int16, n*n)
		for i := range n {
			for j := range n {
				t[i*n+j] = int16(e.bin(float64(i-byteGrad), float64(j-byteGrad)))
			}
		}
		e.byteBins = t
	}
	return e.byteBins
}

// cellHistogramsBytes is cellHistograms for images of integers 0..255
// (e.isBytes): the gradients are integers in [-255, 255], whose
// orientation bins come from a table instead of arctan2, and pixels of
// zero gradient, which add 0, are skipped. The sums are the same to the
// bit (TestHOGBytesVersusPlain).
func (e *HOGExtractor) cellHistogramsBytes() {
	const n2 = 2*byteGrad + 1
	tab := e.byteTable()
	n, w, h, im := e.p.Orientations, e.w, e.h, e.im
	pr, pc := e.p.PixelsPerCell[0], e.p.PixelsPerCell[1]
	for cr := range e.cellsR {
		for cc := range e.cellsC {
			tot := e.tot
			clear(tot)
			for r := cr * pr; r < (cr+1)*pr; r++ {
				row := im[r*w : (r+1)*w]
				up, down := row, row // zero g_row on the first and last rows
				if r > 0 && r < h-1 {
					up, down = im[(r-1)*w:r*w], im[(r+1)*w:(r+2)*w]
				}
				for c := cc * pc; c < (cc+1)*pc; c++ {
					gr, gc := down[c]-up[c], 0.0
					if c > 0 && c < w-1 {
						gc = row[c+1] - row[c-1]
					}
					if gr == 0 && gc == 0 {
						continue
					}
					b := tab[(int(gr)+byteGrad)*n2+int(gc)+byteGrad]
					if b >= 0 {
						mag := math.Sqrt(float64(gr*gr) + float64(gc*gc))
						tot[b] = float32(float64(tot[b]) + mag)
					}
				}
			}
			hh := e.hist[(cr*e.cellsC+cc)*n : (cr*e.cellsC+cc+1)*n]
			for i, t := range tot {
				hh[i] = float64(t / e.cellPixels)
			}
		}
	}
}
