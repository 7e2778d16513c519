package runner

import (
	"context"
	"fmt"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// For splits the indices 0..n-1 into contiguous chunks of at most grain
// (grain < 1 means one chunk per worker) and calls body(ctx, worker, lo,
// hi) for each chunk [lo, hi), on at most workers goroutines (0 = every
// core). It is the parallel loop of a shared stage over rows (the
// features of the selected images).
//
// worker (0 <= worker < Workers(workers)) names the goroutine running the
// chunk: chunks of one worker never run at the same time, so a body keeps
// its scratch state (an Extractor) per worker, made once, rather than per
// chunk. body writes its rows by index, so the outcome does not depend on
// scheduling. The first error, or the end of ctx, stops the chunks not
// yet started and is returned; a panic in body is returned as an error.
func For(ctx context.Context, n, grain, workers int, body func(ctx context.Context, worker, lo, hi int) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	w := Workers(workers)
	if grain < 1 {
		grain = (n + w - 1) / w
	}
	chunks := (n + grain - 1) / grain
	w = min(w, chunks)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(w)
	var next atomic.Int64
	for worker := range w {
		g.Go(func() (err error) {
			lo, hi := 0, 0
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("internal error in rows %d..%d: %v (please report this bug)", lo, hi-1, r)
				}
			}()
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return nil
				}
				if err := gctx.Err(); err != nil {
					return err
				}
				lo, hi = c*grain, min(n, (c+1)*grain)
				if err := body(gctx, worker, lo, hi); err != nil {
					return err
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}
