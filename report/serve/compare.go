package serve

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sweep/internal/atomicfile"
	"sweep/report/compare"
)

// compareDone marks a comparison's folder complete; written last.
const compareDone = "done.txt"

// handleCompare is /compare?a=<run>&b=<run>: sweep compare's summary,
// delta tables and heatmaps of run B against run A. The files are drawn
// once into views/compare/ of run A, under a name that changes when
// either run's tables do.
func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	an, bn := q.Get("a"), q.Get("b")
	if an == "" || bn == "" {
		s.fail(w, r, errorf(http.StatusBadRequest, "name two runs: /compare?a=RUN&b=RUN (the run list at / names them)"))
		return
	}
	ra, err := s.lookup(an)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rb, err := s.lookup(bn)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := compare.ReadRun(ra.Dir)
	if err != nil {
		s.fail(w, r, errorf(http.StatusConflict, "run %s: %v", ra.Name, err))
		return
	}
	b, err := compare.ReadRun(rb.Dir)
	if err != nil {
		s.fail(w, r, errorf(http.StatusConflict, "run %s: %v", rb.Name, err))
		return
	}
	a.Dir, b.Dir = ra.Name, rb.Name // the names the pages use, in titles and text
	c := compare.CompareNoise(a, b, nil, 0, compare.NoiseFloor)
	sub := rb.Name + "-" + tablesStamp(ra.Dir, rb.Dir)
	dir, err := viewsDir(ra.Dir, "compare", sub)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err, _ := s.group.Do("compare\x00"+dir, func() (any, error) {
		if _, err := os.Stat(filepath.Join(dir, compareDone)); err == nil {
			return nil, nil
		}
		if err := c.WriteFiles(dir); err != nil {
			return nil, err
		}
		return nil, atomicfile.Write(filepath.Join(dir, compareDone), func(w io.Writer) error {
			_, err := io.WriteString(w, "complete\n")
			return err
		})
	}); err != nil {
		s.fail(w, r, fmt.Errorf("compare %s and %s: %w", ra.Name, rb.Name, err))
		return
	}
	var text bytes.Buffer
	c.WriteText(&text)
	base := "/runs/" + ra.Name + "/views/compare/" + sub + "/"
	type fig struct{ Title, File string }
	data := struct {
		A, B    string
		Form    compareForm
		Text    string
		Links   []string
		Images  []fig
		Tables  []compare.DeltaTable
		Predict bool
	}{A: ra.Name, B: rb.Name, Form: compareForm{Runs: s.Runs(), A: ra.Name, B: rb.Name}, Text: text.String(),
		Links: []string{base + "delta.csv", base + "delta.md"}, Tables: c.DeltaTables(), Predict: s.opt.Predict != nil}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if n := e.Name(); filepath.Ext(n) == ".png" && (strings.HasPrefix(n, "delta_") || strings.HasPrefix(n, "heatmaps_")) {
			names = append(names, n)
		}
	}
	// Per panel, the delta first, then the two runs side by side.
	slices.SortFunc(names, func(x, y string) int {
		px, py := strings.SplitN(x, "_", 2), strings.SplitN(y, "_", 2)
		return strings.Compare(px[1]+px[0], py[1]+py[0])
	})
	for _, n := range names {
		title := "B - A of " + c.Metrics[0] + ", flagged cells outlined"
		if strings.HasPrefix(n, "heatmaps_") {
			title = "A and B side by side, one colour scale"
		}
		data.Images = append(data.Images, fig{title + " (" + n + ")", base + n})
	}
	s.render(w, r, "compare", data)
}

// tablesStamp is a short hash of the size and time of both runs' tables
// (summary.csv, results.csv): a comparison drawn from older tables is
// never shown.
func tablesStamp(dirs ...string) string {
	h := sha256.New()
	for _, d := range dirs {
		fmt.Fprintf(h, "%s\x00", d)
		for _, f := range []string{"summary.csv", "results.csv"} {
			if fi, err := os.Stat(filepath.Join(d, f)); err == nil {
				fmt.Fprintf(h, "%d.%d\x00", fi.Size(), fi.ModTime().UnixNano())
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
