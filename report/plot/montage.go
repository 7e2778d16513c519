package plot

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MontageRow is one labelled row of a Montage.
type MontageRow struct {
	// Label is drawn at the left of the row, e.g.
	// "cluster 3  n=412  Happy  purity 0.31".
	Label string
	// Images are Side*Side grey levels in [0, 255], row-major: pixel (r, c)
	// at r*Side+c, row 0 at the top.
	Images [][]float32
}

// Montage is rows of small grey images, e.g. the faces nearest each cluster
// centre, each row labelled on the left.
type Montage struct {
	Title string
	// Side is the side of every image in pixels.
	Side int
	// Scale is the integer factor each image is enlarged by (nearest
	// neighbour); 2 when 0.
	Scale int
	Rows  []MontageRow
}

// Montage layout, in pixels.
const (
	montagePad    = 8 // margin around everything and around the labels
	montageGap    = 4 // between images of a row
	montageRowGap = 8 // between rows
)

// montageLayout is the pixel geometry of a Montage.
type montageLayout struct {
	width, height int
	cell          int // side of a scaled image
	labelWidth    int // left of the first image
	top           int // top of the first row
}

// imageAt returns the top-left pixel of image i of row r.
func (l montageLayout) imageAt(r, i int) image.Point {
	return image.Point{
		X: l.labelWidth + i*(l.cell+montageGap),
		Y: l.top + r*(l.cell+montageRowGap),
	}
}

// Caption sizes in points (1 pt = 4/3 pixels at 96 dpi): large enough to
// read when the page shrinks a wide montage to its column.
const (
	montageLabelPt = 16
	montageTitlePt = 18
)

// montageStyles returns the text styles of row labels and the title.
func montageStyles() (label, title text.Style) {
	label = text.Style{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, montageLabelPt),
		XAlign:  draw.XLeft,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
	title = label
	title.Font.Size = montageTitlePt
	title.YAlign = draw.YTop
	return label, title
}

// layout checks m and returns its geometry:
//
//	width  = labelWidth + n*cell + (n-1)*4 + 8
//	height = 8 + titleHeight + rows*cell + (rows-1)*8 + 8
//
// where cell = Side*Scale, n is the largest number of images in a row,
// labelWidth is the widest label plus 2*8 pixels (8 without labels) and
// titleHeight is the title's text height plus 8 (0 without a title).
func (m *Montage) layout() montageLayout {
	if m.Side <= 0 {
		panic(fmt.Sprintf("report: montage side %d", m.Side))
	}
	if m.Scale < 0 {
		panic(fmt.Sprintf("report: montage scale %d", m.Scale))
	}
	if len(m.Rows) == 0 {
		panic("report: montage without rows")
	}
	scale := m.Scale
	if scale == 0 {
		scale = 2
	}
	labelSty, titleSty := montageStyles()
	l := montageLayout{cell: m.Side * scale, labelWidth: montagePad}
	n := 0
	var lw vg.Length
	for r, row := range m.Rows {
		n = max(n, len(row.Images))
		for i, img := range row.Images {
			if len(img) != m.Side*m.Side {
				panic(fmt.Sprintf("report: montage row %d image %d has %d pixels, want %d", r, i, len(img), m.Side*m.Side))
			}
		}
		if row.Label != "" {
			lw = max(lw, labelSty.Width(row.Label))
		}
	}
	if lw > 0 {
		l.labelWidth = int(math.Ceil(lw.Dots(dpi))) + 2*montagePad
	}
	l.top = montagePad
	if m.Title != "" {
		l.top += int(math.Ceil(titleSty.Height(m.Title).Dots(dpi))) + montagePad
	}
	l.width = l.labelWidth + montagePad
	if n > 0 {
		l.width += n*l.cell + (n-1)*montageGap
	}
	nr := len(m.Rows)
	l.height = l.top + nr*l.cell + (nr-1)*montageRowGap + montagePad
	return l
}

// MontagePNG draws m as a PNG picture to w. Each image is drawn upright
// (its row 0 at the top), 0 black and 255 white, every pixel enlarged to a
// Scale x Scale block without smoothing, in a 1-pixel grey frame; values outside [0, 255] are
// clamped and NaN is drawn black. The picture's size follows from m (see
// the layout formula in the source).
//
// MontagePNG panics if Side <= 0, Scale < 0, there are no rows, or an image
// does not have Side*Side pixels.
func MontagePNG(w io.Writer, m Montage) error {
	l := m.layout()
	cv := newCanvas(l.width, l.height)
	dc := draw.New(cv)
	labelSty, titleSty := montageStyles()
	// vg's origin is at the bottom left, the image's at the top left.
	at := func(x, y int) vg.Point { return vg.Point{X: pixels(float64(x)), Y: pixels(float64(l.height - y))} }
	if m.Title != "" {
		dc.FillText(titleSty, at(montagePad, montagePad), m.Title)
	}
	for r, row := range m.Rows {
		if row.Label != "" {
			dc.FillText(labelSty, at(montagePad, l.imageAt(r, 0).Y+l.cell/2), row.Label)
		}
	}

	dst := cv.Image()
	rgba, _ := dst.(*image.RGBA)
	set := func(x, y int, g uint8) {
		if rgba != nil { // Fast path, no interface conversion.
			i := rgba.PixOffset(x, y)
			rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2], rgba.Pix[i+3] = g, g, g, 0xff
			return
		}
		dst.Set(x, y, color.Gray{Y: g})
	}
	scale := l.cell / m.Side
	const frame = 0xa0 // grey level of the frame
	for r, row := range m.Rows {
		for i, img := range row.Images {
			o := l.imageAt(r, i)
			// A 1-pixel frame just outside the image, in the gaps, so that
			// white image borders stand out from the white background.
			for k := -1; k <= l.cell; k++ {
				set(o.X+k, o.Y-1, frame)
				set(o.X+k, o.Y+l.cell, frame)
				set(o.X-1, o.Y+k, frame)
				set(o.X+l.cell, o.Y+k, frame)
			}
			for y := range l.cell {
				for x := range l.cell {
					set(o.X+x, o.Y+y, grey(img[(y/scale)*m.Side+x/scale]))
				}
			}
		}
	}
	if err := writePNG(w, dst); err != nil {
		return fmt.Errorf("montage %q: %w", m.Title, err)
	}
	return nil
}

// grey rounds v to the nearest grey level in [0, 255]; NaN is 0.
func grey(v float32) uint8 {
	switch {
	case !(v > 0): // Also NaN.
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}
