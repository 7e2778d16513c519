package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"sweep/experiments/dataset"
)

// writePNG writes a grey image as PNG, creating folders.
func writePNG(t testing.TB, path string, m *image.Gray) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// syntheticFolder writes perClass images of side x side in each of the
// class folders "circle", "cross" and "square" of root (the bright quadrant
// of writeSynthetic's rows), every fifth image at twice the side so that it
// is resized. It returns root.
func syntheticFolder(t testing.TB, root string, perClass, side int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(21, 22))
	for c, name := range []string{"circle", "cross", "square"} {
		for i := range perClass {
			s := side
			if i%5 == 4 {
				s = 2 * side
			}
			m := image.NewGray(image.Rect(0, 0, s, s))
			for y := range s {
				for x := range s {
					v := 40 + rng.IntN(30)
					if (y*2/s)*2+x*2/s == c {
						v += 150
					}
					m.SetGray(x, y, color.Gray{Y: uint8(v)})
				}
			}
			writePNG(t, filepath.Join(root, name, fmt.Sprintf("%03d.png", i)), m)
		}
	}
	return root
}

// The same pixels give the same numbers: a FER2013 subset run as a CSV
// and as a folder of 48x48 grey PNGs gives byte-identical tables.
func TestImageFolderMatchesCSV(t *testing.T) {
	fer := ferPath(t)
	d, err := dataset.Load(fer)
	if err != nil {
		t.Fatal(err)
	}
	// Training rows only (a folder's rows are all Training, and the
	// selection hashes the usage), the first 40 of each class in file
	// order.
	const perClass = 40
	names := []string{"Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"} // FER2013's labels 0..6
	dir := t.TempDir()
	root := filepath.Join(dir, "faces")
	var csv strings.Builder
	csv.WriteString("emotion,pixels,Usage\n")
	count := make([]int, len(names))
	for i := 0; i < d.N(); i++ {
		l := d.Labels[i]
		if d.Usage[i] != dataset.Training || count[l] == perClass {
			continue
		}
		count[l]++
		row := d.Row(i)
		m := image.NewGray(image.Rect(0, 0, d.Side, d.Side))
		px := make([]string, len(row))
		for j, v := range row {
			m.Pix[j] = uint8(v)
			px[j] = strconv.Itoa(int(v))
		}
		fmt.Fprintf(&csv, "%d,%s,Training\n", l, strings.Join(px, " "))
		writePNG(t, filepath.Join(root, fmt.Sprintf("%d-%s", l, names[l]), fmt.Sprintf("line%05d.png", d.Line[i])), m)
	}
	for l, n := range count {
		if n != perClass {
			t.Fatalf("class %d: %d Training rows, want %d", l, n, perClass)
		}
	}
	csvPath := filepath.Join(dir, "subset.csv")
	if err := os.WriteFile(csvPath, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, `name: same-pixels
seed: 5
data:
  balance: min
grid:
  reducer: [pca, svd]
  components: [2, 3]
  clusters: [5, 7]
  folds: 3
kmeans:
  n_init: 3
`)
	outs := map[string]string{}
	for name, data := range map[string]string{"csv": csvPath, "folder": root} {
		out := filepath.Join(dir, "report-"+name)
		if _, stderr, code := runCmd(t, "-q", "-config", cfg, "-data", data, "-out", out); code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, code, stderr)
		}
		outs[name] = out
	}
	for _, f := range []string{"results.csv", "summary.csv"} {
		a, errA := os.ReadFile(filepath.Join(outs["csv"], f))
		b, errB := os.ReadFile(filepath.Join(outs["folder"], f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the CSV and the image folder (%v, %v)\n%s\n%s", f, errA, errB, a, b)
		}
	}
	// The folder's report names the classes by their folders.
	md, err := os.ReadFile(filepath.Join(outs["folder"], "data.md"))
	if err != nil || !bytes.Contains(md, []byte("3-Happy")) {
		t.Errorf("data.md does not name the class folders: %v\n%s", err, md)
	}
}

