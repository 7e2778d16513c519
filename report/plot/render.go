package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// dpi is the resolution of every picture: 1 pixel = 72/96 = 0.75 pt.
const dpi = 96

// sansFont is the one font family of every picture: Liberation Sans, which
// gonum.org/v1/plot registers in font.DefaultCache (codeberg.org/go-fonts/
// liberation), so the PNGs match the sans-serif report page instead of
// gonum/plot's default Liberation Serif.
var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// init makes sansFont gonum/plot's default, once for the package: every
// plot.New, legend and axis, and this package's own text styles (which
// start from plot.DefaultFont), then draw in it.
func init() { plot.DefaultFont = sansFont }

// Default picture sizes in pixels.
const (
	DefaultWidth  = 960
	DefaultHeight = 540
)

// groupColors is matplotlib's "tab20" qualitative colour table (Tableau),
// reordered as its 10 dark colours followed by their 10 light partners:
// matplotlib 3.6.3 cm.get_cmap("tab20").colors, scaled by 255 and rounded.
// Group g is drawn in groupColors[g%20].
var groupColors = [...]color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xd6, 0x27, 0x28, 0xff},
	{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff},
	{0xbc, 0xbd, 0x22, 0xff}, {0x17, 0xbe, 0xcf, 0xff},
	{0xae, 0xc7, 0xe8, 0xff}, {0xff, 0xbb, 0x78, 0xff}, {0x98, 0xdf, 0x8a, 0xff}, {0xff, 0x98, 0x96, 0xff},
	{0xc5, 0xb0, 0xd5, 0xff}, {0xc4, 0x9c, 0x94, 0xff}, {0xf7, 0xb6, 0xd2, 0xff}, {0xc7, 0xc7, 0xc7, 0xff},
	{0xdb, 0xdb, 0x8d, 0xff}, {0x9e, 0xda, 0xe5, 0xff},
}

// groupColor returns the colour of group g >= 0.
func groupColor(g int) color.RGBA { return groupColors[g%len(groupColors)] }

// pixels converts a length in pixels to a vg.Length at dpi.
func pixels(n float64) vg.Length { return vg.Length(n) * vg.Inch / dpi }

// size returns w x h, or the defaults dw x dh for zero values.
// It panics on negative sizes.
func size(w, h, dw, dh int) (int, int) {
	if w < 0 || h < 0 {
		panic(fmt.Sprintf("report: negative picture size %dx%d", w, h))
	}
	if w == 0 {
		w = dw
	}
	if h == 0 {
		h = dh
	}
	return w, h
}

// newCanvas returns a white w x h pixel canvas at dpi.
func newCanvas(w, h int) *vgimg.Canvas {
	return vgimg.NewWith(vgimg.UseImage(image.NewRGBA(image.Rect(0, 0, w, h))), vgimg.UseDPI(dpi))
}

// writePNG encodes img to w as PNG.
func writePNG(w io.Writer, img image.Image) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, img); err != nil {
		return fmt.Errorf("encode png: %w", err)
	}
	return nil
}

// drawWithLegend draws p into c. When leg is not nil, the legend is drawn in
// a column at the right of c, outside the data area, top-aligned with it, so
// it never covers data.
func drawWithLegend(c draw.Canvas, p *plot.Plot, leg *plot.Legend) {
	pc := plotArea(c, leg)
	style, text := p.Title.TextStyle, p.Title.Text
	w := style.Width(text)
	if w <= pc.Size().X {
		p.Draw(pc)
	} else {
		// The title is wider than the plot area (a wide legend beside
		// it): gonum centres it over pc and the picture's edge cuts it.
		// The plot keeps the title's room, and the title is drawn over
		// the whole picture, as near pc's centre as it fits.
		p.Title.TextStyle.Color = color.Transparent
		p.Draw(pc)
		p.Title.TextStyle = style
		x := max(min(pc.Center().X, c.Max.X-w/2), c.Min.X+w/2)
		c.FillText(style, vg.Point{X: x, Y: pc.Max.Y + style.FontExtents().Descent}, text)
	}
	if leg == nil {
		return
	}
	lc := c
	lc.Min.X = pc.Max.X + legendGap
	lc.Max.X = c.Max.X - legendGap
	lc.Max.Y = p.DataCanvas(pc).Max.Y
	leg.Draw(lc)
}

// legendGap separates the legend column from the plot and the border.
var legendGap = pixels(12)

// plotArea returns the part of c that drawWithLegend gives the plot.
func plotArea(c draw.Canvas, leg *plot.Legend) draw.Canvas {
	if leg == nil {
		return c
	}
	return draw.Crop(c, 0, -(leg.Rectangle(c).Size().X + 2*legendGap), 0, 0)
}

// newLegend returns a legend for the column at the right of a plot:
// icons on the left, entries from the top.
func newLegend() *plot.Legend {
	l := plot.NewLegend()
	l.Top, l.Left = true, true
	l.Padding = pixels(2)
	return &l
}

// checkFinite returns an error naming what when xs holds a NaN or an infinity.
func checkFinite(what string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s[%d] is %v", what, i, x)
		}
	}
	return nil
}
