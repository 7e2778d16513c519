package ctxtest

import (
	"context"
	"testing"
)

func TestCountdown(t *testing.T) {
	c := New(3)
	for i, want := range []error{nil, nil, context.Canceled, context.Canceled} {
		if got := c.Err(); got != want {
			t.Errorf("call %d: %v, want %v", i+1, got, want)
		}
	}
	if c.Calls != 4 {
		t.Errorf("%d calls counted, want 4", c.Calls)
	}
}
