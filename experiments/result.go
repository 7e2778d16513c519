package experiments

import (
	"fmt"
	"math"
	"strconv"
)

// Result is the outcome of one cell.
type Result struct {
	Cell
	// Silhouette of the held-out rows (all rows when folds is 1), or of
	// a seeded sample of them (silhouette.sample); NaN when undefined
	// (fewer than 2 or more than n-1 clusters among them), with Note
	// saying why.
	Silhouette float64
	Inertia    float64 // k-means inertia on the training rows
	Iterations int     // Lloyd iterations of the kept restart
	NonEmpty   int     // clusters with members at the end of k-means
	Note       string
	// Failed holds the error of a cell that failed under -keep-going.
	Failed string

	// External scores of the held-out rows against the true labels; NaN
	// when the data has no labels. Accuracy maps each cluster to a label
	// learned on the training rows: by majority, one-to-one (Hungarian;
	// NaN when clusters < classes) or by the config's manual mapping (NaN
	// for cells without one).
	AccMajority, AccOneToOne, AccManual float64
	ARI, NMI, AMI, Purity               float64
	// Internal scores of the held-out rows (all rows when folds is 1),
	// labelled by their nearest centre: Calinski-Harabasz (higher is
	// better) and Davies-Bouldin (lower is better) as scikit-learn
	// defines them, NaN when the held-out rows fall in fewer than 2 or
	// more than n-1 clusters; and the held-out inertia, the sum of
	// squared distances of the held-out rows to their centres. The
	// training-row variants are left out: with the training inertia W
	// and the embedding's total sum of squares T, the training CH is
	// (T-W)(n-k)/(W(k-1)), a function of the stored inertia.
	CalinskiHarabasz, DaviesBouldin, TestInertia float64
	// SizeMin and SizeMax are the smallest and largest cluster shares of
	// the training rows (an empty cluster has share 0).
	SizeMin, SizeMax float64
	// Gap and GapS are the gap statistic gap(k) and its standard error
	// s(k) of the training rows (Tibshirani et al. 2001) against gap.b
	// reference sets; NaN when gap.b is 0.
	Gap, GapS float64
	// Stability is the mean adjusted Rand index, over pairs of folds, of
	// the labelings of all the selected rows by each fold's model, and
	// StabilitySD its sample sd over the pairs. They belong to the cell,
	// not the fold: every fold's result holds the same values (see
	// Sweep.stability). NaN with one fold (and the sd with two).
	Stability, StabilitySD float64
	// Gaussian mixture scores (algorithm gmm; NaN for the others): the
	// mean log-likelihood per row of the training and of the held-out
	// rows (scikit-learn's score), the BIC and AIC of the training fit,
	// and whether EM converged (1) or stopped at max_iter (0).
	LogLikTrain, LogLikTest, BIC, AIC, Converged float64

	// Majority and OneToOne are the learned mappings (cluster -> label,
	// -1 unmapped); nil without labels.
	Majority, OneToOne []int

	// Centers are the k-means centres (Clusters x Components).
	Centers []float64

	TrainRows, TestRows     []int // dataset rows
	TrainLabels, TestLabels []int // cluster of each row

	KMeansSeconds, SilhouetteSeconds, Seconds float64
}

// Aggregate says how summary.csv summarises a score over a cell's folds.
type Aggregate int

const (
	// MeanSD writes <name>_mean and <name>_sd (sample sd, n-1).
	MeanSD Aggregate = iota
	// MeanOnly writes <name>_mean.
	MeanOnly
	// MinOnly writes <name>_min.
	MinOnly
	// OneValue writes <name>: the mean of the folds that have a value,
	// for a score that exists in one fold (a manual mapping names one).
	OneValue
)

