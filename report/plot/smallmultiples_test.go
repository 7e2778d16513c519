package plot

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"
)

// TestSmallMultiplesPNG checks the layout: cells as large as the largest
// panel, rows of cols panels, white where a panel is smaller than its
// cell or missing, and each panel's own pixels at its cell's corner.
func TestSmallMultiplesPNG(t *testing.T) {
	small := LinePlot{Title: "small", Width: 200, Height: 100}
	big := sampleLinePlot()
	big.Width, big.Height = 300, 150
	tests := []struct {
		name       string
		cols       int
		ps         []LinePlot
		wantW      int
		wantH      int
		white      []image.Point // background pixels
		panel      int           // a panel drawn at its cell...
		at         image.Point   // ...whose top-left is here
		panelWidth int
	}{
		{"one row", 3, []LinePlot{small, big}, 600, 150, []image.Point{{100, 120}}, 1, image.Point{300, 0}, 300},
		{"two rows", 2, []LinePlot{big, small, big}, 600, 300, []image.Point{{350, 120}, {450, 200}}, 2, image.Point{0, 150}, 300},
		{"one column", 1, []LinePlot{small, small}, 200, 200, nil, 1, image.Point{0, 100}, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := SmallMultiplesPNG(&buf, tc.cols, tc.ps...); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tc.wantW || b.Dy() != tc.wantH {
				t.Fatalf("%dx%d, want %dx%d", b.Dx(), b.Dy(), tc.wantW, tc.wantH)
			}
			for _, p := range tc.white {
				if r, g, b, _ := img.At(p.X, p.Y).RGBA(); r != 0xffff || g != 0xffff || b != 0xffff {
					t.Errorf("pixel %v is %v, want white", p, img.At(p.X, p.Y))
				}
			}
			var one bytes.Buffer
			if err := LinePlotPNG(&one, tc.ps[tc.panel]); err != nil {
				t.Fatal(err)
			}
			want, _ := png.Decode(&one)
			diff := 0
			for y := 0; y < want.Bounds().Dy(); y++ {
				for x := 0; x < tc.panelWidth; x++ {
					r1, g1, b1, _ := want.At(x, y).RGBA()
					r2, g2, b2, _ := img.At(tc.at.X+x, tc.at.Y+y).RGBA()
					if r1 != r2 || g1 != g2 || b1 != b2 {
						diff++
					}
				}
			}
			if diff != 0 {
				t.Errorf("panel %d differs from LinePlotPNG's picture in %d pixels", tc.panel, diff)
			}
		})
	}
}

func TestSmallMultiplesErrors(t *testing.T) {
	bad := LinePlot{Series: []Series{{Name: "nan", X: []float64{1}, Y: []float64{math.NaN()}}}}
	if err := SmallMultiplesPNG(&bytes.Buffer{}, 2, LinePlot{}, bad); err == nil {
		t.Error("no error for a NaN in the second panel")
	}
	badMark := LinePlot{Marks: []Mark{{Name: "knee", X: math.Inf(1), Y: 0}}}
	if err := LinePlotPNG(&bytes.Buffer{}, badMark); err == nil {
		t.Error("no error for an infinite mark")
	}
	for _, tc := range []struct {
		cols int
		ps   []LinePlot
	}{{2, nil}, {0, []LinePlot{{}}}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic for %d plots in %d columns", len(tc.ps), tc.cols)
				}
			}()
			_ = SmallMultiplesPNG(&bytes.Buffer{}, tc.cols, tc.ps...)
		}()
	}
}
