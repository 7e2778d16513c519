package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// Options configures a Server.
type Options struct {
	// Predict, when not nil, is mounted at /predict/ and /api/predict, and
	// the run list links it. Its contract: it receives the page's requests
	// with the /predict prefix stripped ("/" is the page, "/x.js" an
	// asset of it) and the API's requests unchanged, with path
	// "/api/predict" (POST). The server applies no limits of its own to
	// these requests beyond the http.Server's timeouts: the handler
	// checks sizes and methods.
	Predict http.Handler
	// Log receives one line per failed request the server answers with a
	// 5xx status; nil discards them.
	Log io.Writer
}

// maxLoaded is how many runs' data a Server keeps in memory at once: the
// data of a FER2013 run is about 260 MB.
const maxLoaded = 2

// maxDraws is how many cells a Server draws at once; a draw recomputes the
// cell's reduction and clustering on all cores it is given.
const maxDraws = 2

// Server serves the runs found under a set of directories. It is an
// http.Handler; cmd/sweep wraps it in an http.Server with timeouts.
type Server struct {
	ctx   context.Context // the drawings' context: ends when the server stops
	roots []string        // absolute
	opt   Options
	mux   *http.ServeMux

	mu     sync.Mutex
	runs   map[string]*run // by name
	names  []string        // the runs' names, in list order
	loaded []*loadedRun    // the runs whose data is in memory, oldest first

	group singleflight.Group
	draws chan struct{} // a semaphore of maxDraws
	drawn atomic.Int64  // cells drawn since start (for tests)
	logMu sync.Mutex
}

// New returns a Server for the report directories (folders holding a
// manifest.json) found under dirs, each searched a few levels deep. It
// fails when a directory cannot be read or holds no report. ctx bounds the
// drawing of cells: when it ends, drawings in progress stop.
func New(ctx context.Context, dirs []string, opt Options) (*Server, error) {
	if len(dirs) == 0 {
		return nil, errors.New("serve: no directory given")
	}
	s := &Server{ctx: ctx, opt: opt, draws: make(chan struct{}, maxDraws)}
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, fmt.Errorf("serve %s: %w", d, err)
		}
		s.roots = append(s.roots, abs)
	}
	if err := s.scan(); err != nil {
		return nil, err
	}
	if len(s.names) == 0 {
		return nil, fmt.Errorf("serve: no report directory (a folder with manifest.json, written by sweep) under %s", strings.Join(dirs, ", "))
	}
	s.routes()
	return s, nil
}

// Runs returns the names of the runs served, in list order.
func (s *Server) Runs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.names...)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.handleList)
	m.HandleFunc("GET /compare", s.handleCompare)
	m.HandleFunc("GET /runs/{run}/{$}", s.handleRun)
	m.HandleFunc("GET /runs/{run}/cell", s.handleCell)
	m.HandleFunc("GET /runs/{run}/{path...}", s.handleFile)
	if h := s.opt.Predict; h != nil {
		m.Handle("/predict/", http.StripPrefix("/predict", h))
		m.Handle("/api/predict", h)
	}
	s.mux = m
}

// ServeHTTP checks the request's path (see checkPath) and routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := checkPath(r); err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mux.ServeHTTP(w, r)
}

// checkPath refuses the paths that could name a file outside a report
// directory, before any routing or cleaning: "." and ".." segments
// (also percent-encoded, which the URL parser has decoded), empty
// segments (a "//" that would start an absolute path), encoded slashes
// and backslashes, backslashes and NUL bytes.
func checkPath(r *http.Request) error {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("path %q does not start with /", p)
	}
	raw := strings.ToLower(r.URL.EscapedPath())
	for _, bad := range []string{"%2f", "%5c", "%00"} {
		if strings.Contains(raw, bad) {
			return fmt.Errorf("path %q: encoded %s is not allowed", r.URL.EscapedPath(), bad)
		}
	}
	if strings.ContainsAny(p, "\\\x00") {
		return fmt.Errorf("path %q: backslashes and NUL bytes are not allowed", p)
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		switch {
		case seg == "." || seg == "..":
			return fmt.Errorf("path %q: %q segments are not allowed", p, seg)
		case seg == "" && i < len(segs)-1:
			return fmt.Errorf("path %q: empty segments (//) are not allowed", p)
		}
	}
	return nil
}

// httpError answers code with msg as plain text.
func httpError(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	fmt.Fprintf(w, "%d %s: %s\n", code, http.StatusText(code), msg)
}

// statusError is an error with the HTTP status it is answered with.
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return e.msg }

func errorf(code int, format string, a ...any) error {
	return &statusError{code, fmt.Sprintf(format, a...)}
}

// fail answers err: its status when it is a statusError, else 500 (logged).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *statusError
	if errors.As(err, &se) {
		httpError(w, se.code, se.msg)
		return
	}
	code := http.StatusInternalServerError
	if s.ctx.Err() != nil {
		code = http.StatusServiceUnavailable
		err = fmt.Errorf("the server is stopping: %w", err)
	}
	if s.opt.Log != nil {
		s.logMu.Lock()
		fmt.Fprintf(s.opt.Log, "sweep serve: %s %s: %v\n", r.Method, r.URL.Path, err)
		s.logMu.Unlock()
	}
	httpError(w, code, err.Error())
}

// securityHeaders are set on every page and file the server itself
// answers with: nothing is loaded from elsewhere, and the pages' own
// inline styles and scripts (index.html's table) run.
func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:")
}
