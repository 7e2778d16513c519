package ward

import (
	"context"
	"errors"
	"math/rand/v2"
	"sweep/internal/ctxtest"
	"testing"
)

// BuildContext checks every 256 merges and stops at the first cancelled
// check; the tree of a context never cancelled equals Build's.
func TestBuildContextStops(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, 2000*3)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for _, n := range []int{1, 3, 7} {
		ctx := ctxtest.New(n)
		if _, err := BuildContext(ctx, x, 3); !errors.Is(err, context.Canceled) || ctx.Calls != n {
			t.Errorf("cancelled at check %d: error %v after %d checks", n, err, ctx.Calls)
		}
	}
	a, err := Build(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := BuildContext(context.Background(), x, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Merges {
		if a.Merges[i] != b.Merges[i] {
			t.Fatalf("merge %d: %+v and %+v", i, a.Merges[i], b.Merges[i])
		}
	}
}
