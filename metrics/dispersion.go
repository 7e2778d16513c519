package metrics

import (
	"fmt"
	"math"
)

// CalinskiHarabasz returns the Calinski-Harabasz index (variance ratio
// criterion) of the labeling of the n = len(labels) points in x:
//
//	CH = [B / (k − 1)] / [W / (n − k)],
//	B = Σ_c n_c ‖m_c − m‖²,  W = Σ_c Σ_{l(i)=c} ‖x_i − m_c‖²,
//
// where k is the number of distinct labels, m the mean of all points and m_c
// the mean of cluster c. Higher is better. As in scikit-learn 1.2.1
// (sklearn.metrics.calinski_harabasz_score) it returns 1 when W = 0 (every
// cluster is a single repeated point).
//
// It returns an error, wrapping a *LabelCountError, when the number of
// distinct labels is not in [2, n−1] (this includes n = 0 and a single
// cluster), and an error when a coordinate is NaN or infinite. It panics if
// dim <= 0, if len(x) != len(labels)*dim or if a label is negative.
//
// Reference: T. Caliński and J. Harabasz (1974), "A dendrite method for
// cluster analysis", Communications in Statistics 3(1), 1-27.
func CalinskiHarabasz(x []float64, dim int, labels []int) (float64, error) {
	c, err := newCentroids(x, dim, labels, "calinski-harabasz")
	if err != nil {
		return 0, err
	}
	n, k := len(labels), c.e.k()
	mean := make([]float64, dim)
	for i := range n {
		for d, v := range x[i*dim : (i+1)*dim] {
			mean[d] += v
		}
	}
	for d := range mean {
		mean[d] /= float64(n)
	}
	var extra, intra float64
	for j := range k {
		extra += float64(c.e.counts[j]) * sqDist(c.at(j), mean)
	}
	for i, code := range c.e.codes {
		intra += sqDist(x[i*dim:(i+1)*dim], c.at(int(code)))
	}
	if intra == 0 {
		return 1, nil
	}
	return extra * float64(n-k) / (intra * float64(k-1)), nil
}

// DaviesBouldin returns the Davies-Bouldin index of the labeling of the
// n = len(labels) points in x, with Euclidean distances:
//
//	s_c = (1/n_c) Σ_{l(i)=c} ‖x_i − m_c‖,  d_cj = ‖m_c − m_j‖,
//	DB = (1/k) Σ_c max_{j≠c} (s_c + s_j) / d_cj,
//
// where k is the number of distinct labels and m_c the mean of cluster c.
// Lower is better. Special cases as in scikit-learn 1.2.1
// (sklearn.metrics.davies_bouldin_score): it returns 0 when every s_c or
// every d_cj (j ≠ c) is within 1e-8 of 0 (numpy.allclose), and a pair with
// d_cj = 0 contributes 0 instead of dividing by zero. scikit-learn computes
// distances as √(‖a‖² − 2a·b + ‖b‖²), this function as √Σ(a−b)², so equal
// centroids are exactly 0 apart here and may be a rounding error apart there.
//
// Errors and panics are as for CalinskiHarabasz.
//
// Reference: D. L. Davies and D. W. Bouldin (1979), "A cluster separation
// measure", IEEE Trans. Pattern Analysis and Machine Intelligence 1(2),
// 224-227.
func DaviesBouldin(x []float64, dim int, labels []int) (float64, error) {
	c, err := newCentroids(x, dim, labels, "davies-bouldin")
	if err != nil {
		return 0, err
	}
	k := c.e.k()
	intra := make([]float64, k)
	for i, code := range c.e.codes {
		intra[code] += math.Sqrt(sqDist(x[i*dim:(i+1)*dim], c.at(int(code))))
	}
	allZero := true
	for j := range intra {
		intra[j] /= float64(c.e.counts[j])
		allZero = allZero && intra[j] <= allCloseTol
	}
	dist := make([]float64, k*k)
	distZero := true
	for a := range k {
		for b := range k {
			if a != b {
				dist[a*k+b] = math.Sqrt(sqDist(c.at(a), c.at(b)))
				distZero = distZero && dist[a*k+b] <= allCloseTol
			}
		}
	}
	if allZero || distZero {
		return 0, nil
	}
	var sum float64
	for a := range k {
		var worst float64
		for b := range k {
			if d := dist[a*k+b]; d != 0 {
				worst = max(worst, (intra[a]+intra[b])/d)
			}
		}
		sum += worst
	}
	return sum / float64(k), nil
}

// allCloseTol is numpy.allclose's default absolute tolerance, with which
// scikit-learn decides that all distances are 0.
const allCloseTol = 1e-8

// centroids holds a labeling's dense codes and its cluster means.
type centroids struct {
	e    encoded
	dim  int
	mean []float64 // k*dim, row-major
}

// at returns the mean of cluster j.
func (c *centroids) at(j int) []float64 { return c.mean[j*c.dim : (j+1)*c.dim] }

// newCentroids checks the points and the labeling for an internal index named
// op and returns the cluster means (each the sum of its points, in order,
// divided by its count, as numpy.mean along axis 0 does).
func newCentroids(x []float64, dim int, labels []int, op string) (*centroids, error) {
	checkPoints(x, dim, len(labels))
	e := encode(labels)
	if err := checkLabelCount(e); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: coordinate %d of point %d is %v", op, i%dim, i/dim, v)
		}
	}
	c := &centroids{e: e, dim: dim, mean: make([]float64, e.k()*dim)}
	for i, code := range e.codes {
		m := c.at(int(code))
		for d, v := range x[i*dim : (i+1)*dim] {
			m[d] += v
		}
	}
	for j, cnt := range e.counts {
		m := c.at(j)
		for d := range m {
			m[d] /= float64(cnt)
		}
	}
	return c, nil
}

// sqDist returns ‖p − q‖² for len(p) == len(q).
func sqDist(p, q []float64) float64 {
	q = q[:len(p)]
	var s float64
	for d, v := range p {
		u := v - q[d]
		s += u * u
	}
	return s
}
