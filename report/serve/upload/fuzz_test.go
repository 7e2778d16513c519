package upload

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"testing"

	"sweep/experiments/model"
)

// FuzzWalk feeds arbitrary multipart bodies (boundary "B") through the
// upload parser and the image checks: it never panics, never hands on
// more than MaxImages images, and every error is one the handler answers
// with a status of 400, 413 or 503 (a *reqError, or the body's own error).
func FuzzWalk(f *testing.F) {
	m, d := fixture(f)
	seed := func(files ...file) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.SetBoundary("B")
		for _, fl := range files {
			w, _ := mw.CreateFormFile("images", fl.name)
			w.Write(fl.data)
		}
		mw.Close()
		f.Add(b.Bytes())
	}
	png0 := encodePNG(f, digit(d, 0, 1))
	seed(file{name: "a.png", data: png0})
	seed(file{name: "a.gif", data: encodeGIF(f, digit(d, 1, 1))}, file{name: "z.zip", data: zipOf(f, file{name: "b.png", data: png0})})
	seed(file{name: "h.png", data: hugePNGHeader(100, 100)})
	seed(file{name: "z.zip", data: rawZip(f, 100, 1000)})
	lim := Limits{MaxBytes: 64 << 10, MaxImages: 4, MaxSide: 64, Timeout: 1}
	h := &handler{models: []*model.Model{m}, lim: lim}
	f.Fuzz(func(t *testing.T, body []byte) {
		p := &predictor{h: h, ctx: context.Background()}
		mr := multipart.NewReader(bytes.NewReader(body), "B")
		err := walk(mr, lim, p.field, p.image)
		if err == nil {
			err = p.flush()
		}
		if len(p.results) > lim.MaxImages {
			t.Fatalf("%d images passed a limit of %d", len(p.results), lim.MaxImages)
		}
		var re *reqError
		if errors.As(err, &re) && re.status == http.StatusInternalServerError {
			t.Fatalf("500: %v", err)
		}
	})
}
