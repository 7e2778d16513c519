package plot

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
)

// SideBySidePNG draws the heatmaps hs left to right as one PNG picture:
// each at its own size (HeatmapPNG), top-aligned, on white. Give them the
// same Min and Max to compare their colours.
//
// SideBySidePNG panics if hs is empty or a heatmap is malformed (see
// HeatmapPNG); it returns HeatmapPNG's errors.
func SideBySidePNG(w io.Writer, hs ...Heatmap) error {
	if len(hs) == 0 {
		panic("report: no heatmaps")
	}
	parts, err := pictures(len(hs), func(w io.Writer, i int) error { return HeatmapPNG(w, hs[i]) })
	if err != nil {
		return err
	}
	width, height := 0, 0
	for _, img := range parts {
		width += img.Bounds().Dx()
		height = max(height, img.Bounds().Dy())
	}
	out := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	x := 0
	for _, img := range parts {
		b := img.Bounds()
		draw.Draw(out, image.Rect(x, 0, x+b.Dx(), b.Dy()), img, b.Min, draw.Src)
		x += b.Dx()
	}
	return writePNG(w, out)
}

// pictures draws n PNG pictures with render and decodes them, for the
// composites (SideBySidePNG, SmallMultiplesPNG) to place.
func pictures(n int, render func(w io.Writer, i int) error) ([]image.Image, error) {
	parts := make([]image.Image, n)
	for i := range parts {
		var buf bytes.Buffer
		if err := render(&buf, i); err != nil {
			return nil, err
		}
		img, err := png.Decode(&buf)
		if err != nil {
			panic(fmt.Sprintf("report: decoding our own PNG: %v", err))
		}
		parts[i] = img
	}
	return parts, nil
}
