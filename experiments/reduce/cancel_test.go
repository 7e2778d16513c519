package reduce

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sweep/internal/ctxtest"
	"testing"
)

// TestFitContextCancelled checks that FitContext and TransformContext
// return ctx.Err() when their context ends, checked every checkRows rows
// of a pass (here 3 checks a pass), and that with a live context they give
// Fit's and Transform's results to the bit.
func TestFitContextCancelled(t *testing.T) {
	const n, p = 3 * checkRows, 64
	src := Source{Pixels: lowRank(rand.New(rand.NewPCG(1, 2)), n, p, 6), Dim: p, Shift: make([]float64, p), Scale: make([]float64, p)}
	for j := range p {
		src.Scale[j] = 1.0 / 255
	}
	for i := range n {
		src.Rows = append(src.Rows, i)
	}
	for _, c := range []int{1, 2, 3, 5} { // the first pass, its second block, the second pass
		ctx := ctxtest.New(c)
		if m, err := FitContext(ctx, src, 4, Options{}, rand.New(rand.NewPCG(3, 4))); !errors.Is(err, context.Canceled) || m != nil {
			t.Errorf("FitContext cancelled at check %d: %v, %v; want nil, context.Canceled", c, m, err)
		}
		if ctx.Calls != c {
			t.Errorf("FitContext cancelled at check %d: Err called %d times", c, ctx.Calls)
		}
	}
	m, err := Fit(src, 4, Options{}, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := FitContext(context.Background(), src, 4, Options{}, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Components, m.Components) || !slices.Equal(got.Singular, m.Singular) {
		t.Error("FitContext with a live context differs from Fit")
	}
	for _, c := range []int{1, 2} {
		ctx := ctxtest.New(c)
		if _, err := m.TransformContext(ctx, src, 4, nil); !errors.Is(err, context.Canceled) || ctx.Calls != c {
			t.Errorf("TransformContext cancelled at check %d: %v after %d checks", c, err, ctx.Calls)
		}
	}
	y, err := m.TransformContext(context.Background(), src, 4, nil)
	if err != nil || !slices.Equal(y, m.Transform(src, 4, nil)) {
		t.Errorf("TransformContext with a live context: %v, or differs from Transform", err)
	}
}
