package upload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"sweep/experiments/model"
)

// Limits bound what one predict request may ask for. A zero field takes
// its DefaultLimits value.
type Limits struct {
	MaxBytes  int64         // request body, in bytes; also each image, and each zip entry once expanded
	MaxImages int           // images per request, counting those inside zips
	MaxSide   int           // width and height of each image, in pixels, as its header declares
	Timeout   time.Duration // the whole request, queueing included
}

// DefaultLimits are the limits sweep serve applies: 32 MiB per request,
// 1,000 images, 4096x4096 pixels each, one minute.
var DefaultLimits = Limits{MaxBytes: 32 << 20, MaxImages: 1000, MaxSide: 4096, Timeout: time.Minute}

// expandFactor bounds what all the zips of a request may expand to:
// expandFactor times MaxBytes. Images are compressed already, so a zip of
// them expands little; a zip that expands more is refused.
const expandFactor = 4

// withDefaults fills zero fields from DefaultLimits and refuses negative
// ones.
func (l Limits) withDefaults() (Limits, error) {
	if l.MaxBytes < 0 || l.MaxImages < 0 || l.MaxSide < 0 || l.Timeout < 0 {
		return l, fmt.Errorf("upload: negative limit in %+v", l)
	}
	if l.MaxBytes == 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxImages == 0 {
		l.MaxImages = DefaultLimits.MaxImages
	}
	if l.MaxSide == 0 {
		l.MaxSide = DefaultLimits.MaxSide
	}
	if l.Timeout == 0 {
		l.Timeout = DefaultLimits.Timeout
	}
	return l, nil
}

// handler serves the page and the predict API for its models.
type handler struct {
	models []*model.Model
	lim    Limits
	page   []byte        // the rendered page: it depends on the models alone
	busy   chan struct{} // one token per request being decoded and predicted
	mux    *http.ServeMux
}

// New returns the handler of the upload page ("/") and the predict API
// ("/api/predict") for models, which must hold at least one model, each
// loaded by model.Load (or fitted by model.Fit).
//
// At most GOMAXPROCS requests (at least 2) are read, decoded and predicted
// at once; the others wait for their turn within their Timeout. This
// bounds the memory of concurrent requests: each holds at most one zip of
// MaxBytes, one entry of MaxBytes and one decoded image of MaxSide x
// MaxSide pixels at a time.
func New(models []*model.Model, lim Limits) (http.Handler, error) {
	if len(models) == 0 {
		return nil, errors.New("upload: no model to serve")
	}
	for i, m := range models {
		if m == nil || m.Side < 1 || len(m.Centers) == 0 || len(m.Components) == 0 {
			return nil, fmt.Errorf("upload: model %d is empty", i)
		}
		if m.Version != model.Version {
			return nil, fmt.Errorf("upload: model %d (%s) is version %d; this sweep reads version %d: refit with sweep fit", i, m.Cell, m.Version, model.Version)
		}
	}
	lim, err := lim.withDefaults()
	if err != nil {
		return nil, err
	}
	h := &handler{models: models, lim: lim, busy: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
	if h.page, err = renderPage(models, lim); err != nil {
		return nil, err
	}
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET /{$}", h.servePage)
	h.mux.HandleFunc("POST /api/predict", h.predict)
	return h, nil
}

// ServeHTTP routes the request. A panic below answers 500 with a message
// instead of dropping the connection; no test relies on it.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			writeError(w, &reqError{http.StatusInternalServerError, fmt.Sprintf("internal error: %v", v)})
		}
	}()
	h.mux.ServeHTTP(w, r)
}

func (h *handler) servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(h.page)
}

// csp lets the page run its own inline script and style, show data: and
// blob: images, post to its own server and nothing else: no network.
const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'"

// predict answers POST /api/predict.
func (h *handler) predict(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.lim.Timeout)
	defer cancel()
	if r.ContentLength > h.lim.MaxBytes {
		writeError(w, tooLarge(h.lim.MaxBytes))
		return
	}
	select {
	case h.busy <- struct{}{}:
		defer func() { <-h.busy }()
	case <-ctx.Done():
		writeError(w, &reqError{http.StatusServiceUnavailable, fmt.Sprintf("the server is busy: no turn within %v; try again", h.lim.Timeout)})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.lim.MaxBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, &reqError{http.StatusBadRequest, fmt.Sprintf("want a multipart/form-data upload: %v", err)})
		return
	}
	p := &predictor{h: h, ctx: ctx, thumbs: r.URL.Query().Get("thumbs") == "1", results: []result{}}
	if q := r.URL.Query().Get("model"); q != "" {
		if err := p.field("model", q); err != nil {
			writeError(w, err)
			return
		}
	}
	err = walk(mr, h.lim, p.field, p.image)
	if err == nil {
		err = p.flush()
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(p.results)
}

// reqError is the answer to a request that cannot be served: its status
// and a message for the user.
type reqError struct {
	status int
	msg    string
}

func (e *reqError) Error() string { return e.msg }

func badRequest(format string, a ...any) *reqError {
	return &reqError{http.StatusBadRequest, fmt.Sprintf(format, a...)}
}

func tooLarge(limit int64) *reqError {
	return &reqError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the upload is larger than the limit of %s per request; send fewer or smaller files", formatBytes(limit))}
}

// writeError answers err as JSON {"error": message} with its status: a
// *reqError's own, 413 for a body past http.MaxBytesReader, 503 for a
// request that ran out of time, otherwise 400.
func writeError(w http.ResponseWriter, err error) {
	var re *reqError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &re):
	case errors.As(err, &mb):
		re = tooLarge(mb.Limit)
	case errors.Is(err, context.DeadlineExceeded):
		re = &reqError{http.StatusServiceUnavailable, "the request took too long: " + err.Error()}
	default:
		re = badRequest("read the upload: %v", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(re.status)
	json.NewEncoder(w).Encode(map[string]string{"error": re.msg})
}

// formatBytes writes b in MiB or KiB when it is a whole number of them.
func formatBytes(b int64) string {
	switch {
	case b >= 1<<20 && b%(1<<20) == 0:
		return strconv.FormatInt(b>>20, 10) + " MiB"
	case b >= 1<<10 && b%(1<<10) == 0:
		return strconv.FormatInt(b>>10, 10) + " KiB"
	}
	return strconv.FormatInt(b, 10) + " bytes"
}
