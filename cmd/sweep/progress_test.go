package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sweep/experiments"
)

// fakeClock advances by step on every reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func testResult(i int) *experiments.Result {
	return &experiments.Result{Cell: experiments.Cell{Reducer: "pca", Components: 2, Clusters: 5 + i%3, Fold: i % 4}}
}

// feed reports n finished cells to a progress of total cells whose clock
// advances by step per cell, and returns what it wrote.
func feed(total, n int, step time.Duration, terminal, quiet bool) string {
	var b bytes.Buffer
	p := newProgress(&b, total, terminal, quiet)
	clock := &fakeClock{t: p.start, step: step}
	p.now = clock.now
	for i := range n {
		p.Done(testResult(i))
	}
	p.Finish()
	return b.String()
}

func TestProgressPlain(t *testing.T) {
	for _, tc := range []struct {
		name        string
		total, n    int
		step        time.Duration
		lines       int
		first, last string
	}{
		// Fast cells: a line per 10% of 40 cells, i.e. every 4th.
		{"every 10%", 40, 40, 10 * time.Millisecond, 10,
			"sweep: 4/40 cells (10%), last pca-2-5/fold3, elapsed 0s, ETA 400ms", // 40 ms x 36/4 = 360 ms, rounded
			"sweep: 40/40 cells (100%), last pca-2-5/fold3, elapsed 400ms, ETA 0s"},
		// Slow cells, 1 s each: a line every 5 s, plus one per 10% (100 cells).
		{"every 5 s", 1000, 30, time.Second, 6,
			"sweep: 5/1000 cells (0%), last pca-2-6/fold0, elapsed 5s, ETA 16m35s", // 5 s x 995/5 = 995 s
			"sweep: 30/1000 cells (3%), last pca-2-7/fold1, elapsed 30s, ETA 16m10s"},
		// Fewer cells than steps: a line per cell.
		{"3 cells", 3, 3, time.Millisecond, 3, "sweep: 1/3 cells (33%)", "sweep: 3/3 cells (100%)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := feed(tc.total, tc.n, tc.step, false, false)
			if strings.ContainsAny(out, "\r\x1b") {
				t.Errorf("plain output holds a carriage return or escape code: %q", out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != tc.lines {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), tc.lines, out)
			}
			if !strings.HasPrefix(lines[0], tc.first) || !strings.HasPrefix(lines[len(lines)-1], tc.last) {
				t.Errorf("first %q, last %q; want %q, %q", lines[0], lines[len(lines)-1], tc.first, tc.last)
			}
		})
	}
}

func TestProgressTerminal(t *testing.T) {
	out := feed(8, 8, 50*time.Millisecond, true, false)
	// Redrawn at most every 100 ms: at 100, 200, 300 and 400 ms (cells 2,
	// 4, 6, 8).
	if got := strings.Count(out, "\r"); got != 4 {
		t.Errorf("%d redraws, want 4: %q", got, out)
	}
	want := "\r[########################] 8/8  pca-2-6/fold3  elapsed 400ms  ETA 0s\x1b[K\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("ends %q, want %q", out[strings.LastIndex(out, "\r"):], want)
	}
	if mid := "\r[############------------] 4/8  pca-2-5/fold3  elapsed 200ms  ETA 200ms\x1b[K"; !strings.Contains(out, mid) {
		t.Errorf("%q does not contain %q", out, mid)
	}
	// An interrupted run draws its last state at Finish (the clock's 4th
	// reading, 40 ms: ETA 40 ms x 5/3, rounded) and ends the line.
	if out := feed(8, 3, 10*time.Millisecond, true, false); out != "\r[#########---------------] 3/8  pca-2-7/fold2  elapsed 0s  ETA 100ms\x1b[K\n" {
		t.Errorf("interrupted: %q", out)
	}
}

func TestProgressQuiet(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		if out := feed(10, 10, time.Second, terminal, true); out != "" {
			t.Errorf("terminal %v: quiet progress wrote %q", terminal, out)
		}
	}
}

func TestProgressConcurrent(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 400, false, false)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				p.Done(testResult(g*50 + i))
			}
		}()
	}
	wg.Wait()
	p.Finish()
	if p.done != 400 || !strings.Contains(b.String(), "sweep: 400/400 cells (100%)") {
		t.Errorf("done %d, output %q", p.done, b.String())
	}
}

func TestProgressVerbose(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(io.Discard, 2, false, true)
	p.log = slog.New(slog.NewTextHandler(&b, nil))
	r := testResult(0)
	r.KMeansSeconds, r.SilhouetteSeconds, r.Seconds = 0.25, 0.125, 0.5
	p.Done(r)
	logStages(p.log, 1.5, []experiments.StageTiming{{Stage: "reduce/fold0/pca", Seconds: 0.75}})
	for _, want := range []string{
		"msg=cell key=pca-2-5/fold0 kmeans_s=0.25 silhouette_s=0.125 total_s=0.5",
		"msg=stage name=load seconds=1.5",
		"msg=stage name=reduce/fold0/pca seconds=0.75",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("log %q does not contain %q", b.String(), want)
		}
	}
}

// TestProgressPipe runs a sweep with standard error on a pipe, as in CI:
// the progress must come as plain lines, and -q must silence it.
func TestProgressPipe(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	for _, tc := range []struct {
		name  string
		flags []string
		want  []string
		not   []string
	}{
		{"default", nil, []string{"sweep: 36 cells on", "sweep: 36/36 cells (100%), last "}, []string{"msg=stage"}},
		{"verbose", []string{"-v"}, []string{"sweep: 36/36 cells (100%)", "msg=cell key=", "msg=stage name=load"}, nil},
		{"quiet", []string{"-q"}, nil, []string{"sweep: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			if isTerminal(w) {
				t.Fatal("a pipe is taken for a terminal")
			}
			got := make(chan string)
			go func() {
				b, _ := io.ReadAll(r)
				got <- string(b)
			}()
			var stdout bytes.Buffer
			args := append([]string{"-config", cfg, "-data", data, "-out", filepath.Join(dir, tc.name)}, tc.flags...)
			err = run(context.Background(), args, &stdout, w)
			if cerr := w.Close(); cerr != nil {
				t.Fatal(cerr)
			}
			stderr := <-got
			r.Close()
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			if strings.ContainsAny(stderr, "\r\x1b") {
				t.Errorf("standard error holds a carriage return or escape code: %q", stderr)
			}
			for _, s := range tc.want {
				if !strings.Contains(stderr, s) {
					t.Errorf("standard error does not contain %q:\n%s", s, stderr)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(stderr, s) {
					t.Errorf("standard error contains %q:\n%s", s, stderr)
				}
			}
			if !strings.Contains(stdout.String(), "report: ") {
				t.Errorf("stdout %q", stdout.String())
			}
		})
	}
}
