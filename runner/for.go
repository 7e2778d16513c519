package runner

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// For splits the indices 0..n-1 into contiguous chunks of at most grain
// (grain < 1 means one chunk per worker) and calls body(ctx, lo, hi) for
// each chunk [lo, hi), at most workers chunks at a time (0 = every core).
// It is the parallel loop of a shared stage over rows (the features of
// the selected images): body writes its rows by index, so the outcome
// does not depend on scheduling. The first error, or the end of ctx,
// cancels the chunks not yet started and is returned; a panic in body is
// returned as an error. A body that keeps state (scratch buffers) makes
// it per call: chunks run concurrently.
func For(ctx context.Context, n, grain, workers int, body func(ctx context.Context, lo, hi int) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	w := Workers(workers)
	if grain < 1 {
		grain = (n + w - 1) / w
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(w)
	for lo := 0; lo < n; lo += grain {
		if gctx.Err() != nil {
			break
		}
		hi := min(n, lo+grain)
		g.Go(func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("internal error in rows %d..%d: %v (please report this bug)", lo, hi-1, r)
				}
			}()
			if err := gctx.Err(); err != nil {
				return err
			}
			return body(gctx, lo, hi)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}
