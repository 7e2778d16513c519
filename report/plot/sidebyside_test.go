package plot

import (
	"bytes"
	"image/png"
	"testing"
)

func TestSideBySidePNG(t *testing.T) {
	a := Heatmap{Values: [][]float64{{0.1, 0.2}}, Min: 0, Max: 1, Width: 300, Height: 200}
	b := Heatmap{Values: [][]float64{{0.3, 0.4}}, Min: 0, Max: 1, Width: 400, Height: 250}
	var buf bytes.Buffer
	if err := SideBySidePNG(&buf, a, b); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if bd := img.Bounds(); bd.Dx() != 700 || bd.Dy() != 250 {
		t.Fatalf("%dx%d, want 700x250", bd.Dx(), bd.Dy())
	}
	// Below the shorter picture at the left: white background.
	if r, g, bl, _ := img.At(150, 240).RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff {
		t.Errorf("pixel below the first picture is %v, want white", img.At(150, 240))
	}
	if err := SideBySidePNG(&buf, a, Heatmap{Values: [][]float64{{1}}, Min: 1, Max: 1}); err == nil {
		t.Error("no error for an empty colour scale")
	}
}
