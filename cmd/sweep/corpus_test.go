package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sweep/experiments/store"
	"sweep/internal/dirlock"
)

var printCorpus = flag.Bool("print-corpus", false, "print every corpus case's actual message")

// goodRows returns n labelled rows per class of 4x4 images.
func goodRows(classes, n int) []string {
	var rows []string
	usages := []string{"Training", "PublicTest", "PrivateTest"}
	for c := 0; c < classes; c++ {
		for i := 0; i < n; i++ {
			px := make([]string, 16)
			for j := range px {
				px[j] = fmt.Sprint((c*37 + i*11 + j*5) % 256)
			}
			rows = append(rows, fmt.Sprintf("%d,%s,%s", c, strings.Join(px, " "), usages[i%3]))
		}
	}
	return rows
}

const header = "emotion,pixels,Usage"

func csvOf(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func gzipOf(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

const corpusGrid = `name: corpus
data: {balance: min}
grid: {reducer: [pca], components: [2], clusters: [2, 3], folds: 3}
kmeans: {n_init: 2}
`

// TestBadInputCorpus feeds the command every kind of bad input a user may
// have and checks the exact message and exit status of each. $DIR stands
// for the case's temporary directory.
func TestBadInputCorpus(t *testing.T) {
	good := append([]string{header}, goodRows(3, 12)...)
	row := func(s string) []string { return append(append([]string{}, good[:3]...), s) }
	const px16 = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"
	for _, tc := range []struct {
		name   string
		data   []byte // nil: the good file
		config string // "": corpusGrid
		args   []string
		setup  func(t *testing.T, dir string) // before the run, e.g. a report directory's state
		code   int
		msg    string
	}{
		// Data files.
		{name: "empty file", data: []byte{}, code: 1, msg: "sweep: $DIR/data.csv: empty file"},
		{name: "header only", data: []byte(header + "\n"), code: 1, msg: "sweep: $DIR/data.csv: no data rows"},
		{name: "missing pixels column", data: []byte(csvOf("emotion,Usage", "0,Training")), code: 1, msg: `sweep: $DIR/data.csv:1: header: missing column "pixels"`},
		{name: "unknown column", data: []byte(csvOf("emotion,pixels,Usage,extra", "0,"+px16+",Training,x")), code: 1, msg: `sweep: $DIR/data.csv:1: header: unknown column "extra" (want emotion, pixels or Usage)`},
		{name: "wrong field count", data: []byte(csvOf(row("0," + px16)...)), code: 1, msg: "sweep: $DIR/data.csv:4: 2 fields, want 3"},
		{name: "too few pixels", data: []byte(csvOf(row("0,1 2 3,Training")...)), code: 1, msg: "sweep: $DIR/data.csv:4: pixels: 3 values, want 16 (as line 2)"},
		{name: "too many pixels", data: []byte(csvOf(row("0," + px16 + " 17,Training")...)), code: 1, msg: "sweep: $DIR/data.csv:4: pixels: 17 values, want 16 (as line 2)"},
		{name: "not a square", data: []byte(csvOf(header, "0,1 2 3,Training")), code: 1, msg: "sweep: $DIR/data.csv:2: pixels: 3 values is not a perfect square"},
		{name: "pixel 256", data: []byte(csvOf(row("0,1 2 3 4 5 6 7 8 9 10 11 256 13 14 15 16,Training")...)), code: 1, msg: "sweep: $DIR/data.csv:4: pixels: value 256 out of range 0..255 (pixel 11)"},
		{name: "pixel -1", data: []byte(csvOf(row("0,-1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16,Training")...)), code: 1, msg: "sweep: $DIR/data.csv:4: pixels: value -1 out of range 0..255 (pixel 0)"},
		{name: "pixel 3.5", data: []byte(csvOf(row("0,1 2 3.5 4 5 6 7 8 9 10 11 12 13 14 15 16,Training")...)), code: 1, msg: `sweep: $DIR/data.csv:4: pixels: "3.5" is not an integer (pixel 2)`},
		{name: "pixel text", data: []byte(csvOf(row("0,1 2 x 4 5 6 7 8 9 10 11 12 13 14 15 16,Training")...)), code: 1, msg: `sweep: $DIR/data.csv:4: pixels: "x" is not an integer (pixel 2)`},
		{name: "label not an integer", data: []byte(csvOf(row("happy," + px16 + ",Training")...)), code: 1, msg: `sweep: $DIR/data.csv:4: emotion: "happy" is not an integer`},
		{name: "label 2.0", data: []byte(csvOf(row("2.0," + px16 + ",Training")...)), code: 1, msg: `sweep: $DIR/data.csv:4: emotion: "2.0" is not an integer`},
		{name: "unknown usage", data: []byte(csvOf(row("0," + px16 + ",Test")...)), code: 1, msg: `sweep: $DIR/data.csv:4: Usage: unknown value "Test" (want Training, PublicTest or PrivateTest)`},
		{name: "truncated gzip", data: gzipOf(csvOf(good...))[:200], code: 1, msg: "sweep: $DIR/data.csv: gzip: unexpected EOF"},
		{name: "not CSV at all", data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary"), code: 1, msg: `sweep: $DIR/data.csv:1: this looks like a PNG image, not a CSV file (an image folder is read as a folder: pass its directory)`},
		{name: "missing file", data: nil, args: []string{"-data", "$DIR/nope.csv"}, code: 1, msg: "sweep: open $DIR/nope.csv: no such file or directory (" + ferSourceMsg + ")"},

		// Configs.
		{name: "unknown key", config: "name: x\ncolour: red\n", code: 1, msg: `sweep: $DIR/grid.yaml:2: colour: unknown field (want one of: name, seed, data, grid, kmeans, silhouette, gap, features, gmm, workers, report, mapping)`},
		{name: "wrong type", config: "grid:\n  folds: three\n", code: 1, msg: `sweep: $DIR/grid.yaml:2: grid.folds: "three" is not an integer`},
		{name: "components above pixels", config: strings.Replace(corpusGrid, "components: [2]", "components: [20]", 1), code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.components: 20 is more than the 16 pixels of an image"},
		{name: "components above training rows", data: []byte(csvOf(append([]string{header}, goodRows(2, 3)...)...)), config: strings.Replace(corpusGrid, "components: [2]", "components: [5]", 1), code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.components: 5 is more than the 4 training rows of a fold"},
		{name: "clusters below 2", config: strings.Replace(corpusGrid, "clusters: [2, 3]", "clusters: [1]", 1), code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.clusters: 1 is below 2"},
		{name: "clusters above fold rows", config: strings.Replace(corpusGrid, "clusters: [2, 3]", "clusters: [30]", 1), code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.clusters: 30 is more than the 24 training rows of a fold"},
		{name: "balance empties a class", config: strings.Replace(corpusGrid, "data: {balance: min}", "data: {balance: min, usage: [PublicTest]}", 1), data: []byte(csvOf(append(append([]string{header}, goodRows(2, 6)...), "2,"+px16+",Training")...)), code: 1, msg: "sweep: $DIR/grid.yaml:2: data.balance: class 2 has no rows in data.usage [PublicTest]"},
		{name: "folds above smallest class", config: strings.Replace(corpusGrid, "folds: 3", "folds: 13", 1), code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.folds: 13 is more than the 12 rows of class 0"},
		{name: "empty grid", config: strings.Replace(corpusGrid, "components: [2]", "components: []", 1), code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.components: empty"},
		{name: "negative n_init", config: strings.Replace(corpusGrid, "n_init: 2", "n_init: -1", 1), code: 1, msg: "sweep: $DIR/grid.yaml:4: kmeans.n_init: -1 is below 1"},
		{name: "workers below 0", args: []string{"-workers", "-1"}, code: 2, msg: "sweep: workers: -1 is below 0"},
		{name: "shards below 0", args: []string{"-shards", "-2"}, code: 2, msg: "sweep: -shards: -2 is not a shard count"},
		{name: "shards without a scheduler index", args: []string{"-shards", "4"}, code: 2, msg: "sweep: -shards needs SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); use -shard i/N otherwise"},
		{name: "shard and shards disagree", args: []string{"-shard", "1/2", "-shards", "4"}, code: 2, msg: "sweep: -shard 1/2 and -shards 4 disagree on the shard count"},
		// Configs that overflowed, truncated or reached the store as +Inf (issue 12, item 4).
		{name: "folds 2.5", config: strings.Replace(corpusGrid, "folds: 3", "folds: 2.5", 1), code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.folds: 2.5 is not an integer"},
		{name: "seed 1.5", config: corpusGrid + "seed: 1.5\n", code: 1, msg: "sweep: $DIR/grid.yaml:5: seed: 1.5 is not an integer"},
		{name: "n_init 2.9", config: strings.Replace(corpusGrid, "n_init: 2", "n_init: 2.9", 1), code: 1, msg: "sweep: $DIR/grid.yaml:4: kmeans.n_init: 2.9 is not an integer"},
		{name: "mapping fold 0.5", config: corpusGrid + "mapping: [{cell: pca-2-2, fold: 0.5, clusters: {0: Angry}}]\n", code: 1, msg: "sweep: $DIR/grid.yaml:5: mapping[0].fold: 0.5 is not an integer"},
		{name: "tol inf", config: strings.Replace(corpusGrid, "n_init: 2", "n_init: 2, tol: .inf", 1), code: 1, msg: "sweep: $DIR/grid.yaml:4: kmeans.tol: +Inf is not a finite number"},
		{name: "tol nan", config: strings.Replace(corpusGrid, "n_init: 2", "n_init: 2, tol: .nan", 1), code: 1, msg: "sweep: $DIR/grid.yaml:4: kmeans.tol: NaN is not a finite number"},
		{name: "range wraps int64", config: strings.Replace(corpusGrid, "clusters: [2, 3]", "clusters: {from: -9223372036854775808, to: 9223372036854775807}", 1), args: []string{"-dry-run"}, code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.clusters: range from -9223372036854775808 to 9223372036854775807 has more than 65536 values"},
		{name: "range to MaxInt64", config: strings.Replace(corpusGrid, "clusters: [2, 3]", "clusters: {from: 9223372036854000000, to: 9223372036854775807}", 1), args: []string{"-dry-run"}, code: 1, msg: "sweep: $DIR/grid.yaml:3: grid.clusters: range from 9223372036854000000 to 9223372036854775807 has more than 65536 values"},
		{name: "config over 1 MiB", config: corpusGrid + strings.Repeat("#", 1<<20), code: 1, msg: "sweep: read config: $DIR/grid.yaml is larger than 1 MiB, the limit for a config file"},
		// Data past data.max_bytes (item 9): 36 rows of 16 pixels are 2304 bytes as float32.
		{name: "data past max_bytes", config: strings.Replace(corpusGrid, "balance: min", "balance: min, max_bytes: 1000", 1), code: 1, msg: "sweep: $DIR/data.csv:17: 16 images of 16 pixels up to this line need 1.0 kB as float32, more than data.max_bytes (1.0 kB); raise data.max_bytes or use fewer or smaller images"},
		{name: "gzip past max_bytes", data: gzipOf(csvOf(good...)), config: strings.Replace(corpusGrid, "balance: min", "balance: min, max_bytes: 2303", 1), code: 1, msg: "sweep: $DIR/data.csv:37: 36 images of 16 pixels up to this line need 2.3 kB as float32, more than data.max_bytes (2.3 kB); raise data.max_bytes or use fewer or smaller images"},
		{name: "max_bytes below 0", config: strings.Replace(corpusGrid, "balance: min", "balance: min, max_bytes: -1", 1), code: 1, msg: "sweep: $DIR/grid.yaml:2: data.max_bytes: -1 is below 0 (0 means half of the physical memory)"},
		{name: "max_bytes 1.5e9", config: strings.Replace(corpusGrid, "balance: min", "balance: min, max_bytes: 1.5e9", 1), code: 1, msg: "sweep: $DIR/grid.yaml:2: data.max_bytes: 1.5e9 is not an integer"},
		// -out and an image folder inside each other (item 6); $DIR is a folder.
		{name: "out inside the image folder", args: []string{"-data", "$DIR", "-out", "$DIR/report"}, code: 1, msg: "sweep: report directory $DIR/report is inside the data folder $DIR: its images would be read as data on the next run; choose an -out outside it"},
		{name: "image folder inside out", args: []string{"-data", "$DIR", "-out", "$DIR/.."}, code: 1, msg: "sweep: data folder $DIR is inside the report directory $DIR/..: the report's images would be read as data on the next run; choose an -out that does not contain it"},
		{name: "report dir not writable", args: []string{"-out", "$DIR/data.csv/report"}, code: 1, msg: "sweep: create report directory $DIR/data.csv/report: mkdir $DIR/data.csv: not a directory"},

		// NumPy matrices (issue 14): 36 rows of 16 values, the good file's pixels.
		{name: "npy wrong dtype", setup: file("x.npy", npyOf("<i8", "(36, 16)", make([]byte, 36*16*8))), args: []string{"-data", "$DIR/x.npy"}, code: 1, msg: "sweep: $DIR/x.npy: dtype int64 ('<i8'); want float32 or float64"},
		{name: "npy 3-D", setup: file("x.npy", npyOf("<f4", "(36, 4, 4)", f32le(make([]float32, 36*16)...))), args: []string{"-data", "$DIR/x.npy"}, code: 1, msg: "sweep: $DIR/x.npy: shape (36, 4, 4) is 3-D; want a 2-D matrix (rows, columns)"},
		{name: "npy NaN", setup: file("x.npy", npyOf("<f4", "(36, 16)", f32le(withNaN(36*16, 5*16+3)...))), args: []string{"-data", "$DIR/x.npy"}, code: 1, msg: "sweep: $DIR/x.npy: row 5: x[5, 3] is NaN; want finite float32 values"},
		{name: "npy truncated", setup: file("x.npy", npyOf("<f4", "(36, 16)", f32le(make([]float32, 36*16)...))[:500]), args: []string{"-data", "$DIR/x.npy"}, code: 1, msg: "sweep: $DIR/x.npy: truncated: shape (36, 16) needs 2304 bytes of data, the file holds 372 (row 5 is cut short)"},
		{name: "npy label count", setup: both(file("x.npy", npyOf("<f4", "(36, 16)", f32le(make([]float32, 36*16)...))), file("y.npy", npyOf("<i8", "(35,)", make([]byte, 35*8)))), args: []string{"-data", "$DIR/x.npy", "-labels", "$DIR/y.npy"}, code: 1, msg: "sweep: $DIR/y.npy: 35 labels for the 36 rows of $DIR/x.npy"},
		{name: "npy images count", setup: file("x.npy", npyOf("<f4", "(35, 16)", f32le(make([]float32, 35*16)...))), args: []string{"-data", "$DIR/x.npy", "data.images=$DIR/data.csv"}, code: 1, msg: "sweep: open $DIR/x.npy: 35 rows, and the image source $DIR/data.csv has 36 images; want one image per row, in the same order"},
		{name: "npy hog without images", setup: both(file("x.npy", npyOf("<f4", "(36, 16)", f32le(ramp(36*16)...))), file("y.npy", npyOf("|u1", "(36,)", bytes.Repeat([]byte{0, 1, 2}, 12)))), args: []string{"-data", "$DIR/x.npy", "-labels", "$DIR/y.npy", "grid.features=[pixels,hog]"}, code: 1, msg: "sweep: $DIR/grid.yaml: features=hog: grid.features: hog needs images, and $DIR/x.npy is a NumPy matrix without images: name the matching images (a CSV file, an image folder or an IDX file, in the same row order) in data.images"},

		// Report directories and their stores.
		{name: "report dir in use", setup: holdLock, code: 1, msg: "sweep: $DIR/out is in use by another sweep (pid $PID); wait for it or use another -out"},
		{name: "store of version 1", setup: storeHeader(`{"version":1,"fingerprint":"x","config":{},"cells":6,"shard":0,"shards":1}`), code: 1, msg: "sweep: $DIR/out/cells.jsonl:1: results store version 1, this sweep reads 5; use -fresh"},
		{name: "store header not JSON", setup: storeHeader("x"), code: 1, msg: "sweep: $DIR/out/cells.jsonl:1: not a results store header: invalid character 'x' looking for beginning of value"},
		{name: "store header edited", setup: storeHeader(`{"version":5,"fingerprint":"x","config":{},"cells":6,"shard":0,"shards":1}`), code: 1, msg: "sweep: $DIR/out/cells.jsonl:1: the header's fingerprint does not match its config and data (the header was edited or damaged); use -fresh"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			data := tc.data
			if data == nil {
				data = []byte(csvOf(good...))
			}
			if err := os.WriteFile(filepath.Join(dir, "data.csv"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			config := tc.config
			if config == "" {
				config = corpusGrid
			}
			if err := os.WriteFile(filepath.Join(dir, "grid.yaml"), []byte(config), 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			args := []string{"-config", filepath.Join(dir, "grid.yaml"), "-data", filepath.Join(dir, "data.csv"), "-out", filepath.Join(dir, "out"), "-q"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "$DIR", dir))
			}
			_, stderr, code := runCmd(t, args...)
			got := strings.TrimSpace(strings.ReplaceAll(stderr, dir, "$DIR"))
			got = strings.ReplaceAll(got, fmt.Sprintf("(pid %d)", os.Getpid()), "(pid $PID)")
			if *printCorpus {
				t.Logf("exit %d: %s", code, got)
			}
			if code != tc.code {
				t.Errorf("exit %d, want %d (%s)", code, tc.code, got)
			}
			if got != tc.msg {
				t.Errorf("message\n  %s\nwant\n  %s", got, tc.msg)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("a stack trace reached the user: %s", stderr)
			}
			// Nothing half-written: no tables without a complete run.
			if _, err := os.Stat(filepath.Join(dir, "out", "results.csv")); err == nil {
				t.Errorf("results.csv written by a failed run")
			}
		})
	}
}

// npyOf returns a .npy file (version 1.0) with this descr and shape
// (as NumPy writes them) and data.
func npyOf(descr, shape string, data []byte) []byte {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
	n := 10 + len(dict) + 1
	hdr := dict + strings.Repeat(" ", (64-n%64)%64) + "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)), byte(len(hdr)>>8))
	return append(append(b, hdr...), data...)
}

// f32le returns v as little-endian float32 bytes.
func f32le(v ...float32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

// withNaN returns n grey levels with a NaN at index i.
func withNaN(n, i int) []float32 {
	v := make([]float32, n)
	for j := range v {
		v[j] = float32(j % 256)
	}
	v[i] = float32(math.NaN())
	return v
}

// ramp returns 0, 0.5, 1, ...: n distinct values, rows of them distinct.
func ramp(n int) []float32 {
	v := make([]float32, n)
	for j := range v {
		v[j] = float32(j) / 2
	}
	return v
}

// file writes b to $DIR/name before the run.
func file(name string, b []byte) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// both runs two setups.
func both(a, b func(t *testing.T, dir string)) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) { a(t, dir); b(t, dir) }
}

// holdLock holds the report directory $DIR/out until the test ends, as a
// running sweep would.
func holdLock(t *testing.T, dir string) {
	l, err := dirlock.Acquire(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Release)
}

// storeHeader puts a store with this header line into $DIR/out.
func storeHeader(line string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		out := filepath.Join(dir, "out")
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, store.File), []byte(line+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFailurePartWay makes the report fail part-way: a directory stands
// where summary.md must go, so its rename fails after results.csv and
// summary.csv are in place. The error names the file, the tables written
// are complete, and no temporary file is left.
func TestFailurePartWay(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	ref := filepath.Join(dir, "ref")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", ref, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Join(out, "summary.md", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q")
	if code != 1 || !strings.Contains(stderr, "write "+filepath.Join(out, "summary.md")+": ") {
		t.Fatalf("exit %d, %q; want an error naming summary.md", code, stderr)
	}
	for _, name := range []string{"results.csv", "summary.csv"} {
		a, _ := os.ReadFile(filepath.Join(ref, name))
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: %v, or not the complete table", name, err)
		}
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != dirlock.File {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	// Unblocked, the same command finishes from the store without recomputing.
	if err := os.RemoveAll(filepath.Join(out, "summary.md")); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out); code != 0 || !strings.Contains(stderr, "resuming: 36 of 36 cells") {
		t.Fatalf("rerun: exit %d, %q", code, stderr)
	}
	sameTables(t, ref, out)
}

// TestOddButValidData: exact duplicates, constant images, a constant pixel
// column and k above the number of distinct points all run, and are
// recorded rather than crashing.
func TestOddButValidData(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	// Class 0: one image repeated 10 times (3 distinct points with class 1).
	// Class 1: two constant images, 5 copies each. Pixel 0 is 9 everywhere.
	for i := 0; i < 10; i++ {
		lines = append(lines, "0,9 200 10 30 40 50 60 70 80", "1,9 0 0 0 0 0 0 0 0")
		if i%2 == 0 {
			lines[len(lines)-1] = "1,9 255 255 255 255 255 255 255 255"
		}
	}
	data := filepath.Join(dir, "odd.csv")
	if err := os.WriteFile(data, []byte(csvOf(append([]string{"emotion,pixels"}, lines...)...)), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, "name: odd\ngrid: {reducer: [pca, svd], components: [2], clusters: [2, 5], folds: 2}\nkmeans: {n_init: 2}\n")
	out := filepath.Join(dir, "out")
	stdout, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	// Identical images share a fold: fold 0 holds the class-0 image and
	// one class-1 image (15 rows), fold 1 the other class-1 image (5), so
	// k = 5 finds as many non-empty clusters as the training rows have
	// distinct images: 1 for fold 0, 2 for fold 1.
	distinct := map[string]string{"0": "1", "1": "2"}
	for _, r := range rows[1:] {
		if want := distinct[r[col["fold"]]]; r[col["clusters"]] == "5" && r[col["nonempty"]] != want {
			t.Errorf("%v: nonempty %s, want %s (distinct training images)", r, r[col["nonempty"]], want)
		}
	}
	md, err := os.ReadFile(filepath.Join(out, "data.md"))
	if err != nil {
		t.Fatal(err)
	}
	// 20 rows, 3 distinct images: 17 duplicates; the 10 class-1 rows are constant but for pixel 0.
	for _, want := range []string{"exact duplicates (pixels repeat an earlier row): 17", "near-constant images (pixel sd below 2 grey levels): 0"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("data.md lacks %q:\n%s", want, md)
		}
	}
}

// CRLF line endings and a missing or present trailing newline must work,
// and give the same results as the plain file.
func TestLineEndingsWork(t *testing.T) {
	lines := append([]string{header}, goodRows(3, 12)...)
	var ref []byte
	for _, tc := range []struct{ name, text string }{
		{"lf", strings.Join(lines, "\n") + "\n"},
		{"crlf", strings.Join(lines, "\r\n") + "\r\n"},
		{"no final newline", strings.Join(lines, "\n")},
		{"crlf gzip", string(gzipOf(strings.Join(lines, "\r\n")))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "data.csv")
			if err := os.WriteFile(data, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := writeConfig(t, dir, corpusGrid)
			out := filepath.Join(dir, "out")
			if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q"); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(filepath.Join(out, "results.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = b
			} else if !bytes.Equal(ref, b) {
				t.Error("results differ from the LF file's")
			}
		})
	}
}
