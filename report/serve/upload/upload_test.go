package upload

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"sweep/experiments/model"
)

// testLimits are small, so that the refusals need little data.
var testLimits = Limits{MaxBytes: 1 << 20, MaxImages: 6, MaxSide: 512}

// answer is a decoded response: status, results or error message.
type answer struct {
	status  int
	results []result
	msg     string
}

// post sends body to url and decodes the answer.
func post(t testing.TB, url, contentType string, body io.Reader) answer {
	t.Helper()
	res, err := http.Post(url, contentType, body)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: res.StatusCode}
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &a.results); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		return a
	}
	var e struct{ Error string }
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("status %d, %q is not JSON {error}: %v", res.StatusCode, b, err)
	}
	a.msg = e.Error
	return a
}

// happy are five images of MNIST's test digits: PNG, JPEG, GIF and a zip
// of a PNG and a PNG twice the model's side (resized by the upload).
func happy(t testing.TB) (files []file, raw [][]byte) {
	_, d := fixture(t)
	png0, jpg1, gif2 := encodePNG(t, digit(d, 0, 1)), encodeJPEG(t, digit(d, 1, 1)), encodeGIF(t, digit(d, 2, 1))
	png3, png4 := encodePNG(t, digit(d, 3, 1)), encodePNG(t, digit(d, 4, 2))
	files = []file{
		{name: "zero.png", data: png0},
		{field: "other", name: "one.jpg", data: jpg1}, // any field name
		{name: "two.gif", data: gif2},
		{name: "pair.zip", data: zipOf(t, file{name: "dir/three.png", data: png3}, file{name: "dir/", data: nil},
			file{name: "__MACOSX/dir/._three.png", data: []byte("resource fork")}, file{name: "four-big.png", data: png4},
			file{name: "readme.txt", data: []byte("not an image: left out, as in a folder")})},
	}
	return files, [][]byte{png0, jpg1, gif2, png3, png4}
}

// checkHappy checks the five results against model.Predict on the same
// images, and the lossless ones against Predict on MNIST's rows themselves.
func checkHappy(t *testing.T, m *model.Model, a answer, raw [][]byte) {
	t.Helper()
	if a.status != http.StatusOK || len(a.results) != 5 {
		t.Fatalf("status %d (%s), %d results; want 200 and 5", a.status, a.msg, len(a.results))
	}
	want := expected(t, m, raw...)
	names := []string{"zero.png", "one.jpg", "two.gif", "pair.zip/dir/three.png", "pair.zip/four-big.png"}
	for i, r := range a.results {
		w := want[i]
		// The same arithmetic on the same pixels: equal but for the
		// JSON round trip of the distance (shortest repr: exact).
		if r.Name != names[i] || r.Cluster != w.Cluster || r.Distance != w.Distance || r.Label != m.LabelName(w.Label) {
			t.Errorf("result %d: %+v; want %s, cluster %d, distance %v, label %q", i, r, names[i], w.Cluster, w.Distance, m.LabelName(w.Label))
		}
	}
	_, d := fixture(t)
	direct, err := m.Predict(rowsOf(d, 0, 2, 3))
	if err != nil {
		t.Fatal(err)
	}
	for k, i := range []int{0, 2, 3} {
		if a.results[i].Cluster != direct[k].Cluster || math.Abs(a.results[i].Distance-direct[k].Distance) > 1e-12 {
			t.Errorf("%s: cluster %d at %v; Predict on MNIST's row gives %d at %v", names[i], a.results[i].Cluster, a.results[i].Distance, direct[k].Cluster, direct[k].Distance)
		}
	}
}