// Score declares one per-cell score: its column in results.csv, how
// summary.csv summarises it over folds, and whether it needs labels. The
// schema (Scores) drives the results store, results.csv, summary.csv and
// summary.md, index.html and sweep compare; adding a score is one entry
// there plus its computation.
type Score struct {
	Name   string // the results.csv column, and the name compare takes
	Agg    Aggregate
	Labels bool   // needs the true labels: NaN for unlabelled data
	Title  string // for tables and plots
	// lo and hi bound the score's domain: a stored value outside it is
	// damage. integer scores hold whole numbers.
	lo, hi  float64
	integer bool
	get     func(*Result) float64
	set     func(*Result, float64)
}

// Columns returns the score's summary.csv columns.
func (s Score) Columns() []string {
	switch s.Agg {
	case MeanSD:
		return []string{s.Name + "_mean", s.Name + "_sd"}
	case MeanOnly:
		return []string{s.Name + "_mean"}
	case MinOnly:
		return []string{s.Name + "_min"}
	}
	return []string{s.Name}
}

// Get returns the score of r.
func (s Score) Get(r *Result) float64 { return s.get(r) }

// Set sets the score of r (a stored result read back).
func (s Score) Set(r *Result, v float64) { s.set(r, v) }

// Domain returns the interval the score lies in, and whether it is a
// whole number: a stored value outside it is damage.
func (s Score) Domain() (lo, hi float64, integer bool) { return s.lo, s.hi, s.integer }

// floatScore declares a float score with domain [lo, hi].
func floatScore(name string, agg Aggregate, labels bool, lo, hi float64, title string, f func(*Result) *float64) Score {
	return Score{Name: name, Agg: agg, Labels: labels, Title: title, lo: lo, hi: hi,
		get: func(r *Result) float64 { return *f(r) },
		set: func(r *Result, v float64) { *f(r) = v }}
}

// intScore declares a count (domain 0 and up).
func intScore(name string, agg Aggregate, title string, f func(*Result) *int) Score {
	return Score{Name: name, Agg: agg, Title: title, lo: 0, hi: math.Inf(1), integer: true,
		get: func(r *Result) float64 { return float64(*f(r)) },
		set: func(r *Result, v float64) {
			if math.IsNaN(v) {
				v = 0
			}
			*f(r) = int(v)
		}}
}

