package features

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// testImages returns seeded integer images of w×h: noise, noisy ramps
// (many interpolated LBP samples equal their centre up to rounding) and
// flat patches.
func testImages(rng *rand.Rand, w, h, n int) [][]float64 {
	out := make([][]float64, n)
	for k := range out {
		img := make([]float64, w*h)
		a, b, noise := rng.IntN(7)-3, rng.IntN(7)-3, rng.IntN(3)*rng.IntN(40)
		for r := range h {
			for c := range w {
				v := 128 + a*r + b*c + rng.IntN(noise+1) - noise/2
				img[r*w+c] = float64(min(255, max(0, v)))
			}
		}
		out[k] = img
	}
	return out
}

// TestHOGBytesVersusPlain checks that the table-driven path for integer
// images (cellHistogramsBytes) gives the plain path's vector to the bit.
func TestHOGBytesVersusPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 14))
	params := []HOGParams{
		DefaultHOGParams(),
		{Orientations: 4, PixelsPerCell: [2]int{5, 7}, CellsPerBlock: [2]int{1, 2}, BlockNorm: "L1"},
		{Orientations: 180, PixelsPerCell: [2]int{3, 3}, CellsPerBlock: [2]int{3, 3}, BlockNorm: "L2"},
	}
	for _, p := range params {
		for _, size := range [][2]int{{48, 48}, {29, 37}} {
			e, err := NewHOG(p, size[0], size[1])
			if err != nil {
				t.Fatal(err)
			}
			fast, plain := make([]float32, e.Dim()), make([]float32, e.Dim())
			for k, img := range testImages(rng, size[0], size[1], 20) {
				e.Extract64(fast, img)
				if !e.isBytes {
					t.Fatal("integer image not taken for bytes")
				}
				copy(e.im, img)
				e.cellHistograms()
				e.blocks(plain)
				if !slices.Equal(fast, plain) {
					t.Fatalf("%+v %v image %d: bytes path differs from plain", p, size, k)
				}
			}
		}
	}
}

// TestLBPRowsVersusPlain checks that the fast kernel (lbpRows) gives the
// per-pixel kernel's codes (lbp) for several P, R and sizes.
func TestLBPRowsVersusPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 14))
	for _, pr := range []struct {
		p int
		r float64
	}{{8, 1}, {4, 1.5}, {16, 2}, {12, 2.5}, {6, 3.25}, {1, 1}} {
		p := LBPParams{P: pr.p, R: pr.r, Method: "default", GridX: 1, GridY: 1}
		e, err := NewLBP(p, 31, 23)
		if err != nil {
			t.Fatal(err)
		}
		if e.rows == nil {
			t.Fatalf("P=%d R=%v: no fast kernel", pr.p, pr.r)
		}
		for k, img := range testImages(rng, 31, 23, 20) {
			e.Extract64(make([]float32, e.Dim()), img)
			e.lbpRows()
			fast := slices.Clone(e.codes)
			e.lbp()
			if !slices.Equal(fast, e.codes) {
				t.Fatalf("P=%d R=%v image %d: fast kernel differs", pr.p, pr.r, k)
			}
		}
	}
}

// TestLBP8VersusPlain checks that the fused P=8, R=1 kernel (lbp8Run)
// gives the per-pixel kernel's codes (lbp) and the histograms of counting
// them, to the bit, for every method, several sizes and grids, seeded
// noisy ramps (interpolated samples equal to their centre up to rounding)
// and the scikit-image fixture's images; and that it is the kernel
// NewLBP picks for P=8, R=1 only.
func TestLBP8VersusPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 14))
	_, ref := loadRef(t)
	for _, size := range [][2]int{{48, 48}, {28, 28}, {64, 64}, {29, 37}, {31, 23}, {3, 3}, {64, 17}} {
		imgs := testImages(rng, size[0], size[1], 40)
		for _, im := range ref {
			if im.w == size[0] && im.h == size[1] {
				imgs = append(imgs, im.px64)
			}
		}
		for _, method := range []string{"uniform", "default", "ror", "nri_uniform"} {
			p := LBPParams{P: 8, R: 1, Method: method, GridX: 3, GridY: 2}
			e, err := NewLBP(p, size[0], size[1])
			if err != nil {
				t.Fatal(err)
			}
			if e.fused == nil {
				t.Fatalf("%v %s: no fused kernel", size, method)
			}
			fast, plain := make([]float32, e.Dim()), make([]float32, e.Dim())
			for k, img := range imgs {
				e.Extract64(fast, img)
				codes := slices.Clone(e.codes)
				e.lbp()
				if !slices.Equal(codes, e.codes) {
					t.Fatalf("%v %s image %d: fused codes differ from lbp", size, method, k)
				}
				clear(plain)
				for r := range e.h {
					for c, cd := range e.codes[r*e.w : (r+1)*e.w] {
						plain[(e.rowCell[r]*p.GridX+e.colCell[c])*p.Bins()+int(cd)]++
					}
				}
				if !slices.Equal(fast, plain) {
					t.Fatalf("%v %s image %d: fused histograms differ from counting lbp's codes", size, method, k)
				}
			}
		}
	}
	for _, pr := range []LBPParams{{P: 8, R: 2}, {P: 8, R: 1.5}, {P: 4, R: 1}, {P: 16, R: 1}} {
		pr.Method, pr.GridX, pr.GridY = "uniform", 1, 1
		e, err := NewLBP(pr, 20, 20)
		if err != nil {
			t.Fatal(err)
		}
		if e.fused != nil {
			t.Errorf("P=%d R=%v: fused kernel taken, want only P=8, R=1", pr.P, pr.R)
		}
	}
}

