package dataset

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOpenContextCancelled checks that OpenContext returns ctx.Err() for
// every format when its context has ended, and when it ends during a read
// blocked on a FIFO whose writer stalls (plain or gzip), which only
// closing the file can end.
func TestOpenContextCancelled(t *testing.T) {
	dir := t.TempDir()
	csv := writeFile(t, dir, "a.csv", []byte("emotion,pixels\n0,1 2 3 4\n"))
	img := filepath.Join(dir, "img")
	writeFile(t, img, "a/1.png", encodePNG(t, greyImage(4, 4, func(x, y int) uint8 { return uint8(x * y) })))
	images, labels := idxPair(3, 2)
	idx := writeFile(t, dir, "x.idx", images)
	lab := writeFile(t, dir, "y.idx", labels)
	for _, src := range []Source{{Path: csv}, {Path: img}, {Path: idx, Labels: lab}} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if d, err := OpenContext(ctx, src); !errors.Is(err, context.Canceled) || d != nil {
			t.Errorf("%s: got %v, %v; want nil, context.Canceled", src.Path, d, err)
		}
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("emotion,pixels\n0,1 2 3 4\n"))
	zw.Flush() // a valid prefix, then the writer stalls
	for _, tt := range []struct {
		name   string
		prefix []byte
		src    Source
	}{
		{"csv", []byte("emotion,pixels\n0,1 2 3 4\n"), Source{}},
		{"gzip", gz.Bytes(), Source{}},
		{"idx", images[:10], Source{Format: FormatIDX}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "fifo")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type res struct {
				d   *Dataset
				err error
			}
			ch := make(chan res, 1)
			src := tt.src
			src.Path = fifo
			go func() {
				d, err := OpenContext(ctx, src)
				ch <- res{d, err}
			}()
			w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for the reader
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if _, err := w.Write(tt.prefix); err != nil {
				t.Fatal(err)
			}
			select {
			case r := <-ch:
				t.Fatalf("returned %v, %v before the cancellation", r.d, r.err)
			case <-time.After(50 * time.Millisecond): // blocked in a read
			}
			cancel()
			select {
			case r := <-ch:
				if !errors.Is(r.err, context.Canceled) || r.d != nil {
					t.Errorf("got %v, %v; want nil, context.Canceled", r.d, r.err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("still reading 10 s after the cancellation")
			}
		})
	}
}
