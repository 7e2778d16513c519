package metrics

import "math"

// AdjustedMutualInfo returns the adjusted mutual information of pred and
// truth with arithmetic-mean normalisation (Vinh, Epps & Bailey 2010),
//
//	AMI = (MI − E[MI]) / ((H(U) + H(V))/2 − E[MI]),
//
// where MI, H(U) and H(V) are as for NormalizedMutualInfo and E[MI] is the
// expected mutual information of two random labelings with the same cluster
// sizes under the hypergeometric model of randomness:
//
//	E[MI] = Σ_i Σ_j Σ_{n_ij = max(1, a_i+b_j−n)}^{min(a_i, b_j)}
//	        (n_ij/n) log(n·n_ij/(a_i b_j)) ·
//	        a_i! b_j! (n−a_i)! (n−b_j)! / (n! n_ij! (a_i−n_ij)! (b_j−n_ij)! (n−a_i−b_j+n_ij)!),
//
// with natural logarithms, the factorial ratio evaluated as exp of a sum of
// log-gamma values. It is computed as
// sklearn.metrics.adjusted_mutual_info_score(average_method="arithmetic")
// 1.2.1 does (its expected_mutual_information, term by term in the same
// order), including its special cases: it returns 1 when both labelings have
// a single cluster or the input is empty, 0 when exactly one labeling has a
// single cluster, and the denominator is kept at least the float64 machine
// epsilon in magnitude (with its sign) so that identical labelings give 1
// rather than 0/0. The value is symmetric in its arguments, at most 1, 0 in
// expectation for random labelings and can be negative.
//
// It panics if the lengths differ or a label is negative.
//
// Reference: N. X. Vinh, J. Epps and J. Bailey (2010), "Information theoretic
// measures for clusterings comparison: variants, properties, normalization
// and correction for chance", JMLR 11, 2837-2854, eq. (24) and Table 2.
func AdjustedMutualInfo(truth, pred []int) float64 {
	t := newTable(truth, pred)
	kt, kp := len(t.classes), len(t.clusters)
	if kt == kp && kt <= 1 {
		return 1
	}
	mi := mutualInfo(t)
	emi := expectedMutualInfo(t)
	norm := (entropy(t.classes, t.n) + entropy(t.clusters, t.n)) / 2
	den := norm - emi
	if den < 0 {
		den = min(den, -epsilon)
	} else {
		den = max(den, epsilon)
	}
	return (mi - emi) / den
}

// expectedMutualInfo returns E[MI] of the formula in AdjustedMutualInfo,
// evaluated as sklearn.metrics.cluster.expected_mutual_information 1.2.1
// does: for each (i, j) and n_ij in range,
//
//	term1 = n_ij/n,  term2 = (log n + log n_ij) − log a_i − log b_j,
//	gln = lΓ(a_i+1) + lΓ(b_j+1) + lΓ(n−a_i+1) + lΓ(n−b_j+1) − lΓ(n+1)
//	      − lΓ(n_ij+1) − lΓ(a_i−n_ij+1) − lΓ(b_j−n_ij+1) − lΓ(n−a_i−b_j+n_ij+1),
//	E[MI] += term1·term2·exp(gln),
//
// summed in that order. Every log-gamma argument is a whole number from 1 to
// n+1, so the values come from one table of lΓ(m+1), m = 0..n; math.Lgamma
// stands in for scipy's gammaln and C's lgamma. It is 0 when either labeling
// has a single cluster.
func expectedMutualInfo(t table) float64 {
	if len(t.classes) == 1 || len(t.clusters) == 1 {
		return 0
	}
	n := t.n
	nf := float64(n)
	// lgf[m] = lΓ(m+1) = log m!.
	lgf := make([]float64, n+1)
	for m := range lgf {
		lgf[m], _ = math.Lgamma(float64(m) + 1)
	}
	var top int64
	for _, a := range t.classes {
		top = max(top, a)
	}
	for _, b := range t.clusters {
		top = max(top, b)
	}
	// term1[v] = v/n and logNV[v] = log n + log v for v = n_ij (index 0 unused).
	term1 := make([]float64, top+1)
	logNV := make([]float64, top+1)
	logN := math.Log(nf)
	for v := int64(1); v <= top; v++ {
		term1[v] = float64(v) / nf
		logNV[v] = logN + math.Log(float64(v))
	}
	lgN := lgf[n]
	var emi float64
	for _, a := range t.classes {
		logA := math.Log(float64(a))
		lgA, lgNA := lgf[a], lgf[n-a]
		for _, b := range t.clusters {
			logB := math.Log(float64(b))
			lgB, lgNB := lgf[b], lgf[n-b]
			for v := max(1, a+b-n); v <= min(a, b); v++ {
				term2 := logNV[v] - logA - logB
				gln := lgA + lgB + lgNA + lgNB - lgN - lgf[v] - lgf[a-v] - lgf[b-v] - lgf[n-a-b+v]
				// The explicit conversions forbid fused multiply-adds, so
				// the rounding is that of scikit-learn's C code.
				emi += float64(float64(term1[v]*term2) * math.Exp(gln))
			}
		}
	}
	return emi
}
