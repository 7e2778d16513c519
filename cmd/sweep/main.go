package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := notifyContext(context.Background(), os.Stderr)
	code := exitCode(run(ctx, os.Args[1:], os.Stdout, os.Stderr), os.Stderr)
	stop()
	os.Exit(code)
}

// signalCause is the cause (context.Cause) of a context ended by a signal.
type signalCause struct{ sig syscall.Signal }

func (c signalCause) Error() string { return "received " + c.name() }

// name is the signal's name, as in kill -l: SIGINT, SIGTERM.
func (c signalCause) name() string {
	switch c.sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return c.sig.String()
}

// status is the exit status of a process stopped by the signal: 128 + its
// number, as shells report it (130 for SIGINT, 143 for SIGTERM).
func (c signalCause) status() int { return 128 + int(c.sig) }

// notifyContext is signal.NotifyContext for SIGINT and SIGTERM that records
// which signal ended the context (as a signalCause) and exits at once, with
// that signal's status, on a second one.
func notifyContext(parent context.Context, stderr *os.File) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			cancel(signalCause{s.(syscall.Signal)})
		case <-done:
			return
		}
		select {
		case s := <-sigs:
			c := signalCause{s.(syscall.Signal)}
			fmt.Fprintf(stderr, "sweep: %s again: stopped at once\n", c.name())
			os.Exit(c.status())
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}
