package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"sweep/experiments"
)

// slowestCells is how many cells the timings section lists by name; the
// cell table has the time of every cell.
const slowestCells = 10

// timingsSection says where the time went: the run's wall clock, the
// total per stage (as timings.csv has them, one line per fit there), and
// the slowest cells. Stage times are of this run; cell times are stored
// with the results, so a resumed run shows the times of the run that
// computed each cell.
func timingsSection(in indexInputs) htmlSection {
	s := in.s
	sec := htmlSection{ID: "timings", Title: "Timings"}
	if in.info.Wall > 0 {
		workers := fmt.Sprintf("%d workers", in.info.Workers)
		if in.info.Workers == 1 {
			workers = "one worker"
		}
		sec.Blocks = paras(fmt.Sprintf("This run took %.2f s of wall-clock time with %s, up to the report (not included); "+
			"the stages below ran on several workers at once, so their times add up to more. Every fit is in timings.csv, and the run's stages in manifest.json.",
			in.info.Wall.Seconds(), workers))
	}
	type total struct {
		n   int
		sec float64
	}
	var order []string
	totals := map[string]*total{}
	add := func(stage string, sec float64) {
		if totals[stage] == nil {
			totals[stage] = &total{}
			order = append(order, stage)
		}
		totals[stage].n++
		totals[stage].sec += sec
	}
	add("load "+dataName(s), in.info.LoadSeconds)
	for _, t := range s.Timings() {
		kind, _, _ := strings.Cut(t.Stage, "/")
		add(kind, t.Seconds)
	}
	type cellTime struct {
		cell                 experiments.Cell
		folds                int
		sec, kmeans, silhSec float64
	}
	var cells []*cellTime
	byCell := map[experiments.Cell]*cellTime{}
	for _, r := range in.results {
		if r == nil {
			continue
		}
		add("clustering (k-means, gmm or ward) of a cell's fold", r.KMeansSeconds)
		add("silhouette of a cell's fold", r.SilhouetteSeconds)
		add("cell's fold in all (clustering and every score)", r.Seconds)
		c := r.Cell
		c.Fold = 0
		ct := byCell[c]
		if ct == nil {
			ct = &cellTime{cell: c}
			byCell[c] = ct
			cells = append(cells, ct)
		}
		ct.folds++
		ct.sec += r.Seconds
		ct.kmeans += r.KMeansSeconds
		ct.silhSec += r.SilhouetteSeconds
	}
	stages := htmlTable{Caption: "Seconds per stage, summed over its runs (a stage of each fold and data variant runs once, shared by the cells that use it)",
		Header: []string{"stage", "runs", "seconds"}}
	for _, st := range order {
		t := totals[st]
		stages.Rows = append(stages.Rows, []string{st, strconv.Itoa(t.n), fmt.Sprintf("%.3f", t.sec)})
	}
	sec.Blocks = append(sec.Blocks, htmlBlock{Table: &stages})
	slices.SortStableFunc(cells, func(a, b *cellTime) int { return cmp.Compare(b.sec, a.sec) })
	slow := htmlTable{Caption: fmt.Sprintf("The %d slowest cells (seconds summed over their folds; the cell table has every cell's time)", min(slowestCells, len(cells))),
		Header: []string{"cell", "folds", "seconds", "clustering", "silhouette"}}
	for _, ct := range cells[:min(slowestCells, len(cells))] {
		slow.Rows = append(slow.Rows, []string{ct.cell.Name(), strconv.Itoa(ct.folds),
			fmt.Sprintf("%.3f", ct.sec), fmt.Sprintf("%.3f", ct.kmeans), fmt.Sprintf("%.3f", ct.silhSec)})
	}
	if len(slow.Rows) > 0 {
		sec.Blocks = append(sec.Blocks, htmlBlock{Table: &slow})
	}
	return sec
}
