package upload

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"strconv"

	"golang.org/x/image/draw"

	"sweep/experiments/dataset"
	"sweep/experiments/model"
)

// batch is how many decoded images wait for one model.Predict call: it
// bounds the memory of a request's pixels (batch * side * side floats).
const batch = 32

// result is one image's answer in the JSON array.
type result struct {
	Name      string  `json:"name"`
	Cluster   int     `json:"cluster"`
	Label     string  `json:"label,omitempty"`
	Distance  float64 `json:"distance"`
	Thumbnail string  `json:"thumbnail,omitempty"` // with thumbs=1
}

// predictor labels the images of one request, batch by batch.
type predictor struct {
	h       *handler
	ctx     context.Context
	m       *model.Model // nil until a model is chosen or a file arrives
	thumbs  bool
	pending *dataset.Dataset
	names   []string
	results []result
}

// field takes the form fields model and thumbs; others are ignored.
func (p *predictor) field(name, value string) error {
	switch name {
	case "thumbs":
		p.thumbs = value == "1"
	case "model":
		if p.m != nil {
			return badRequest("the model field must come before the files (and only once)")
		}
		m, err := p.h.pick(value)
		if err != nil {
			return err
		}
		p.m = m
	}
	return nil
}

// pick finds a served model by index or cell name.
func (h *handler) pick(value string) (*model.Model, error) {
	if i, err := strconv.Atoi(value); err == nil {
		if i < 0 || i >= len(h.models) {
			return nil, badRequest("model %d: there are models 0 to %d", i, len(h.models)-1)
		}
		return h.models[i], nil
	}
	var found []int
	for i, m := range h.models {
		if m.Cell == value {
			found = append(found, i)
		}
	}
	switch len(found) {
	case 0:
		return nil, badRequest("model %q: no served model has that cell; give its cell name or index (0 to %d)", value, len(h.models)-1)
	case 1:
		return h.models[found[0]], nil
	}
	return nil, badRequest("model %q: models %v have that cell; give the index", value, found)
}

// image checks one image's header against the limits, decodes it to the
// model's grey side x side pixels and queues it for prediction.
func (p *predictor) image(name string, b []byte) error {
	if err := p.ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if p.m == nil {
		if len(p.h.models) > 1 {
			return badRequest("%d models are served: choose one with the model field (cell name or index) before the files", len(p.h.models))
		}
		p.m = p.h.models[0]
	}
	format, cfg, err := dataset.ImageHeader(b)
	if errors.Is(err, dataset.ErrNotImage) {
		return badRequest("%s: not a PNG, JPEG or GIF image (it looks like %s)", name, looksLike(b))
	}
	if err != nil {
		return badRequest("%s: %v", name, err)
	}
	lim := p.h.lim.MaxSide
	if cfg.Width > lim || cfg.Height > lim {
		return badRequest("%s: %s image of %dx%d pixels is larger than the limit of %dx%d", name, format, cfg.Width, cfg.Height, lim, lim)
	}
	side := p.m.Side
	grey := make([]uint8, side*side)
	if err := dataset.DecodeGrey(b, side, lim*lim, grey); err != nil {
		return badRequest("%s: %v", name, err)
	}
	if p.pending == nil {
		p.pending = &dataset.Dataset{Name: "upload", Side: side, Dim: side * side}
	}
	for _, v := range grey {
		p.pending.Pixels = append(p.pending.Pixels, float32(v))
	}
	p.pending.Labels = append(p.pending.Labels, -1)
	p.names = append(p.names, name)
	if p.thumbs {
		p.results = append(p.results, result{Thumbnail: thumbnail(grey, side)})
	} else {
		p.results = append(p.results, result{})
	}
	if len(p.names) == batch {
		return p.flush()
	}
	return nil
}

// flush predicts the queued images.
func (p *predictor) flush() error {
	if len(p.names) == 0 {
		return nil
	}
	preds, err := p.m.Predict(p.pending)
	if err != nil {
		return &reqError{http.StatusInternalServerError, err.Error()}
	}
	first := len(p.results) - len(preds)
	for i, pr := range preds {
		r := &p.results[first+i]
		r.Name, r.Cluster, r.Distance, r.Label = p.names[i], pr.Cluster, pr.Distance, p.m.LabelName(pr.Label)
	}
	p.pending.Pixels, p.pending.Labels, p.names = p.pending.Pixels[:0], p.pending.Labels[:0], p.names[:0]
	return nil
}

// looksLike names what bytes that are no image seem to be, by the
// WHATWG sniffing of http.DetectContentType, with the first bytes.
func looksLike(b []byte) string {
	if len(b) == 0 {
		return "an empty file"
	}
	head := b[:min(len(b), 8)]
	return fmt.Sprintf("%s, starting %q", http.DetectContentType(b), head)
}

// thumbSide bounds the side of a thumbnail.
const thumbSide = 96

// thumbnail is the grey image as a PNG data URL, shrunk (bilinear, for
// display only) when its side passes thumbSide.
func thumbnail(grey []uint8, side int) string {
	var img image.Image = &image.Gray{Pix: grey, Stride: side, Rect: image.Rect(0, 0, side, side)}
	if side > thumbSide {
		small := image.NewGray(image.Rect(0, 0, thumbSide, thumbSide))
		draw.ApproxBiLinear.Scale(small, small.Rect, img, img.Bounds(), draw.Src, nil)
		img = small
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "" // encoding into memory does not fail
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}
