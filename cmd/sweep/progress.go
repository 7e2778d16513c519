package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"sweep/experiments"
)

// Progress reporting intervals.
const (
	redrawEvery = 100 * time.Millisecond // terminal: the bar is redrawn at most this often
	lineEvery   = 5 * time.Second        // not a terminal: a line at least this often while cells finish...
	lineSteps   = 10                     // ...and one each time another 1/lineSteps of the cells is done
	barWidth    = 24                     // terminal: characters of the bar
)

// progress reports finished cells on w: on a terminal one redrawn line
//
//	[#########---------------]  14/36  pca-3-6/fold1  elapsed 2.1s  ETA 3.3s
//
// and otherwise plain lines (no carriage returns, no escape codes), one
// when another 10% of the cells is done or 5 s have passed since the last.
// The ETA assumes the remaining cells take as long as the finished ones
// did on average: elapsed * (total - done) / done.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	total    int
	terminal bool
	quiet    bool
	now      func() time.Time
	start    time.Time

	done     int
	last     string    // the cell just finished
	drawn    time.Time // when a bar or line was last written
	step     int       // lineSteps-ths of the cells reported so far
	dirty    bool      // terminal: a finished cell not yet drawn
	anyDrawn bool      // terminal: the bar is on screen

	// log, when set (-v), receives each cell's stage timings.
	log *slog.Logger
}

// newProgress returns a progress report of total cells to w, redrawn in
// place when isTerminal, silent when quiet.
func newProgress(w io.Writer, total int, isTerminal, quiet bool) *progress {
	now := time.Now()
	return &progress{w: w, total: total, terminal: isTerminal, quiet: quiet, now: time.Now, start: now, drawn: now}
}

// isTerminal reports whether w is a character device, such as a terminal
// (os.File.Stat, ModeCharDevice).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Done records the finished cell r. It is safe for concurrent use.
func (p *progress) Done(r *experiments.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.last = r.Key()
	if p.log != nil {
		p.log.Info("cell", "key", r.Key(), "kmeans_s", r.KMeansSeconds, "silhouette_s", r.SilhouetteSeconds,
			"total_s", r.Seconds, "iterations", r.Iterations)
	}
	if p.quiet {
		return
	}
	now := p.now()
	if p.terminal {
		p.dirty = true
		if p.done == p.total || now.Sub(p.drawn) >= redrawEvery {
			p.drawBar(now)
		}
		return
	}
	step := p.done * lineSteps / max(p.total, 1)
	if step > p.step || now.Sub(p.drawn) >= lineEvery {
		p.step = step
		p.drawn = now
		fmt.Fprintf(p.w, "sweep: %d/%d cells (%d%%), last %s, elapsed %s, ETA %s\n",
			p.done, p.total, 100*p.done/max(p.total, 1), p.last, p.elapsed(now), p.eta(now))
	}
}

// drawBar redraws the terminal line.
func (p *progress) drawBar(now time.Time) {
	filled := barWidth * p.done / max(p.total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %*d/%d  %s  elapsed %s  ETA %s\x1b[K",
		strings.Repeat("#", filled), strings.Repeat("-", barWidth-filled),
		len(fmt.Sprint(p.total)), p.done, p.total, p.last, p.elapsed(now), p.eta(now))
	p.drawn, p.dirty, p.anyDrawn = now, false, true
}

func (p *progress) elapsed(now time.Time) string {
	return now.Sub(p.start).Round(100 * time.Millisecond).String()
}

func (p *progress) eta(now time.Time) string {
	if p.done == 0 {
		return "?"
	}
	left := now.Sub(p.start) * time.Duration(p.total-p.done) / time.Duration(p.done)
	return left.Round(100 * time.Millisecond).String()
}

// Finish ends the report: on a terminal it draws the last state and ends
// the line. Call it once, after the last Done.
func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quiet || !p.terminal {
		return
	}
	if p.dirty {
		p.drawBar(p.now())
	}
	if p.anyDrawn {
		fmt.Fprintln(p.w)
	}
}

// logStages writes the shared stages' timings (-v) to l.
func logStages(l *slog.Logger, loadSeconds float64, stages []experiments.StageTiming) {
	l.Info("stage", "name", "load", "seconds", loadSeconds)
	for _, s := range stages {
		l.Info("stage", "name", s.Stage, "seconds", s.Seconds)
	}
}