// scores is the schema, in column order.
var scores = []Score{
	floatScore("silhouette", MeanSD, false, -1, 1, "silhouette", func(r *Result) *float64 { return &r.Silhouette }),
	floatScore("inertia", MeanSD, false, 0, math.Inf(1), "k-means inertia (training rows)", func(r *Result) *float64 { return &r.Inertia }),
	intScore("iterations", MeanOnly, "Lloyd iterations", func(r *Result) *int { return &r.Iterations }),
	intScore("nonempty", MinOnly, "non-empty clusters", func(r *Result) *int { return &r.NonEmpty }),
	floatScore("accuracy_majority", MeanSD, true, 0, 1, "majority-mapping accuracy", func(r *Result) *float64 { return &r.AccMajority }),
	floatScore("accuracy_onetoone", MeanSD, true, 0, 1, "one-to-one (Hungarian) accuracy", func(r *Result) *float64 { return &r.AccOneToOne }),
	floatScore("accuracy_manual", OneValue, true, 0, 1, "manual-mapping accuracy", func(r *Result) *float64 { return &r.AccManual }),
	floatScore("ari", MeanSD, true, -1, 1, "adjusted Rand index", func(r *Result) *float64 { return &r.ARI }),
	floatScore("nmi", MeanSD, true, 0, 1, "normalized mutual information", func(r *Result) *float64 { return &r.NMI }),
	floatScore("ami", MeanSD, true, math.Inf(-1), 1, "adjusted mutual information", func(r *Result) *float64 { return &r.AMI }),
	floatScore("purity", MeanSD, true, 0, 1, "purity", func(r *Result) *float64 { return &r.Purity }),
	floatScore("calinski_harabasz", MeanSD, false, 0, math.Inf(1), "Calinski-Harabasz index (held-out rows)", func(r *Result) *float64 { return &r.CalinskiHarabasz }),
	floatScore("davies_bouldin", MeanSD, false, 0, math.Inf(1), "Davies-Bouldin index (held-out rows)", func(r *Result) *float64 { return &r.DaviesBouldin }),
	floatScore("inertia_test", MeanSD, false, 0, math.Inf(1), "k-means inertia (held-out rows)", func(r *Result) *float64 { return &r.TestInertia }),
	floatScore("size_min", MinOnly, false, 0, 1, "smallest cluster share (training rows)", func(r *Result) *float64 { return &r.SizeMin }),
	floatScore("size_max", MeanOnly, false, 0, 1, "largest cluster share (training rows)", func(r *Result) *float64 { return &r.SizeMax }),
	floatScore("gap", MeanSD, false, math.Inf(-1), math.Inf(1), "gap statistic (training rows)", func(r *Result) *float64 { return &r.Gap }),
	floatScore("gap_s", MeanOnly, false, 0, math.Inf(1), "gap standard error s(k)", func(r *Result) *float64 { return &r.GapS }),
	floatScore("stability", OneValue, false, -1, 1, "stability (mean ARI between folds' models)", func(r *Result) *float64 { return &r.Stability }),
	floatScore("stability_sd", OneValue, false, 0, math.Inf(1), "sd of ARI between folds' models", func(r *Result) *float64 { return &r.StabilitySD }),
	floatScore("loglik_train", MeanSD, false, math.Inf(-1), math.Inf(1), "GMM mean log-likelihood (training rows)", func(r *Result) *float64 { return &r.LogLikTrain }),
	floatScore("loglik_test", MeanSD, false, math.Inf(-1), math.Inf(1), "GMM mean log-likelihood (held-out rows)", func(r *Result) *float64 { return &r.LogLikTest }),
	floatScore("bic", MeanSD, false, math.Inf(-1), math.Inf(1), "GMM BIC (training rows)", func(r *Result) *float64 { return &r.BIC }),
	floatScore("aic", MeanSD, false, math.Inf(-1), math.Inf(1), "GMM AIC (training rows)", func(r *Result) *float64 { return &r.AIC }),
	floatScore("converged", MeanOnly, false, 0, 1, "GMM converged (share of folds)", func(r *Result) *float64 { return &r.Converged }),
}

// Scores returns the schema of per-cell scores, in column order.
func Scores() []Score { return append([]Score(nil), scores...) }

