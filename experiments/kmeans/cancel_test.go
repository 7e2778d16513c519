package kmeans

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sweep/internal/ctxtest"
	"testing"
)

// TestFitContextCancelled checks that FitContext returns ctx.Err() when its
// context ends before the fit, during the k-means++ seeding, or in the
// Lloyd iterations of the first of many restarts; and that with a live
// context it is Fit to the bit.
func TestFitContextCancelled(t *testing.T) {
	x, _ := blobs(rand.New(rand.NewPCG(1, 2)), 2000, 3, 8, 10, 1)
	opt := Options{K: 8, NInit: 1000000, MaxIter: 300, Tol: 1e-12}
	for _, tt := range []struct {
		name string
		n    int // the call of Err that reports Canceled
	}{
		{"before", 1},
		{"seeding", 4},         // centre 4 of 8
		{"first iteration", 8}, // after the 7 checks of the seeding
		{"later iteration", 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := ctxtest.New(tt.n)
			res, err := FitContext(ctx, x, 3, opt, rand.New(rand.NewPCG(3, 4)))
			if !errors.Is(err, context.Canceled) || res != nil {
				t.Fatalf("got %v, %v; want nil, context.Canceled", res, err)
			}
			if ctx.Calls != tt.n {
				t.Errorf("Err called %d times, want %d: no work after the cancellation", ctx.Calls, tt.n)
			}
		})
	}
	t.Run("live", func(t *testing.T) {
		opt := Options{K: 8, NInit: 3}
		want, err := Fit(x, 3, opt, rand.New(rand.NewPCG(3, 4)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := FitContext(context.Background(), x, 3, opt, rand.New(rand.NewPCG(3, 4)))
		if err != nil {
			t.Fatal(err)
		}
		if got.Inertia != want.Inertia || !slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.Centers, want.Centers) {
			t.Error("FitContext with a live context differs from Fit")
		}
	})
}
