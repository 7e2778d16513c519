package experiments

import (
	"cmp"
	"math"
	"slices"
)

// Headline is the report's honest headline: the best cell by each
// criterion separately, each with its spread over folds and the cells
// that cannot be told apart from it, and which criteria use the labels.
type Headline struct {
	// Pooled is the axis pooled with the folds in the summaries the
	// headline ranks ("seed"), or "" when it ranks each cell's own.
	Pooled string
	// Winners holds one entry per criterion that has a value: the
	// silhouette, then, with labels, the held-out ARI and the majority-
	// mapping accuracy.
	Winners []Winner
	// SilhouetteByComponents holds the silhouette's winner among the
	// cells of each component count (ascending): silhouettes of
	// embeddings of different dimension are not comparable, so the
	// overall silhouette winner says little on its own.
	SilhouetteByComponents []Winner
	// Notes are the plain statements the report prints with the headline.
	Notes []string
}

// Winner is the best cell by one criterion.
type Winner struct {
	Score  string // schema score name
	Title  string
	Labels bool // the criterion uses the true labels
	Cell   Cell // the summary's cell (fold 0)
	// Mean and SD are the criterion over the cell's folds (sample sd);
	// SE = SD/√N is the standard error of the mean over N folds (NaN for
	// one fold).
	Mean, SD, SE float64
	N            int
	// Close lists the other cells whose mean lies within 2 standard
	// errors (2·SE of the winner) of the winner's mean: not
	// distinguishable from the best. Empty when SE is NaN.
	Close []Cell
}

// headlineCriteria are the criteria of the headline, all higher-is-better.
var headlineCriteria = []string{"silhouette", "ari", "accuracy_majority"}

// SilhouetteNote is the headline's warning about comparing silhouettes.
const SilhouetteNote = "Silhouettes of embeddings with different numbers of components are not comparable " +
	"(distances in 2 and in 5 dimensions differ in kind), so the best silhouette overall is not " +
	"the best clustering; the best per component count is listed too."

// LabelsNote marks the criteria that use the labels.
const LabelsNote = "Winners marked as using the labels (ARI, accuracy) could not be chosen without them: " +
	"they say how well a clustering recovers the classes, not which clustering an unsupervised user would pick."

// NewHeadline ranks the summaries by each headline criterion. It uses the
// summaries pooled over an axis (seeds x folds) when there are any, else
// every cell's own summary; a criterion with no value anywhere (labels
// for unlabelled data) is left out.
func NewHeadline(sum []Summary) Headline {
	var h Headline
	for i := range sum {
		if sum[i].Pooled != "" {
			h.Pooled = sum[i].Pooled
			break
		}
	}
	var use []*Summary
	for i := range sum {
		if sum[i].Pooled == h.Pooled {
			use = append(use, &sum[i])
		}
	}
	for _, name := range headlineCriteria {
		if w, ok := bestBy(name, use); ok {
			h.Winners = append(h.Winners, w)
		}
	}
	var comps []int
	for _, s := range use {
		if !slices.Contains(comps, s.Cell.Components) {
			comps = append(comps, s.Cell.Components)
		}
	}
	slices.Sort(comps)
	for _, m := range comps {
		var sub []*Summary
		for _, s := range use {
			if s.Cell.Components == m {
				sub = append(sub, s)
			}
		}
		if w, ok := bestBy("silhouette", sub); ok {
			h.SilhouetteByComponents = append(h.SilhouetteByComponents, w)
		}
	}
	h.Notes = []string{SilhouetteNote}
	for _, w := range h.Winners {
		if w.Labels {
			h.Notes = append(h.Notes, LabelsNote)
			break
		}
	}
	return h
}

// bestBy returns the summary with the largest mean of the named score
// (the first on ties) and the others within two of its standard errors.
func bestBy(name string, sum []*Summary) (Winner, bool) {
	i := mustScore(name)
	best := -1
	for j, s := range sum {
		if m := s.Stats[i].Mean; !math.IsNaN(m) && (best < 0 || m > sum[best].Stats[i].Mean) {
			best = j
		}
	}
	if best < 0 {
		return Winner{}, false
	}
	st := sum[best].Stats[i]
	w := Winner{Score: name, Title: scores[i].Title, Labels: scores[i].Labels, Cell: sum[best].Cell,
		Mean: st.Mean, SD: st.SD, N: st.N, SE: st.SD / math.Sqrt(float64(st.N))}
	if math.IsNaN(w.SE) {
		return w, true
	}
	type near struct {
		c Cell
		m float64
	}
	var close []near
	for j, s := range sum {
		if m := s.Stats[i].Mean; j != best && m >= w.Mean-2*w.SE {
			close = append(close, near{s.Cell, m})
		}
	}
	// Closest first; cell order breaks ties.
	slices.SortStableFunc(close, func(a, b near) int { return cmp.Compare(b.m, a.m) })
	for _, c := range close {
		w.Close = append(w.Close, c.c)
	}
	return w, true
}