func TestDimAndValidate(t *testing.T) {
	hog := DefaultHOGParams()
	lbp := DefaultLBPParams()
	tests := []struct {
		name    string
		dim     func() (int, error)
		want    int
		wantErr string
	}{
		// 48/8 = 6 cells, 5 blocks of 2x2 cells of 9 bins: 5*5*2*2*9.
		{"hog 48x48", func() (int, error) { return hog.Dim(48, 48) }, 900, ""},
		{"hog 28x28", func() (int, error) { return hog.Dim(28, 28) }, 144, ""},
		{"hog 64x64", func() (int, error) { return hog.Dim(64, 64) }, 1764, ""},
		// rows: 40/8 = 5 cells, 4 blocks; columns: 56/8 = 7 cells, 6 blocks.
		{"hog 56x40", func() (int, error) { return hog.Dim(56, 40) }, 4 * 6 * 36, ""},
		{"hog 15x48", func() (int, error) { return hog.Dim(15, 48) }, 0,
			"hog: a 15x48 image has 1x6 cells of 8x8 pixels, fewer than one block of 2x2 cells"},
		{"hog orientations", func() (int, error) {
			p := hog
			p.Orientations = 0
			return p.Dim(48, 48)
		}, 0, "hog: orientations 0 out of range 1..360"},
		{"hog block_norm", func() (int, error) {
			p := hog
			p.BlockNorm = "l2-hys"
			return p.Dim(48, 48)
		}, 0, `hog: block_norm "l2-hys" unknown (want L1, L1-sqrt, L2 or L2-Hys)`},
		{"lbp 48x48", func() (int, error) { return lbp.Dim(48, 48) }, 160, ""},
		{"lbp nri", func() (int, error) {
			p := lbp
			p.Method = "nri_uniform"
			return p.Dim(48, 48)
		}, 16 * 59, ""},
		{"lbp small", func() (int, error) { return lbp.Dim(3, 48) }, 0,
			"lbp: a 3x48 image is smaller than the 4x4 grid"},
		{"lbp P", func() (int, error) {
			p := lbp
			p.P = 17
			return p.Dim(48, 48)
		}, 0, "lbp: P 17 out of range 1..16"},
		{"lbp var", func() (int, error) {
			p := lbp
			p.Method = "var"
			return p.Dim(48, 48)
		}, 0, `lbp: method "var" unknown (want uniform, default, ror or nri_uniform)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.dim()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatal(err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("Dim %d, want %d", got, tt.want)
			}
		})
	}
}

// TestUniformHistogramSums checks a property: every pixel is counted once,
// so each cell's counts add up to its pixels.
func TestUniformHistogramSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	e, err := NewLBP(DefaultLBPParams(), 30, 22)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, e.Dim())
	e.Extract64(dst, testImages(rng, 30, 22, 1)[0])
	for i := range 4 {
		for j := range 4 {
			want := float32(((i+1)*22/4 - i*22/4) * ((j+1)*30/4 - j*30/4))
			var s float32
			for _, v := range dst[(i*4+j)*10 : (i*4+j+1)*10] {
				s += v
			}
			if s != want {
				t.Errorf("cell (%d,%d): %v counts, want %v", i, j, s, want)
			}
		}
	}
}

func TestNewAndExtractRows(t *testing.T) {
	if _, err := New("sift", DefaultParams(), 48, 48); err == nil ||
		!strings.Contains(err.Error(), `unknown features "sift"`) {
		t.Fatalf("New(sift): %v", err)
	}
	rng := rand.New(rand.NewPCG(4, 14))
	imgs := testImages(rng, 48, 48, 3)
	px := make([]float32, 0, 3*48*48)
	for _, img := range imgs {
		for _, v := range img {
			px = append(px, float32(v))
		}
	}
	for _, name := range names {
		e, err := New(name, DefaultParams(), 48, 48)
		if err != nil {
			t.Fatal(err)
		}
		all := make([]float32, 3*e.Dim())
		ExtractRows(e, all, px)
		for k, img := range imgs {
			one := make([]float32, e.Dim())
			e.Extract64(one, img)
			if !slices.Equal(one, all[k*e.Dim():(k+1)*e.Dim()]) {
				t.Errorf("%s: row %d of ExtractRows differs from Extract64", name, k)
			}
		}
	}
}

func ExampleNewHOG() {
	e, err := NewHOG(DefaultHOGParams(), 48, 48)
	if err != nil {
		fmt.Println(err)
		return
	}
	img := make([]float32, 48*48)
	for r := range 48 {
		for c := 24; c < 48; c++ {
			img[r*48+c] = 255 // a vertical edge: horizontal gradients, bin 0
		}
	}
	v := make([]float32, e.Dim())
	e.Extract(v, img)
	fmt.Println(e.Dim(), v[2*36+0] > 0, v[2*36+4])
	// Output: 900 true 0
}
