package metrics

import (
	"math"
	"math/big"
	"slices"
)

// cell is a non-zero entry of a contingency table between dense ids.
type cell struct {
	class, cluster int
	count          int64
}

// table is a sparse contingency table: the non-zero cells in row-major order
// (by class, then cluster), with row (class) and column (cluster) totals.
type table struct {
	n        int64
	cells    []cell
	classes  []int64 // classes[i]: points of class i
	clusters []int64 // clusters[j]: points in cluster j
}

// newTable builds the sparse contingency table of truth against pred, its
// cells in (class, cluster) order, in O(n log n) time and O(n) memory
// however many distinct labels there are: by counting into a dense
// classes x clusters array when that has at most max(n, 4096) entries (the
// usual case, a few labels each: denseCells), else by sorting the n cell
// keys (sortedCells). Both give the same cells.
func newTable(truth, pred []int) table {
	checkSameLength(truth, pred)
	et, ep := encode(truth), encode(pred)
	t := table{
		n:        int64(len(truth)),
		classes:  make([]int64, et.k()),
		clusters: make([]int64, ep.k()),
	}
	for i, c := range et.counts {
		t.classes[i] = int64(c)
	}
	for j, c := range ep.counts {
		t.clusters[j] = int64(c)
	}
	if int64(et.k())*int64(ep.k()) <= int64(max(len(truth), 4096)) {
		t.cells = denseCells(et, ep)
	} else {
		t.cells = sortedCells(et, ep)
	}
	return t
}

// denseCells counts the (class, cluster) pairs of et and ep in a dense
// array of et.k() x ep.k() entries and returns the non-zero ones in order.
func denseCells(et, ep encoded) []cell {
	kp := ep.k()
	counts := make([]int64, et.k()*kp)
	for i, c := range et.codes {
		counts[int(c)*kp+int(ep.codes[i])]++
	}
	var cells []cell
	for key, c := range counts {
		if c > 0 {
			cells = append(cells, cell{class: key / kp, cluster: key % kp, count: c})
		}
	}
	return cells
}

// sortedCells is denseCells by sorting the n keys class·k_p + cluster, in
// O(n) memory whatever et.k() x ep.k() is.
func sortedCells(et, ep encoded) []cell {
	kp := int64(ep.k())
	keys := make([]int64, len(et.codes))
	for i := range keys {
		keys[i] = int64(et.codes[i])*kp + int64(ep.codes[i])
	}
	slices.Sort(keys)
	var cells []cell
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		cells = append(cells, cell{class: int(keys[i] / kp), cluster: int(keys[i] % kp), count: int64(j - i)})
		i = j
	}
	return cells
}

// Contingency returns the contingency table of truth against pred:
// m[i][j] is the number of points with truth label i and pred label j. The
// table has max(truth)+1 rows and max(pred)+1 columns, so labels should be
// small; an empty input gives an empty table. It panics if the lengths differ
// or a label is negative.
func Contingency(truth, pred []int) [][]int {
	checkSameLength(truth, pred)
	rows, cols := 0, 0
	for i := range truth {
		if truth[i] < 0 || pred[i] < 0 {
			panic("metrics: negative label")
		}
		rows = max(rows, truth[i]+1)
		cols = max(cols, pred[i]+1)
	}
	flat := make([]int, rows*cols)
	m := make([][]int, rows)
	for i := range m {
		m[i] = flat[i*cols : (i+1)*cols : (i+1)*cols]
	}
	for i := range truth {
		m[truth[i]][pred[i]]++
	}
	return m
}

// AdjustedRandIndex returns the adjusted Rand index of pred against truth
// (Hubert & Arabie 1985), computed as sklearn.metrics.adjusted_rand_score
// 1.2.1 does from the pair confusion matrix over ordered pairs, in exact
// integer arithmetic:
//
//	tp = Σ n_ij² − n,  fp = Σ_j b_j² − Σ n_ij²,  fn = Σ_i a_i² − Σ n_ij²,
//	tn = n² − fp − fn − Σ n_ij²,
//	ARI = 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)),
//
// where n_ij are the contingency counts and a_i, b_j its row and column sums.
// If fn = fp = 0 (identical partitions up to relabelling, including empty
// input and both labelings having a single cluster) it returns 1. The value is
// symmetric in its arguments and at most 1; it is 0 in expectation for
// random labelings and can be negative.
//
// It panics if the lengths differ or a label is negative.
//
// Reference: L. Hubert and P. Arabie (1985), "Comparing partitions", Journal
// of Classification 2, 193-218.
func AdjustedRandIndex(truth, pred []int) float64 {
	t := newTable(truth, pred)
	var sumSq, sumA, sumB int64
	for _, c := range t.cells {
		sumSq += c.count * c.count
	}
	for _, a := range t.classes {
		sumA += a * a
	}
	for _, b := range t.clusters {
		sumB += b * b
	}
	tp := big.NewInt(sumSq - t.n)
	fp := big.NewInt(sumB - sumSq)
	fn := big.NewInt(sumA - sumSq)
	tn := big.NewInt(t.n*t.n - (sumB - sumSq) - (sumA - sumSq) - sumSq)
	if fn.Sign() == 0 && fp.Sign() == 0 {
		return 1
	}
	var num, den, u, v big.Int
	num.Sub(u.Mul(tp, tn), v.Mul(fn, fp))
	den.Add(
		u.Mul(new(big.Int).Add(tp, fn), new(big.Int).Add(fn, tn)),
		v.Mul(new(big.Int).Add(tp, fp), new(big.Int).Add(fp, tn)),
	)
	// Round each integer to the nearest float64 before dividing, as Python's
	// 2.0*int / int does in scikit-learn.
	nf, _ := new(big.Float).SetInt(&num).Float64()
	df, _ := new(big.Float).SetInt(&den).Float64()
	return 2 * nf / df
}

