package experiments

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"sweep/metrics"
)

// Criterion is one rule that picks a cluster count from the summaries of
// a group of cells that differ only in k.
type Criterion struct {
	Name  string // the selection.csv column
	Title string // for tables
	// Score is the schema score the rule reads; Labels is true when it
	// needs the true labels (none of the criteria below do).
	Score  string
	Labels bool
	pick   func(ks []int, sum []*Summary) (int, bool)
}

// kneeSensitivity is Kneedle's S, kneed's and yellowbrick's default.
const kneeSensitivity = 1

// Criteria returns the rules ChooseK applies, in column order:
//
//   - silhouette: the k of the largest mean held-out silhouette;
//   - calinski_harabasz: the largest mean held-out Calinski-Harabasz index;
//   - davies_bouldin: the smallest mean held-out Davies-Bouldin index;
//   - gap: the smallest k with gap(k) >= gap(k+1) - s(k+1) (Tibshirani et
//     al. 2001, metrics.GapPick), on gap and s averaged over the folds,
//     k+1 being the next k of the grid;
//   - elbow: the knee of the mean training inertia against k, found by
//     Kneedle (metrics.Knee, convex decreasing, S = 1);
//   - stability: the largest stability across folds;
//   - bic: the smallest mean BIC, when the schema has a "bic" score (a
//     Gaussian mixture's); absent otherwise.
//
// A rule whose values are all undefined (NaN) picks nothing; ties go to
// the smaller k.
func Criteria() []Criterion {
	out := []Criterion{
		{Name: "silhouette", Title: "silhouette (max)", Score: "silhouette", pick: extremePick("silhouette", +1)},
		{Name: "calinski_harabasz", Title: "Calinski-Harabasz (max)", Score: "calinski_harabasz", pick: extremePick("calinski_harabasz", +1)},
		{Name: "davies_bouldin", Title: "Davies-Bouldin (min)", Score: "davies_bouldin", pick: extremePick("davies_bouldin", -1)},
		{Name: "gap", Title: "gap statistic (Tibshirani)", Score: "gap", pick: gapPick},
		{Name: "elbow", Title: "elbow of inertia (Kneedle)", Score: "inertia", pick: elbowPick},
		{Name: "stability", Title: "stability across folds (max)", Score: "stability", pick: extremePick("stability", +1)},
	}
	if ScoreIndex("bic") >= 0 {
		out = append(out, Criterion{Name: "bic", Title: "BIC (min)", Score: "bic", pick: extremePick("bic", -1)})
	}
	return out
}

// extremePick returns the rule that picks the k of the largest (sign +1)
// or smallest (-1) summary value of the named score.
func extremePick(name string, sign float64) func([]int, []*Summary) (int, bool) {
	i := mustScore(name)
	agg := scores[i].Agg
	return func(ks []int, sum []*Summary) (int, bool) {
		best, bestV := 0, math.NaN()
		for j, s := range sum {
			v := sign * s.Stats[i].value(agg)
			if !math.IsNaN(v) && (math.IsNaN(bestV) || v > bestV) {
				best, bestV = ks[j], v
			}
		}
		return best, !math.IsNaN(bestV)
	}
}

// gapPick applies metrics.GapPick to the mean gap and mean s(k).
func gapPick(ks []int, sum []*Summary) (int, bool) {
	g, sd := mustScore("gap"), mustScore("gap_s")
	gap, s := make([]float64, len(ks)), make([]float64, len(ks))
	for j, sm := range sum {
		gap[j], s[j] = sm.Stats[g].Mean, sm.Stats[sd].Mean
	}
	return metrics.GapPick(ks, gap, s)
}

// elbowPick applies Kneedle to the mean training inertia against k.
func elbowPick(ks []int, sum []*Summary) (int, bool) {
	in := mustScore("inertia")
	x, y := make([]float64, len(ks)), make([]float64, len(ks))
	for j, sm := range sum {
		x[j], y[j] = float64(ks[j]), sm.Stats[in].Mean
		if math.IsNaN(y[j]) {
			return 0, false
		}
	}
	k, ok := metrics.Knee(x, y, metrics.ConvexDecreasing, kneeSensitivity)
	return int(k), ok
}

