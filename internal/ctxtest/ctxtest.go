// Package ctxtest gives tests a context that ends at a chosen check, so a
// test can show that a long computation checks its context, and how much
// work it does between checks, without measuring time. It is for tests
// only.
package ctxtest

import "context"

// Countdown is a context whose Err reports context.Canceled from its N-th
// call on; Calls counts the calls.
type Countdown struct {
	context.Context
	N, Calls int
}

// New returns a Countdown that ends at the n-th check.
func New(n int) *Countdown { return &Countdown{Context: context.Background(), N: n} }

// Err counts the call and reports context.Canceled from the N-th on.
func (c *Countdown) Err() error {
	c.Calls++
	if c.Calls >= c.N {
		return context.Canceled
	}
	return nil
}
