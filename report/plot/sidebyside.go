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
	var parts []image.Image
	width, height := 0, 0
	for _, h := range hs {
		var buf bytes.Buffer
		if err := HeatmapPNG(&buf, h); err != nil {
			return err
		}
		img, err := png.Decode(&buf)
		if err != nil {
			panic(fmt.Sprintf("report: decoding our own PNG: %v", err))
		}
		parts = append(parts, img)
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
