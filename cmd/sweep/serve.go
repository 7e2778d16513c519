package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"sweep/experiments/model"
	"sweep/report/serve"
	"sweep/report/serve/upload"
)

const serveUsage = `Usage: sweep serve [-addr 127.0.0.1:8080] [-model model.json]... DIR...

Serves the report directories found under each DIR (folders holding a
manifest.json) on a local web page: a list of the runs with their best
cells, each run's report, the pictures of any cell and fold (drawn on
demand from the run's data, kept in the report's views/ folder), and
sweep compare's tables and heatmaps for any two runs. With -model, also a
page to label new images with a fitted model. Stops, after finishing the
requests in progress, on SIGINT or SIGTERM.

Flags:
`

// Timeouts of the HTTP server: a slow or stalled client cannot hold a
// connection for ever. Writing allows for the first drawing of a FER2013
// cell (its data read, reduction and clustering recomputed).
const (
	serveReadHeaderTimeout = 10 * time.Second
	serveReadTimeout       = 2 * time.Minute
	serveWriteTimeout      = 5 * time.Minute
	serveIdleTimeout       = 2 * time.Minute
	serveShutdownGrace     = 10 * time.Second
)

// modelFlags is the repeatable -model flag.
type modelFlags []string

func (m *modelFlags) String() string     { return strings.Join(*m, ",") }
func (m *modelFlags) Set(v string) error { *m = append(*m, v); return nil }

// newPredictHandler returns the handler of the upload page (/predict/) and
// of POST /api/predict for the models of -model, under the limits lim, or
// nil when there are none; see serve.Options.Predict for what it is given.
// It is a variable so that a test can serve a handler of its own.
var newPredictHandler = func(models []*model.Model, lim upload.Limits) (http.Handler, error) {
	if len(models) == 0 {
		return nil, nil
	}
	return upload.New(models, lim)
}

// runServe is 'sweep serve'.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stdout, stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), serveUsage); fs.PrintDefaults() }
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port`; other hosts than 127.0.0.1 and localhost can reach the server and are warned of")
	var modelPaths modelFlags
	fs.Var(&modelPaths, "model", "model `file` written by sweep fit, for the upload page (repeatable)")
	lim := upload.DefaultLimits
	fs.Int64Var(&lim.MaxBytes, "max-bytes", lim.MaxBytes, "largest upload request, in `bytes` (answered 413 above it)")
	fs.IntVar(&lim.MaxImages, "max-images", lim.MaxImages, "most images in one upload, counting those inside zips")
	fs.IntVar(&lim.MaxSide, "max-side", lim.MaxSide, "largest width and height of an uploaded image, in `pixels`, checked before decoding")
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usageError{errors.New("serve needs at least one directory of reports (see sweep serve -h)")}
	}
	var models []*model.Model
	for _, p := range modelPaths {
		m, err := model.Load(p) // its errors name the file
		if err != nil {
			return fmt.Errorf("-model: %w", err)
		}
		models = append(models, m)
	}
	if lim.MaxBytes < 1 || lim.MaxImages < 1 || lim.MaxSide < 1 {
		return usageError{errors.New("-max-bytes, -max-images and -max-side must be at least 1")}
	}
	predict, err := newPredictHandler(models, lim)
	if err != nil {
		return err
	}
	srv, err := serve.New(ctx, dirs, serve.Options{Predict: predict, Log: stderr})
	if err != nil {
		return err
	}
	if !isLoopback(*addr) {
		fmt.Fprintf(stderr, "sweep: warning: serving on %s: other machines can reach it, and it has no authentication; the default -addr 127.0.0.1:8080 serves this machine only\n", *addr)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintf(stdout, "serving %d runs on http://%s/ (Ctrl-C stops)\n", len(srv.Runs()), ln.Addr())
	return serveUntilDone(ctx, ln, srv, stderr)
}

// isLoopback reports whether addr's host is this machine only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveUntilDone serves h on ln until ctx ends, then stops accepting
// connections and waits (up to serveShutdownGrace) for the requests in
// progress to finish.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, stderr io.Writer) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: serveReadHeaderTimeout,
		ReadTimeout:       serveReadTimeout,
		WriteTimeout:      serveWriteTimeout,
		IdleTimeout:       serveIdleTimeout,
		ErrorLog:          log.New(stderr, "sweep serve: ", 0),
	}
	shut := make(chan error, 1)
	stop := context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), serveShutdownGrace)
		defer cancel()
		shut <- hs.Shutdown(sctx)
	})
	defer stop()
	err := hs.Serve(ln)
	if !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	if err := <-shut; err != nil {
		return fmt.Errorf("serve: stop: %w", err)
	}
	return interruptedError{"the server stopped after finishing its requests", context.Cause(ctx)}
}