// ScoreIndex returns the position of the named score in Scores, or -1.
func ScoreIndex(name string) int {
	for i, s := range scores {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// mustScore returns the index of a score the code names; a missing one is
// a bug.
func mustScore(name string) int {
	i := ScoreIndex(name)
	if i < 0 {
		panic(fmt.Sprintf("experiments: no score %q", name))
	}
	return i
}

// nanScores sets every score of r to NaN (ints to 0).
func nanScores(r *Result) {
	for _, s := range scores {
		s.set(r, math.NaN())
	}
	r.Iterations, r.NonEmpty = 0, 0
}

// Stat is a score summarised over folds.
type Stat struct {
	Mean, SD, Min float64
	N             int // folds with a value
}

// Value returns the summary's value in its score's first column.
func (st Stat) value(agg Aggregate) float64 {
	if agg == MinOnly {
		return st.Min
	}
	return st.Mean
}

// Summary aggregates one cell over its folds (and, with Pooled, over the
// values of a seed axis too).
type Summary struct {
	Cell Cell // Fold is 0; without the pooled axis when Pooled is set
	// Pooled names the axis whose values are pooled with the folds
	// ("seed"), or is "" for a cell's own summary.
	Pooled string
	Folds  int    // folds (times seeds, when pooled) with a defined silhouette
	Stats  []Stat // parallel to Scores
	Best   bool
}

// Stat returns the summary of the named score.
func (s *Summary) Stat(name string) Stat { return s.Stats[mustScore(name)] }

// SummaryColumns are the columns of summary.csv after the cell's axes and
// before the baselines: folds, then each score's columns.
func SummaryColumns() []string {
	cols := []string{"folds"}
	for _, s := range scores {
		cols = append(cols, s.Columns()...)
	}
	return cols
}

// SummaryValues writes s in the order of SummaryColumns.
func SummaryValues(s *Summary) []string {
	out := []string{strconv.Itoa(s.Folds)}
	for i, sc := range scores {
		st := s.Stats[i]
		switch sc.Agg {
		case MeanSD:
			out = append(out, ftoa(st.Mean), ftoa(st.SD))
		default:
			out = append(out, ftoa(st.value(sc.Agg)))
		}
	}
	return out
}

// ResultValues writes r's scores in schema order, as results.csv and the
// store do.
func ResultValues(r *Result) []string {
	out := make([]string, len(scores))
	for i, s := range scores {
		out[i] = ftoa(s.get(r))
	}
	return out
}

// PooledAxis is the axis whose values summary.csv also pools with the
// folds: the seed, so that the spread due to it is visible beside the
// per-seed rows.
const PooledAxis = "seed"

// Summarize summarises results by cell (without the fold), in cell order,
// and marks the best mean silhouette (the first in cell order wins ties).
// When the cells have a seed axis, the per-seed summaries are followed by
// one summary per cell without the seed, over seeds x folds.
func Summarize(results []*Result) []Summary {
	out := summarize(results, "")
	best := -1
	sil := mustScore("silhouette")
	for i := range out {
		if m := out[i].Stats[sil].Mean; !math.IsNaN(m) && (best < 0 || m > out[best].Stats[sil].Mean) {
			best = i
		}
	}
	if best >= 0 {
		out[best].Best = true
	}
	for _, r := range results {
		if r != nil {
			if _, ok := r.Axes.Get(PooledAxis); ok {
				out = append(out, summarize(results, PooledAxis)...)
			}
			break
		}
	}
	return out
}

// summarize groups results by cell without the fold (and without the
// pooled axis, when set), in order of first appearance.
func summarize(results []*Result, pooled string) []Summary {
	var keys []Cell
	groups := map[Cell][]*Result{}
	for _, r := range results {
		if r == nil {
			continue
		}
		c := r.Cell
		c.Fold = 0
		if pooled != "" {
			c.Axes = c.Axes.Without(pooled)
		}
		if _, ok := groups[c]; !ok {
			keys = append(keys, c)
		}
		groups[c] = append(groups[c], r)
	}
	out := make([]Summary, len(keys))
	sil := mustScore("silhouette")
	for i, c := range keys {
		g := groups[c]
		s := Summary{Cell: c, Pooled: pooled, Stats: make([]Stat, len(scores))}
		v := make([]float64, len(g))
		for j, sc := range scores {
			for k, r := range g {
				v[k] = sc.get(r)
			}
			st := &s.Stats[j]
			st.Mean, st.SD, st.N = meanSD(v)
			st.Min = math.NaN()
			for _, x := range v {
				if !math.IsNaN(x) && !(x >= st.Min) {
					st.Min = x
				}
			}
		}
		s.Folds = s.Stats[sil].N
		out[i] = s
	}
	return out
}

// meanSD returns the mean and the sample standard deviation (n-1 in the
// denominator, NaN for a single value) of the non-NaN values, and how
// many there were.
func meanSD(v []float64) (mean, sd float64, n int) {
	var sum float64
	for _, x := range v {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), 0
	}
	mean = sum / float64(n)
	if n == 1 {
		return mean, math.NaN(), 1
	}
	var ss float64
	for _, x := range v {
		if !math.IsNaN(x) {
			ss += (x - mean) * (x - mean)
		}
	}
	return mean, math.Sqrt(ss / float64(n-1)), n
}

// FormatFloat writes a score reproducibly: the shortest representation
// that reads back to the same float64, and "" for NaN (undefined). The
// store, results.csv and summary.csv write every score so.
func FormatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func ftoa(v float64) string { return FormatFloat(v) }
