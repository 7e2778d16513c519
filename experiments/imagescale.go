package experiments

import (
	"context"
	"fmt"
	"time"

	"sweep/runner"
)

// imageScale is a data variant's selected rows, each min-max scaled over
// its own pixels (data.scale image), as float32: the source the reducer
// reads instead of the dataset's pixels.
type imageScale struct {
	pixels []float32 // len(sel.Rows) rows, in the order of sel.Rows
	pos    map[int]int
}

// positions maps dataset rows to their rows in pixels.
func (im *imageScale) positions(rows []int) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = im.pos[r]
	}
	return out
}

// imageScaled scales the selected rows of variant v once for all its
// folds: the scaling is fitted on each image alone, so it is the same
// in every fold and leaks nothing.
func (s *Sweep) imageScaled(ctx context.Context, v *variant) (*imageScale, error) {
	key := "imagescale" + v.data.suffix
	return runner.Stage(ctx, &s.stages, key, func() (*imageScale, error) {
		start := time.Now()
		defer s.record(key, start)
		rows, p := v.data.sel.Rows, s.Data.Dim
		im := &imageScale{pixels: make([]float32, len(rows)*p), pos: make(map[int]int, len(rows))}
		for i, r := range rows {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("%s: %w", key, err)
				}
			}
			ImageMinMax(im.pixels[i*p:(i+1)*p], s.Data.Row(r))
			im.pos[r] = i
		}
		return im, nil
	})
}

// ImageMinMax writes row min-max scaled over its own values into dst:
// x' = (x - min) / (max - min), computed in float64 and rounded to dst's
// type, which in float64 is NumPy's
// (x - x.min()) / (x.max() - x.min()) per row and scikit-learn's
// MinMaxScaler fitted on the row as one feature (to rounding: it
// multiplies by 1/(max-min)). A constant row maps to 0, as MinMaxScaler
// maps a constant feature (its range is taken as 1). It panics if the
// lengths differ.
func ImageMinMax[T float32 | float64](dst []T, row []float32) {
	if len(dst) != len(row) {
		panic(fmt.Sprintf("experiments: image min-max of %d pixels into %d", len(row), len(dst)))
	}
	if len(row) == 0 {
		return
	}
	lo, hi := row[0], row[0]
	for _, v := range row {
		lo, hi = min(lo, v), max(hi, v)
	}
	mn, r := float64(lo), float64(hi)-float64(lo)
	if r == 0 {
		r = 1
	}
	for j, v := range row {
		dst[j] = T((float64(v) - mn) / r)
	}
}
