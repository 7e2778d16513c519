package plot

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
)

// SmallMultiplesPNG draws the line plots ps as one PNG picture, left to
// right and then top to bottom in rows of cols panels: small multiples,
// each panel drawn by LinePlotPNG at its own size (default 960 x 540) in
// a cell as large as the largest panel, top-left aligned, on white.
//
// SmallMultiplesPNG panics if ps is empty, cols < 1 or a plot is
// malformed (see LinePlotPNG); it returns LinePlotPNG's errors.
func SmallMultiplesPNG(w io.Writer, cols int, ps ...LinePlot) error {
	if len(ps) == 0 || cols < 1 {
		panic(fmt.Sprintf("report: %d small multiples in %d columns", len(ps), cols))
	}
	parts := make([]image.Image, len(ps))
	cw, ch := 0, 0
	for i, p := range ps {
		var buf bytes.Buffer
		if err := LinePlotPNG(&buf, p); err != nil {
			return err
		}
		img, err := png.Decode(&buf)
		if err != nil {
			panic(fmt.Sprintf("report: decoding our own PNG: %v", err))
		}
		parts[i] = img
		cw, ch = max(cw, img.Bounds().Dx()), max(ch, img.Bounds().Dy())
	}
	cols = min(cols, len(ps))
	rows := (len(ps) + cols - 1) / cols
	out := image.NewRGBA(image.Rect(0, 0, cols*cw, rows*ch))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	for i, img := range parts {
		x, y := (i%cols)*cw, (i/cols)*ch
		b := img.Bounds()
		draw.Draw(out, image.Rect(x, y, x+b.Dx(), y+b.Dy()), img, b.Min, draw.Src)
	}
	return writePNG(w, out)
}