// TestPredict: a good upload gets the clusters model.Predict gives; each
// bad one gets its status and a message naming the file, and the server
// keeps serving: a good upload after it still succeeds.
func TestPredict(t *testing.T) {
	m, _ := fixture(t)
	h, err := New([]*model.Model{m}, testLimits)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	url := srv.URL + "/api/predict"
	good, raw := happy(t)
	goodRequest := func(t *testing.T) {
		ct, body := multipartBody(t, good...)
		checkHappy(t, m, post(t, url, ct, bytes.NewReader(body)), raw)
	}
	t.Run("happy", goodRequest)

	onePNG := good[0]
	bigRandom := make([]byte, testLimits.MaxBytes+(1<<19))
	for i := range bigRandom {
		bigRandom[i] = byte(i * 7919 >> 3)
	}
	for _, tc := range []struct {
		name    string
		files   []file
		chunked bool // no Content-Length: only http.MaxBytesReader stops it
		status  int
		msg     string
	}{
		{"oversized upload", []file{onePNG, {name: "big.png", data: bigRandom}}, false, 413, "the upload is larger than the limit of 1 MiB per request"},
		{"oversized upload, chunked", []file{onePNG, {name: "big.png", data: bigRandom}}, true, 413, "the upload is larger than the limit of 1 MiB per request"},
		{"100 megapixel PNG header", []file{onePNG, {name: "huge.png", data: hugePNGHeader(10000, 10000)}}, false, 400, "huge.png: PNG image of 10000x10000 pixels is larger than the limit of 512x512"},
		{"not an image", []file{{name: "notes.png", data: []byte("just some text\n")}}, false, 400, `notes.png: not a PNG, JPEG or GIF image (it looks like text/plain; charset=utf-8, starting "just som")`},
		{"empty file", []file{{name: "empty.gif"}}, false, 400, "empty.gif: not a PNG, JPEG or GIF image (it looks like an empty file)"},
		{"truncated PNG", []file{{name: "cut.png", data: onePNG.data[:60]}}, false, 400, "cut.png: decode PNG: png: invalid format: not enough pixel data"},
		// zip.Writer streams 64 MiB of zeros into 64 KiB; the
		// directory declares the true size, refused before reading.
		{"zip bomb", []file{{name: "bomb.zip", data: zipBomb(t, 64<<20)}}, false, 413, "bomb.zip/zeros.png: declares 67108864 bytes uncompressed, over the limit of 1 MiB per image"},
		// Declaring the limit, or 100 bytes, but expanding to 8 MiB:
		// archive/zip refuses to read past the declared size (the
		// LimitReader would stop it at 1 MiB + 1 byte otherwise).
		{"zip bomb declaring the limit", []file{{name: "bomb.zip", data: rawZip(t, 1<<20, 8<<20)}}, false, 400, "bomb.zip/zeros.png: a broken zip entry: zip: not a valid zip file (its sizes or checksum do not match its data)"},
		{"zip entry lying about its size", []file{{name: "liar.zip", data: rawZip(t, 100, 8<<20)}}, false, 400, "liar.zip/zeros.png: a broken zip entry"},
		{"zips expanding too much in all", []file{{name: "padded.zip", data: zipOf(t, repeat(file{name: "p.png", data: padded(onePNG.data, 1<<20-1<<10)}, 5)...)}}, false, 413, "padded.zip/p.png: the zips of this upload expand past 4 MiB in all"},
		{"zip in a zip", []file{{name: "outer.zip", data: zipOf(t, file{name: "inner.zip", data: zipOf(t, onePNG)})}}, false, 400, "outer.zip/inner.zip: a zip inside a zip is not opened"},
		{"not a zip after all", []file{{name: "broken.zip", data: []byte("PK\x03\x04 and then nothing")}}, false, 400, "broken.zip: not a readable zip file"},
		{"too many images", repeat(onePNG, 7), false, 413, "zero.png: more than 6 images in one upload"},
		{"too many images in zips", []file{onePNG, {name: "many.zip", data: zipOf(t, repeat(onePNG, 6)...)}}, false, 413, "many.zip/zero.png: more than 6 images in one upload"},
		{"unknown model", append([]file{{field: "model", data: []byte("svd-9-9")}}, onePNG), false, 400, `model "svd-9-9": no served model has that cell`},
		{"model index out of range", append([]file{{field: "model", data: []byte("3")}}, onePNG), false, 400, "model 3: there are models 0 to 0"},
		{"model after the files", []file{onePNG, {field: "model", data: []byte("0")}}, false, 400, "the model field must come before the files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := multipartBody(t, tc.files...)
			var r io.Reader = bytes.NewReader(body)
			if tc.chunked {
				r = struct{ io.Reader }{r} // hides the length
			}
			a := post(t, url, ct, r)
			if a.status != tc.status || !strings.Contains(a.msg, tc.msg) {
				t.Errorf("status %d, %q; want %d and %q", a.status, a.msg, tc.status, tc.msg)
			}
			goodRequest(t)
		})
	}
	t.Run("not multipart", func(t *testing.T) {
		a := post(t, url, "application/json", strings.NewReader("{}"))
		if a.status != 400 || !strings.Contains(a.msg, "want a multipart/form-data upload") {
			t.Errorf("status %d, %q", a.status, a.msg)
		}
		goodRequest(t)
	})
	t.Run("model by name and thumbnails", func(t *testing.T) {
		ct, body := multipartBody(t, file{field: "model", data: []byte(m.Cell)}, file{field: "thumbs", data: []byte("1")}, onePNG)
		a := post(t, url, ct, bytes.NewReader(body))
		if a.status != 200 || len(a.results) != 1 || !strings.HasPrefix(a.results[0].Thumbnail, "data:image/png;base64,") {
			t.Errorf("status %d (%s), %+v", a.status, a.msg, a.results)
		}
	})
}

