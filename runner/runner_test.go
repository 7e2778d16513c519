package runner

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunWritesByIndex(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		out := make([]int, 100)
		order := make([]int, len(out))
		for i := range order {
			order[i] = len(out) - 1 - i // any order: results land by index
		}
		done, err := Run(context.Background(), order, workers, func(_ context.Context, i int) error {
			out[i] = i * i
			return nil
		})
		if err != nil || done != len(out) {
			t.Fatalf("workers %d: done %d, err %v", workers, done, err)
		}
		for i, v := range out {
			if v != i*i {
				t.Fatalf("workers %d: out[%d] = %d", workers, i, v)
			}
		}
	}
}

func TestRunStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int64
	order := make([]int, 1000)
	for i := range order {
		order[i] = i
	}
	done, err := Run(context.Background(), order, 2, func(ctx context.Context, i int) error {
		started.Add(1)
		if i == 3 {
			return boom
		}
		select { // a slow cell that honours cancellation
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	if n := started.Load(); n > 100 {
		t.Errorf("%d tasks started after the error; cancellation should stop the rest", n)
	}
	if done >= len(order) {
		t.Errorf("done %d", done)
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	order := []int{0, 1, 2, 3, 4, 5}
	done, err := Run(ctx, order, 1, func(ctx context.Context, i int) error {
		if i == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if done != 3 {
		t.Errorf("done %d, want 3 (tasks 0, 1, 2)", done)
	}
}

func TestRunRecoversPanic(t *testing.T) {
	_, err := Run(context.Background(), []int{0}, 1, func(context.Context, int) error { panic("bad index") })
	if err == nil || !strings.Contains(err.Error(), "internal error in task 0: bad index") {
		t.Fatalf("err %v", err)
	}
}

func TestStagesComputeOnce(t *testing.T) {
	var s Stages
	var calls atomic.Int64
	order := make([]int, 64)
	for i := range order {
		order[i] = i
	}
	_, err := Run(context.Background(), order, 8, func(ctx context.Context, i int) error {
		v, err := Stage(ctx, &s, "reduce/fold0/pca", func() (int, error) {
			calls.Add(1)
			time.Sleep(time.Millisecond)
			return 42, nil
		})
		if err != nil || v != 42 {
			t.Errorf("got %d, %v", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("stage computed %d times, want 1", n)
	}
	// A failed stage keeps its error for later callers.
	bad := errors.New("bad")
	for range 2 {
		if _, err := Stage(context.Background(), &s, "x", func() (int, error) { return 0, bad }); !errors.Is(err, bad) {
			t.Fatalf("err %v", err)
		}
	}
}

func TestWorkers(t *testing.T) {
	if Workers(3) != 3 || Workers(0) < 1 {
		t.Fatal("Workers")
	}
}