// fit then predict on an image folder: predictions carry each file's path
// and reproduce the sweep's assignments of the fitted cell; the mapped
// labels are folder names.
func TestFitPredictImageFolder(t *testing.T) {
	dir := t.TempDir()
	root := syntheticFolder(t, filepath.Join(dir, "shapes"), 20, 8)
	cfg := writeConfig(t, dir, `name: shapes
seed: 3
data:
  format: images
  size: 8
grid:
  reducer: [svd]
  components: [3]
  clusters: [4]
  folds: 1
kmeans:
  n_init: 3
`)
	out := filepath.Join(dir, "report")
	if _, stderr, code := runCmd(t, "-q", "-config", cfg, "-data", root, "-out", out, "-assignments"); code != 0 {
		t.Fatal(stderr)
	}
	model := filepath.Join(dir, "model.json")
	if _, stderr, code := runCmd(t, "fit", "-config", cfg, "-data", root, "-cell", "svd-3-4", "-o", model); code != 0 {
		t.Fatal(stderr)
	}
	preds := filepath.Join(dir, "pred.csv")
	if _, stderr, code := runCmd(t, "predict", "-model", model, "-data", root, "-o", preds); code != 0 {
		t.Fatal(stderr)
	}
	want := map[string]string{} // row -> cluster
	for _, r := range readCSV(t, filepath.Join(out, "assignments.csv"))[1:] {
		want[r[2]] = r[5]
	}
	rows := readCSV(t, preds)
	if len(rows) != 61 || len(want) != 60 {
		t.Fatalf("%d predictions, %d assignments; want 60 each", len(rows)-1, len(want))
	}
	names := []string{"circle", "cross", "square"}
	for i, r := range rows[1:] {
		// row,source,cluster,distance,label
		wantSrc := filepath.Join(root, names[i/20], fmt.Sprintf("%03d.png", i%20))
		if r[0] != strconv.Itoa(i) || r[1] != wantSrc {
			t.Fatalf("prediction %d: row %s, source %s; want %d, %s", i, r[0], r[1], i, wantSrc)
		}
		if r[2] != want[r[0]] {
			t.Errorf("row %s: predicted cluster %s, the sweep assigned %s", r[0], r[2], want[r[0]])
		}
		if !slices.Contains(names, r[4]) {
			t.Errorf("row %s: label %q is not a folder name", r[0], r[4])
		}
	}
}

func TestImageFolderReport(t *testing.T) {
	dir := t.TempDir()
	// Byte 0xff in the folder's and the bad file's names: not UTF-8, which
	// data.md and index.html must escape (issue 17 item 8).
	flat := filepath.Join(dir, "flat\xff")
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 30 {
		m := image.NewGray(image.Rect(0, 0, 6, 6))
		for j := range m.Pix {
			m.Pix[j] = uint8(rng.IntN(256))
		}
		writePNG(t, filepath.Join(flat, fmt.Sprintf("img%02d.png", i)), m)
	}
	bad := filepath.Join(flat, "broken\xff.jpg")
	if err := os.WriteFile(bad, []byte("\xff\xd8 not really a JPEG"), 0o644); err != nil {
		t.Fatal(err)
	}
	grid := `name: flat
data:
  size: 6
  on_bad_image: %s
grid:
  components: [2]
  clusters: [3]
  folds: 2
kmeans:
  n_init: 2
`
	out := filepath.Join(dir, "report")
	_, stderr, code := runCmd(t, "-q", "-config", writeConfig(t, dir, fmt.Sprintf(grid, "fail")), "-data", flat, "-out", out)
	if code != 1 || !strings.Contains(stderr, bad+": decode JPEG header") {
		t.Fatalf("on_bad_image fail: exit %d, %q", code, stderr)
	}
	_, stderr, code = runCmd(t, "-q", "-config", writeConfig(t, dir, fmt.Sprintf(grid, "skip")), "-data", flat, "-out", out)
	if code != 0 {
		t.Fatalf("on_bad_image skip: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "sweep: skipped "+bad+": decode JPEG header") || !strings.Contains(stderr, "skipped 1 of 31 image files") {
		t.Errorf("stderr %q", stderr)
	}
	for _, f := range []string{"summary.md", "index.html"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"The data has no labels, so there are no external scores", "1 unreadable image files were skipped"} {
			if !bytes.Contains(b, []byte(s)) {
				t.Errorf("%s lacks %q", f, s)
			}
		}
	}
	checkUnlabelledFolderReport(t, out)
	var m struct {
		Data struct {
			Rows    int      `json:"rows"`
			Skipped []string `json:"skipped"`
		} `json:"data"`
	}
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Data.Rows != 30 || len(m.Data.Skipped) != 1 || !strings.HasPrefix(m.Data.Skipped[0], dataset.ValidUTF8(bad)+": ") {
		t.Errorf("manifest data: %+v", m.Data)
	}
}