// NormalizedMutualInfo returns the normalized mutual information of pred and
// truth with arithmetic-mean normalisation,
//
//	NMI = MI(U, V) / ((H(U) + H(V)) / 2),
//	MI(U, V) = Σ_ij (n_ij/n) log(n·n_ij / (a_i b_j)),  H(U) = −Σ_i (a_i/n) log(a_i/n),
//
// with natural logarithms, computed as
// sklearn.metrics.normalized_mutual_info_score(average_method="arithmetic")
// 1.2.1 does. Special cases as in scikit-learn: it returns 1 when both
// labelings have a single cluster or the input is empty, and 0 when the mutual
// information is 0 (in particular when exactly one labeling has a single
// cluster). The value is symmetric in its arguments and lies in [0, 1].
//
// It panics if the lengths differ or a label is negative.
//
// Reference: A. Strehl and J. Ghosh (2002), "Cluster ensembles - a knowledge
// reuse framework for combining multiple partitions", JMLR 3, 583-617;
// N. X. Vinh, J. Epps and J. Bailey (2010), "Information theoretic measures
// for clusterings comparison", JMLR 11, 2837-2854.
func NormalizedMutualInfo(truth, pred []int) float64 {
	t := newTable(truth, pred)
	kt, kp := len(t.classes), len(t.clusters)
	if kt == kp && kt <= 1 {
		return 1
	}
	mi := mutualInfo(t)
	if mi == 0 {
		return 0
	}
	return mi / ((entropy(t.classes, t.n) + entropy(t.clusters, t.n)) / 2)
}

// mutualInfo returns MI(U, V) as sklearn.metrics.mutual_info_score 1.2.1
// computes it from a contingency table: per non-zero cell
//
//	(n_ij/n)(log n_ij − log n) + (n_ij/n)(log n + log n − log(a_i b_j)),
//
// with terms of magnitude below the float64 machine epsilon set to 0 and
// the total clipped at 0.
func mutualInfo(t table) float64 {
	if len(t.classes) == 1 || len(t.clusters) == 1 {
		return 0
	}
	n := float64(t.n)
	logN := math.Log(n)
	var mi float64
	for _, c := range t.cells {
		v := float64(c.count)
		nm := v / n
		outer := float64(t.classes[c.class] * t.clusters[c.cluster])
		logOuter := -math.Log(outer) + logN + logN
		term := nm*(math.Log(v)-logN) + nm*logOuter
		if math.Abs(term) < epsilon {
			term = 0
		}
		mi += term
	}
	return max(mi, 0)
}

// epsilon is the float64 machine epsilon 2⁻⁵², numpy's finfo(float64).eps.
const epsilon = 0x1p-52

// entropy returns −Σ_i (c_i/n)(log c_i − log n) over the non-zero counts,
// which is 0 for a single count (sklearn.metrics.cluster.entropy 1.2.1).
func entropy(counts []int64, n int64) float64 {
	if len(counts) == 1 {
		return 0
	}
	logN := math.Log(float64(n))
	var h float64
	for _, c := range counts {
		h -= (float64(c) / float64(n)) * (math.Log(float64(c)) - logN)
	}
	return h
}

// Purity returns (1/n) Σ_j max_i n_ij, the fraction of points that belong to
// the majority class of their cluster (Manning, Raghavan & Schütze 2008,
// "Introduction to Information Retrieval", §16.3). It is 1 for a perfect
// clustering and also when every point is its own cluster. It returns NaN for
// empty input and panics if the lengths differ or a label is negative.
func Purity(truth, pred []int) float64 {
	t := newTable(truth, pred)
	best := make([]int64, len(t.clusters))
	for _, c := range t.cells {
		best[c.cluster] = max(best[c.cluster], c.count)
	}
	var sum int64
	for _, b := range best {
		sum += b
	}
	return float64(sum) / float64(t.n)
}

// Accuracy returns the fraction of points with truth[i] == pred[i], as
// sklearn.metrics.accuracy_score. Cluster ids are compared as given, with no
// matching of clusters to classes. It returns NaN for empty input and panics
// if the lengths differ or a label is negative.
func Accuracy(truth, pred []int) float64 {
	checkSameLength(truth, pred)
	var hit int
	for i, c := range truth {
		if c < 0 || pred[i] < 0 {
			panic("metrics: negative label")
		}
		if c == pred[i] {
			hit++
		}
	}
	return float64(hit) / float64(len(truth))
}