// KChoice is what each criterion picks for one group of summaries that
// differ only in the cluster count: the same extra axes (and pooled axis),
// reducer and components.
type KChoice struct {
	Axes       Axes
	Pooled     string // as Summary.Pooled
	Reducer    string
	Components int
	Ks         []int // the group's cluster counts, ascending
	// Picks holds each criterion's k, parallel to Criteria(); 0 when the
	// criterion picks nothing.
	Picks []int
	// Vote is the k picked by the most criteria (the smaller k on ties),
	// and Votes how many picked it; 0 and 0 when none picked any.
	Vote, Votes int
}

// ChooseK groups the summaries by (axes, pooled axis, reducer,
// components), in order of first appearance, and applies every
// criterion to each group, as NbClust does for one data set.
func ChooseK(sum []Summary) []KChoice {
	type key struct {
		axes       Axes
		pooled     string
		reducer    string
		components int
	}
	var order []key
	groups := map[key][]*Summary{}
	for i := range sum {
		s := &sum[i]
		k := key{s.Cell.Axes, s.Pooled, s.Cell.Reducer, s.Cell.Components}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], s)
	}
	crit := Criteria()
	out := make([]KChoice, len(order))
	for gi, k := range order {
		g := groups[k]
		slices.SortStableFunc(g, func(a, b *Summary) int { return cmp.Compare(a.Cell.Clusters, b.Cell.Clusters) })
		kc := KChoice{Axes: k.axes, Pooled: k.pooled, Reducer: k.reducer, Components: k.components, Picks: make([]int, len(crit))}
		for _, s := range g {
			kc.Ks = append(kc.Ks, s.Cell.Clusters)
		}
		votes := map[int]int{}
		for ci, c := range crit {
			if p, ok := c.pick(kc.Ks, g); ok {
				kc.Picks[ci] = p
				votes[p]++
			}
		}
		for _, kk := range kc.Ks {
			if votes[kk] > kc.Votes {
				kc.Vote, kc.Votes = kk, votes[kk]
			}
		}
		out[gi] = kc
	}
	return out
}

// selectionColumns are selection.csv's columns: the group (extra axes by
// key, the pooled axis, reducer, components), the cluster counts tried,
// one column per criterion, the vote and its count.
func selectionColumns(s *Sweep) []string {
	var cols []string
	for _, ax := range s.Config.Grid.Axes {
		cols = append(cols, ax.Key)
	}
	cols = append(cols, "pooled", "reducer", "components", "clusters_tried")
	for _, c := range Criteria() {
		cols = append(cols, c.Name)
	}
	return append(cols, "vote", "votes")
}

// SelectionTable is selection.csv: for each group of ChooseK(sum),
// the k each criterion picks (empty when it picks none), and the vote.
func SelectionTable(s *Sweep, sum []Summary) (header []string, rows [][]string) {
	for _, kc := range ChooseK(sum) {
		var row []string
		for _, ax := range s.Config.Grid.Axes {
			v, _ := kc.Axes.Get(ax.Key) // "" for the pooled axis
			row = append(row, v)
		}
		tried := ""
		for i, k := range kc.Ks {
			if i > 0 {
				tried += " "
			}
			tried += strconv.Itoa(k)
		}
		row = append(row, kc.Pooled, kc.Reducer, strconv.Itoa(kc.Components), tried)
		for _, p := range kc.Picks {
			row = append(row, kOrEmpty(p))
		}
		row = append(row, kOrEmpty(kc.Vote), strconv.Itoa(kc.Votes))
		rows = append(rows, row)
	}
	return selectionColumns(s), rows
}

// kOrEmpty writes a picked k, or "" for none.
func kOrEmpty(k int) string {
	if k == 0 {
		return ""
	}
	return strconv.Itoa(k)
}