// idxFile writes an IDX file of unsigned bytes (MNIST's layout).
func idxFile(t testing.TB, path string, dims []uint32, data []byte) string {
	t.Helper()
	b := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	if err := os.WriteFile(path, append(b, data...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// An IDX pair runs with -labels overriding data.labels, and the labels
// file's absence is an error naming it.
func TestIDXRun(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(9, 10))
	const n, side = 60, 4
	pix := make([]byte, n*side*side)
	lab := make([]byte, n)
	for i := range n {
		lab[i] = byte(i % 3)
		for j := range side * side {
			v := 30 + rng.IntN(40)
			if j%3 == i%3 {
				v += 150
			}
			pix[i*side*side+j] = byte(v)
		}
	}
	imgs := idxFile(t, filepath.Join(dir, "images-idx3-ubyte"), []uint32{n, side, side}, pix)
	labs := idxFile(t, filepath.Join(dir, "labels-idx1-ubyte"), []uint32{n}, lab)
	cfg := writeConfig(t, dir, `name: idx
data:
  format: idx
  balance: min
grid:
  components: [2]
  clusters: [3]
  folds: 2
kmeans:
  n_init: 2
`)
	out := filepath.Join(dir, "report")
	stdout, stderr, code := runCmd(t, "-q", "-config", cfg, "-data", imgs, "-labels", labs, "-out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "best: pca-2-3") {
		t.Errorf("stdout %q", stdout)
	}
	md, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil || !bytes.Contains(md, []byte("Accuracy, majority mapping")) {
		t.Errorf("summary.md has no label scores: %v", err)
	}
	missing := filepath.Join(dir, "nope")
	_, stderr, code = runCmd(t, "-q", "-config", cfg, "-data", imgs, "-labels", missing, "-out", out)
	if code != 1 || !strings.Contains(stderr, missing) {
		t.Errorf("missing labels: exit %d, %q", code, stderr)
	}
}

// An -out inside the image folder made the report's PNGs training images
// on the next run (issue 12, item 6): the sweep and inspect refuse it,
// and a data folder inside -out, before writing anything.
func TestOutInsideImageFolder(t *testing.T) {
	dir := t.TempDir()
	faces := syntheticFolder(t, filepath.Join(dir, "faces"), 5, 6)
	cfg := writeConfig(t, dir, "name: f\ndata: {size: 6}\ngrid: {components: [2], clusters: [3], folds: 1}\nkmeans: {n_init: 1}\n")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(faces, "circle"), link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, out, msg string
		args           []string
	}{
		{"sweep, out in a class folder", filepath.Join(faces, "circle", "report"), "report directory $OUT is inside the data folder $DATA", []string{"-config", cfg}},
		{"sweep, out through a link", filepath.Join(link, "report"), "report directory $OUT is inside the data folder $DATA", []string{"-config", cfg, "-fresh"}},
		{"sweep, data inside out", dir, "data folder $DATA is inside the report directory $OUT", []string{"-config", cfg}},
		{"inspect, out in the folder", filepath.Join(faces, "report"), "report directory $OUT is inside the data folder $DATA", []string{"inspect"}},
		{"inspect, data inside out", dir, "data folder $DATA is inside the report directory $OUT", []string{"inspect"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(tc.args, "-data", faces, "-out", tc.out)
			_, stderr, code := runCmd(t, args...)
			want := strings.NewReplacer("$OUT", tc.out, "$DATA", faces).Replace(tc.msg)
			if code != 1 || !strings.HasPrefix(stderr, "sweep: "+want+": ") {
				t.Errorf("exit %d, %q; want 1 and %q", code, stderr, want)
			}
			if _, err := os.Stat(tc.out); err == nil && tc.out != dir {
				t.Errorf("%s was created", tc.out)
			}
		})
	}
	// Beside the folder is fine.
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", faces, "-out", filepath.Join(dir, "report"), "-q"); code != 0 {
		t.Errorf("out beside the folder: exit %d: %s", code, stderr)
	}
}

// checkUnlabelledFolderReport checks the report of TestImageFolderReport,
// an unlabelled image folder without splits with one skipped file (issue 17
// item 8): valid UTF-8 despite the 0xff bytes in names; no split columns;
// the skipped file counted once, the same in data.md and index.html, and
// no "rows rejected"; no label-shaped pictures (classes.png, a second
// scatter panel) or words ("stratified").
func checkUnlabelledFolderReport(t *testing.T, out string) {
	t.Helper()
	read := func(f string) string {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	md, page, sum := read("data.md"), read("index.html"), read("summary.md")
	for f, text := range map[string]string{"data.md": md, "index.html": page, "summary.md": sum} {
		if !utf8.ValidString(text) {
			t.Errorf("%s is not valid UTF-8", f)
		}
		for _, no := range []string{"PublicTest", "PrivateTest", "Training", "stratified", "rows rejected"} {
			if strings.Contains(text, no) {
				t.Errorf("%s says %q", f, no)
			}
		}
	}
	for _, want := range []string{"# Data: flat\\xff", "unreadable image files skipped (data.on_bad_image: skip): 1", `broken\xff.jpg: decode JPEG header`, "| images |"} {
		if !strings.Contains(md, want) {
			t.Errorf("data.md lacks %q:\n%s", want, md)
		}
	}
	if n := strings.Count(page, "unreadable image files were skipped"); n != 1 {
		t.Errorf("index.html counts the skipped files %d times", n)
	}
	if _, err := os.Stat(filepath.Join(out, "classes.png")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("classes.png of unlabelled data: %v", err)
	}
	if strings.Contains(page, "classes.png") || strings.Contains(page, "true label (right)") {
		t.Error("index.html shows label-shaped pictures")
	}
	scatters, _ := filepath.Glob(filepath.Join(out, "cell_*_scatter.png"))
	if len(scatters) == 0 {
		t.Fatal("no scatter picture")
	}
	f, err := os.Open(scatters[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 960 { // ScatterPNG's one panel; a pair is 1600 wide
		t.Errorf("scatter of unlabelled data is %d pixels wide, want one 960-pixel panel", cfg.Width)
	}
}
