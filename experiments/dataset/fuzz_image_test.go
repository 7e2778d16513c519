package dataset

import (
	"bytes"
	"slices"
	"testing"
)

// fuzzMaxPixels keeps the fuzzer's allocations small: headers may declare
// up to 256x256 pixels.
const fuzzMaxPixels = 1 << 16

// FuzzDecodeImage checks that decoding any bytes as an image file never
// panics, is deterministic, and that an image already at the target size
// keeps its grey levels: decoding it at its own size equals toGrey of the
// standard decoder's image. Seeds are in testdata/fuzz/FuzzDecodeImage.
func FuzzDecodeImage(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		const side = 5
		a := make([]uint8, side*side)
		errA := decodeGrey(data, side, fuzzMaxPixels, a)
		b := make([]uint8, side*side)
		errB := decodeGrey(data, side, fuzzMaxPixels, b)
		if (errA == nil) != (errB == nil) || !slices.Equal(a, b) {
			t.Fatalf("two decodings differ: %v, %v; %v, %v", errA, errB, a, b)
		}
		if errA != nil {
			return
		}
		for _, c := range codecs {
			if string(data[:min(len(data), len(c.magic))]) != c.magic {
				continue
			}
			img, err := c.decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("decodeGrey succeeded, %s.Decode failed: %v", c.name, err)
			}
			r := img.Bounds()
			if r.Dx() != r.Dy() {
				return
			}
			own := make([]uint8, r.Dx()*r.Dy())
			if err := decodeGrey(data, r.Dx(), fuzzMaxPixels, own); err != nil {
				t.Fatalf("at its own size %d: %v", r.Dx(), err)
			}
			if want := toGrey(img).Pix; !slices.Equal(own, want) {
				t.Fatalf("at its own size: %v, want %v", own, want)
			}
			return
		}
		t.Fatal("decodeGrey succeeded on data without a known magic")
	})
}
