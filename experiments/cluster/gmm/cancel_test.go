package gmm

import (
	"context"
	"errors"
	"math/rand/v2"
	"sweep/internal/ctxtest"
	"testing"
)

// FitContext stops at the next check: before a restart's k-means or
// inside the EM iterations, whichever comes n-th.
func TestFitContextStops(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 600*2)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for _, n := range []int{1, 5, 20, 60} {
		ctx := ctxtest.New(n)
		_, err := FitContext(ctx, x, 2, Options{K: 4, NInit: 3, Tol: 1e-12}, rand.New(rand.NewPCG(3, 4)))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled at check %d: error %v", n, err)
		}
		if ctx.Calls != n {
			t.Errorf("cancelled at check %d: %d checks made, want it to stop at the first cancelled one", n, ctx.Calls)
		}
	}
	if _, err := FitContext(context.Background(), x, 2, Options{K: 4}, rand.New(rand.NewPCG(3, 4))); err != nil {
		t.Fatal(err)
	}
}
