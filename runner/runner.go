// Package runner is the worker pool of a sweep: it runs cells on a bounded
// number of goroutines (errgroup.WithContext with SetLimit), cancels the
// rest at the first error or when the context ends, and computes shared
// stages (a fold's scaling, a reduction) once for all the cells that need
// them. It is the only package that starts goroutines for cells.
package runner

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Workers resolves a worker count: 0 means every core.
func Workers(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// Run calls task(ctx, i) for every i in order of the slice, at most
// workers at a time (0 = every core). The first error cancels the context
// passed to the other tasks, and Run returns it. Tasks write their
// results by index, so the outcome does not depend on scheduling. A panic
// in a task is returned as an error, never propagated. done reports how
// many tasks returned nil.
func Run(ctx context.Context, order []int, workers int, task func(ctx context.Context, i int) error) (done int, err error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(Workers(workers))
	var finished atomic.Int64
	for _, i := range order {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("internal error in task %d: %v (please report this bug)", i, r)
				}
			}()
			if err := gctx.Err(); err != nil {
				return err
			}
			if err := task(gctx, i); err != nil {
				return err
			}
			finished.Add(1)
			return nil
		})
	}
	err = g.Wait()
	if err == nil {
		// The loop may have stopped early on a cancelled parent.
		err = ctx.Err()
	}
	return int(finished.Load()), err
}

// Stages computes named shared stages once. Unlike singleflight, it keeps
// each result for later callers; a failed stage keeps its error. Stages
// are cheap to hold: a sweep forgets them when it ends.
type Stages struct {
	mu sync.Mutex
	m  map[string]*stage
}

type stage struct {
	done chan struct{}
	val  any
	err  error
}

// Do returns the value of the stage key, calling fn to compute it if no
// one has. Callers that arrive while fn runs wait for it, or for ctx.
func (s *Stages) Do(ctx context.Context, key string, fn func() (any, error)) (any, error) {
	s.mu.Lock()
	if s.m == nil {
		s.m = map[string]*stage{}
	}
	st, ok := s.m[key]
	if !ok {
		st = &stage{done: make(chan struct{})}
		s.m[key] = st
	}
	s.mu.Unlock()
	if !ok {
		func() {
			defer close(st.done)
			defer func() {
				if r := recover(); r != nil {
					st.err = fmt.Errorf("internal error in stage %s: %v (please report this bug)", key, r)
				}
			}()
			st.val, st.err = fn()
		}()
		return st.val, st.err
	}
	select {
	case <-st.done:
		return st.val, st.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Stage is the typed form of Stages.Do.
func Stage[T any](ctx context.Context, s *Stages, key string, fn func() (T, error)) (T, error) {
	v, err := s.Do(ctx, key, func() (any, error) { return fn() })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
