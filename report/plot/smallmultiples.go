package plot

import (
	"fmt"
	"image"
	"image/draw"
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
	parts, err := pictures(len(ps), func(w io.Writer, i int) error { return LinePlotPNG(w, ps[i]) })
	if err != nil {
		return err
	}
	cw, ch := 0, 0
	for _, img := range parts {
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
