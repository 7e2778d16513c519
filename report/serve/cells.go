package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/internal/atomicfile"
	"sweep/report"
)

// loadedRun is a run whose data is in memory, ready to draw cells.
type loadedRun struct {
	name, stamp string
	sweep       *experiments.Sweep
}

// maxCellQuery bounds the cell named in a query: the longest real names
// (several axes) are under 200 characters.
const maxCellQuery = 512

// parseCell reads the ?cell= value, a cell key such as pca-2-5/fold1 (the
// fold defaults to 0), with experiments.ParseCell, and checks that the
// cell is in the run's grid. Every problem is a 400 with a message.
func parseCell(rn *run, q string) (experiments.Cell, error) {
	switch {
	case q == "":
		return experiments.Cell{}, errorf(http.StatusBadRequest, "name a cell: ?cell=pca-2-5/fold0")
	case len(q) > maxCellQuery:
		return experiments.Cell{}, errorf(http.StatusBadRequest, "cell name of %d bytes: too long", len(q))
	}
	c, _, err := experiments.ParseCell(q)
	if err != nil {
		return experiments.Cell{}, errorf(http.StatusBadRequest, "%v", err)
	}
	if !slices.Contains(rn.Cells, c) {
		return experiments.Cell{}, errorf(http.StatusBadRequest, "cell %s is not in the grid of run %s (the run page lists its cells and folds)", c.Key(), rn.Name)
	}
	return c, nil
}

// loadSweep returns the run's sweep with its data loaded: from memory, or
// read again from the data file its store names, which must still have
// the sha256 the run read.
func (s *Server) loadSweep(rn *run) (*experiments.Sweep, error) {
	s.mu.Lock()
	for _, l := range s.loaded {
		if l.name == rn.Name && l.stamp == rn.stamp {
			s.mu.Unlock()
			return l.sweep, nil
		}
	}
	s.mu.Unlock()
	v, err, _ := s.group.Do("load\x00"+rn.Dir+"\x00"+rn.stamp, func() (any, error) {
		sw, err := openSweep(s.ctx, rn)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.loaded = slices.DeleteFunc(s.loaded, func(l *loadedRun) bool { return l.name == rn.Name })
		s.loaded = append(s.loaded, &loadedRun{rn.Name, rn.stamp, sw})
		if n := len(s.loaded); n > maxLoaded {
			s.loaded = slices.Delete(s.loaded, 0, n-maxLoaded)
		}
		return sw, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*experiments.Sweep), nil
}

// openSweep reads the run's data and plans its sweep. A missing data
// file, or one whose sha256 differs from the run's, is a 409 that says
// so: the cells' pictures would not be the run's.
func openSweep(ctx context.Context, rn *run) (*experiments.Sweep, error) {
	if rn.Problem != "" {
		return nil, errorf(http.StatusConflict, "run %s cannot be read: %s", rn.Name, rn.Problem)
	}
	cfg := rn.Header.Config
	if cfg.Data.Path == "" {
		return nil, errorf(http.StatusConflict, "run %s: its store names no data file, so its cells cannot be drawn", rn.Name)
	}
	if _, err := os.Stat(cfg.Data.Path); err != nil {
		return nil, errorf(http.StatusConflict, "run %s: its data %s cannot be read (%v); its cells are drawn from the data the run read (sha256 %s)",
			rn.Name, cfg.Data.Path, errors.Unwrap(err), rn.Header.DataSHA256)
	}
	d, err := dataset.OpenContext(ctx, cfg.Data.Source())
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, errorf(http.StatusConflict, "run %s: read its data: %v", rn.Name, err)
	}
	if d.SHA256 != rn.Header.DataSHA256 {
		return nil, errorf(http.StatusConflict, "run %s: its data %s has changed (sha256 %s, the run read %s); its cells cannot be drawn from it",
			rn.Name, cfg.Data.Path, d.SHA256, rn.Header.DataSHA256)
	}
	sw, err := experiments.NewSweep(cfg, d)
	if err != nil {
		return nil, errorf(http.StatusConflict, "run %s: %v", rn.Name, err)
	}
	return sw, nil
}

// viewFile is one drawn picture of a cell.
type viewFile struct {
	Title string `json:"title"`
	File  string `json:"file"` // base name, in the cell's views folder
}

// cellViews is what the views cache records of a drawn cell, written
// last: its presence means every picture is there.
type cellViews struct {
	Cell  string     `json:"cell"` // the key
	Files []viewFile `json:"files"`
}

// cellReason is the montages' title's word for a cell drawn on demand.
const cellReason = "drawn by sweep serve"

// views returns the pictures of cell c of the run, drawing them into the
// run's views/<fingerprint>/ folder when they are not there yet. Requests
// for the same cell at once draw it once; at most maxDraws cells are drawn
// at a time.
func (s *Server) views(rn *run, c experiments.Cell) (dir string, v *cellViews, err error) {
	dir, err = viewsDir(rn.Dir, rn.fingerprint())
	if err != nil {
		return "", nil, err
	}
	marker := filepath.Join(dir, "cell_"+strings.ReplaceAll(c.Key(), "/", "_")+".json")
	if v, err := readViews(marker); err == nil {
		return dir, v, nil
	}
	res, err, _ := s.group.Do("draw\x00"+marker, func() (any, error) {
		if v, err := readViews(marker); err == nil {
			return v, nil // drawn by a call that just finished
		}
		select {
		case s.draws <- struct{}{}:
			defer func() { <-s.draws }()
		case <-s.ctx.Done():
			return nil, s.ctx.Err()
		}
		sw, err := s.loadSweep(rn)
		if err != nil {
			return nil, err
		}
		s.drawn.Add(1)
		cv, err := report.DrawCellView(s.ctx, dir, sw, c, cellReason)
		if err != nil {
			return nil, fmt.Errorf("draw cell %s: %w", c.Key(), err)
		}
		v := &cellViews{Cell: c.Key()}
		for _, p := range cv.Pictures(sw) {
			if _, err := os.Stat(filepath.Join(dir, p.File)); err == nil {
				v.Files = append(v.Files, viewFile{Title: p.Caption, File: p.File})
			}
		}
		b, _ := json.Marshal(v)
		if err := atomicfile.Write(marker, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return nil, err
		}
		return v, nil
	})
	if err != nil {
		return "", nil, err
	}
	return dir, res.(*cellViews), nil
}

// readViews reads a cell's record in the views cache.
func readViews(path string) (*cellViews, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var v cellViews
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	for _, f := range v.Files {
		if _, err := os.Stat(filepath.Join(filepath.Dir(path), f.File)); errors.Is(err, fs.ErrNotExist) {
			return nil, err // a picture removed by hand: draw again
		}
	}
	return &v, nil
}
