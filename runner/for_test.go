package runner

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// TestForCoversEveryIndexOnce: every index is visited exactly once, in
// chunks of at most grain, whatever the worker count, and a worker runs
// one chunk at a time.
func TestForCoversEveryIndexOnce(t *testing.T) {
	for _, tc := range []struct{ n, grain, workers int }{
		{0, 4, 2}, {1, 4, 2}, {10, 3, 1}, {10, 3, 4}, {100, 0, 3}, {7, 100, 2},
	} {
		seen := make([]int32, tc.n)
		var chunks atomic.Int64
		busy := make([]atomic.Int32, tc.workers)
		err := For(context.Background(), tc.n, tc.grain, tc.workers, func(_ context.Context, worker, lo, hi int) error {
			if busy[worker].Add(1) != 1 {
				t.Errorf("%+v: worker %d runs two chunks at once", tc, worker)
			}
			defer busy[worker].Add(-1)
			if tc.grain > 0 && hi-lo > tc.grain {
				t.Errorf("%+v: chunk %d..%d longer than grain", tc, lo, hi)
			}
			chunks.Add(1)
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&seen[i], 1)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		for i, v := range seen {
			if v != 1 {
				t.Fatalf("%+v: index %d visited %d times", tc, i, v)
			}
		}
		if tc.grain == 0 && tc.n > 0 && chunks.Load() != int64(tc.workers) {
			t.Errorf("%+v: %d chunks, want one per worker", tc, chunks.Load())
		}
	}
}

// TestForStops: the first error cancels the chunks not yet started, a
// cancelled context returns its error, and a panic becomes an error.
func TestForStops(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int64
	err := For(context.Background(), 1000, 1, 1, func(_ context.Context, _, lo, _ int) error {
		started.Add(1)
		if lo == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || started.Load() > 10 {
		t.Errorf("err %v after %d chunks; want boom soon after chunk 3", err, started.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := For(ctx, 10, 1, 2, func(context.Context, int, int, int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v", err)
	}
	err = For(context.Background(), 4, 1, 2, func(_ context.Context, _, lo, _ int) error {
		if lo == 2 {
			panic("bad row")
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "bad row") {
		t.Errorf("panic: err %v", err)
	}
}