// TestPage: the page is served with a policy that forbids the network, and
// the routes refuse other methods.
func TestPage(t *testing.T) {
	m, _ := fixture(t)
	m2 := *m
	m2.Cell = "second"
	h, err := New([]*model.Model{m, &m2}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(b)
	for _, want := range []string{`<select name="model"`, `<option value="1">second`, `action="api/predict"`, "32 MiB, 1000 images", "data:image/png;base64,"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("policy %q", csp)
	}
	for _, tc := range []struct{ method, path string }{{"POST", "/"}, {"GET", "/api/predict"}} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d, want 405", tc.method, tc.path, res.StatusCode)
		}
	}
	// Two models: a request must name one.
	ct, body := multipartBody(t, file{name: "a.png", data: encodePNG(t, digit(fixtureMust(t).d, 0, 1))})
	if a := post(t, srv.URL+"/api/predict", ct, bytes.NewReader(body)); a.status != 400 || !strings.Contains(a.msg, "2 models are served: choose one") {
		t.Errorf("no model named: %d %q", a.status, a.msg)
	}
	ct, body = multipartBody(t, file{field: "model", data: []byte("second")}, file{name: "a.png", data: encodePNG(t, digit(fixtureMust(t).d, 0, 1))})
	if a := post(t, srv.URL+"/api/predict", ct, bytes.NewReader(body)); a.status != 200 || len(a.results) != 1 {
		t.Errorf("model second: %d %q", a.status, a.msg)
	}
}

// TestWrongVersion: a version 1 model is refused by model.Load with a
// message to refit, and by New.
func TestWrongVersion(t *testing.T) {
	m, _ := fixture(t)
	old := *m
	old.Version = 1
	path := filepath.Join(t.TempDir(), "model.json")
	if err := old.Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := model.Load(path); err == nil || err.Error() != path+": model file is version 1; this sweep reads version 3: refit with sweep fit" {
		t.Errorf("Load: %v", err)
	}
	if _, err := New([]*model.Model{&old}, DefaultLimits); err == nil || !strings.Contains(err.Error(), "is version 1; this sweep reads version 3: refit with sweep fit") {
		t.Errorf("New: %v", err)
	}
	if _, err := New(nil, DefaultLimits); err == nil {
		t.Error("New without models: no error")
	}
	if _, err := New([]*model.Model{m}, Limits{MaxBytes: -1}); err == nil {
		t.Error("New with a negative limit: no error")
	}
	// A saved model of the current version loads and serves.
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New([]*model.Model{loaded}, DefaultLimits); err != nil {
		t.Error(err)
	}
}

func fixtureMust(t testing.TB) *fixtureData {
	f, err := fixtureOnce()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func repeat(f file, n int) []file {
	out := make([]file, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// hugePNGHeader is a PNG signature and an IHDR chunk (PNG spec, 11.2.2:
// width, height, bit depth 8, colour type 0 grey, methods 0) declaring
// w x h pixels, with its CRC, and no image data: a header-only bomb.
func hugePNGHeader(w, h uint32) []byte {
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8] = 8
	chunk := append([]byte("IHDR"), ihdr[:]...)
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d")
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

// zipBomb is a zip whose entry zeros.png expands to n zero bytes, written
// through the streaming zip.Writer: its header declares the true size.
func zipBomb(t testing.TB, n int) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("zeros.png")
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, 1<<20)
	for range n >> 20 {
		w.Write(zero)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// padded is b followed by zeros up to n bytes: an image decoders read
// (they stop at its end) that takes n bytes.
func padded(b []byte, n int) []byte {
	return append(bytes.Clone(b), make([]byte, n-len(b))...)
}

// rawZip is a zip of one entry, zeros.png, whose deflated data expands to
// n zero bytes but whose headers declare size bytes.
func rawZip(t testing.TB, size uint64, n int) []byte {
	var data bytes.Buffer
	fw, _ := flate.NewWriter(&data, flate.BestCompression)
	fw.Write(make([]byte, n))
	fw.Close()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "zeros.png", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(make([]byte, n)), CompressedSize64: uint64(data.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
