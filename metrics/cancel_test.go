package metrics

import (
	"context"
	"errors"
	"math/rand/v2"
	"sweep/internal/ctxtest"
	"testing"
)

// TestSilhouetteContextCancelled checks that the silhouettes return
// ctx.Err() when their context ends, checked every checkPairs pairs or so
// (3000 points are 4.5e6 pairs, 8 checks), and with a live context give
// the results of the functions without one.
func TestSilhouetteContextCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, dim = 3000, 3
	x := blobPoints(rng, n, dim)
	a := kmeansLabels(rng, x, dim, 4)
	b := kmeansLabels(rng, x, dim, 7)
	calls := map[string]func(ctx context.Context) error{
		"batch": func(ctx context.Context) error {
			_, err := SilhouetteBatchContext(ctx, x, dim, [][]int{a, b})
			return err
		},
		"samples": func(ctx context.Context) error {
			_, err := SilhouetteSamplesContext(ctx, x, dim, a)
			return err
		},
		"sampled": func(ctx context.Context) error {
			_, err := SilhouetteSampledContext(ctx, x, dim, a, n-1, rand.New(rand.NewPCG(5, 6)))
			return err
		},
	}
	for name, call := range calls {
		for _, c := range []int{1, 3} {
			ctx := ctxtest.New(c)
			if err := call(ctx); !errors.Is(err, context.Canceled) || ctx.Calls != c {
				t.Errorf("%s cancelled at check %d: %v after %d checks", name, c, err, ctx.Calls)
			}
		}
	}
	got, err := SilhouetteBatchContext(context.Background(), x, dim, [][]int{a, b})
	if err != nil {
		t.Fatal(err)
	}
	want, err := SilhouetteBatch(x, dim, [][]int{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != want[0] || got[1] != want[1] {
		t.Errorf("SilhouetteBatchContext %v, SilhouetteBatch %v", got, want)
	}
	s, err := SilhouetteSampledContext(context.Background(), x, dim, a, 500, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := SilhouetteSampled(x, dim, a, 500, rand.New(rand.NewPCG(5, 6))); s != w {
		t.Errorf("SilhouetteSampledContext %v, SilhouetteSampled %v", s, w)
	}
}
