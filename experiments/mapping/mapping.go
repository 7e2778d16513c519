// Package mapping names clusters by true labels, so that a clustering can be
// read, and scored, as a classifier: "do the clusters mean emotions?".
//
// Clusters are ints 0..k-1 and labels ints 0..classes-1. A mapping is a slice
// m of length k with m[j] the label given to cluster j, or -1 when cluster j
// is unmapped. Majority and OneToOne derive a mapping from training rows,
// Manual validates one given in a config, and Apply maps cluster assignments
// to labels. Hungarian is the assignment solver behind OneToOne.
//
// A length mismatch, a negative k or classes, or a cluster or label outside
// its range in the rows passed to Majority, OneToOne or Apply is a programmer
// error and panics with a "mapping:" prefix; problems with user input (a
// manual mapping, a label name, too few clusters for a one-to-one mapping)
// are returned as errors.
package mapping

import (
	"fmt"
	"slices"
)

// Unmapped is the label of a cluster that has no label.
const Unmapped = -1

// Majority maps each cluster to the most frequent true label among its
// training members: with n_jl the number of rows i with clusters[i] == j and
// labels[i] == l,
//
//	m[j] = argmax_l n_jl,
//
// the smallest such l on ties, and m[j] = -1 when cluster j has no members.
// Several clusters may map to the same label. This is the mapping under which
// the fraction of rows labelled correctly is the purity of the clustering
// (Manning, Raghavan & Schütze 2008, "Introduction to Information Retrieval",
// §16.3).
//
// Majority panics if len(clusters) != len(labels), k or classes is negative,
// or a cluster is not in [0, k) or a label not in [0, classes).
func Majority(clusters, labels []int, k, classes int) []int {
	n := contingency(clusters, labels, k, classes)
	m := make([]int, k)
	for j, row := range n {
		m[j] = Unmapped
		best := 0
		for l, c := range row {
			if c > best {
				m[j], best = l, c
			}
		}
	}
	return m
}

// OneToOne maps clusters to labels one-to-one, maximising the number of
// training rows whose cluster maps to their label,
//
//	Σ_j n_{j,m[j]}  (over mapped clusters j),
//
// with n_jl the k×classes contingency table of Majority. Every label is used
// by exactly one cluster and the k − classes leftover clusters map to -1.
// The optimum is found by Hungarian (Kuhn 1955; Munkres 1957) on the
// classes×k min-cost problem cost[l][j] = −n_jl.
//
// Tie rule: among all optimal mappings OneToOne returns the lexicographically
// smallest vector m (m[0] first), with -1 ordered after every label. That is,
// cluster 0 takes the smallest label, or failing that -1, that still allows
// an optimal total; then cluster 1; and so on. Each choice is checked by
// solving the remaining assignment problem exactly (the counts are integers),
// which costs at most k·classes further solves of at most classes×k. The
// rule depends only on the contingency table, so the result does not depend
// on the order of the rows.
//
// OneToOne returns an error if k < classes. It panics if len(clusters) !=
// len(labels), k or classes is negative, or a cluster is not in [0, k) or a
// label not in [0, classes).
func OneToOne(clusters, labels []int, k, classes int) ([]int, error) {
	n := contingency(clusters, labels, k, classes)
	if k < classes {
		return nil, fmt.Errorf("one-to-one mapping needs clusters (%d) >= classes (%d)", k, classes)
	}
	return oneToOne(n, classes), nil
}

// oneToOne returns the tie-ruled optimal one-to-one mapping for the k×classes
// contingency table n, k >= classes.
func oneToOne(n [][]int, classes int) []int {
	k := len(n)
	all := make([]int, classes)
	for l := range all {
		all[l] = l
	}
	best := bestRest(n, all, 0)

	m := make([]int, k)
	free := all // labels not yet used, increasing
	var fixed int
	for j := range m {
		m[j] = Unmapped
		rest := make([]int, 0, len(free))
		for idx, l := range free {
			rest = append(rest[:0], free[:idx]...)
			rest = append(rest, free[idx+1:]...)
			if len(rest) > k-j-1 {
				continue // the labels left cannot all be placed
			}
			if fixed+n[j][l]+bestRest(n, rest, j+1) == best {
				m[j] = l
				fixed += n[j][l]
				free = slices.Clone(rest)
				break
			}
		}
		// Otherwise -1 must be optimal: the prefix m[:j] extends to an
		// optimal mapping and cluster j takes none of the free labels in it.
	}
	return m
}

// bestRest returns the largest Σ n[j][l] over one-to-one assignments of every
// label in labels to a distinct cluster j >= from.
func bestRest(n [][]int, labels []int, from int) int {
	if len(labels) == 0 {
		return 0
	}
	cost := make([][]float64, len(labels))
	for r, l := range labels {
		cost[r] = make([]float64, len(n)-from)
		for j := from; j < len(n); j++ {
			cost[r][j-from] = -float64(n[j][l])
		}
	}
	_, total := hungarian(cost)
	return -int(total)
}

// contingency returns the k×classes table of counts n[j][l] of rows with
// cluster j and label l, panicking on invalid arguments.
func contingency(clusters, labels []int, k, classes int) [][]int {
	if len(clusters) != len(labels) {
		panic(fmt.Sprintf("mapping: len(clusters) = %d != len(labels) = %d", len(clusters), len(labels)))
	}
	checkSizes(k, classes)
	n := make([][]int, k)
	cells := make([]int, k*classes)
	for j := range n {
		n[j] = cells[j*classes : (j+1)*classes : (j+1)*classes]
	}
	for i, j := range clusters {
		l := labels[i]
		if j < 0 || j >= k {
			panic(fmt.Sprintf("mapping: cluster %d at index %d is not in [0, %d)", j, i, k))
		}
		if l < 0 || l >= classes {
			panic(fmt.Sprintf("mapping: label %d at index %d is not in [0, %d)", l, i, classes))
		}
		n[j][l]++
	}
	return n
}

// checkSizes panics if k or classes is negative.
func checkSizes(k, classes int) {
	if k < 0 || classes < 0 {
		panic(fmt.Sprintf("mapping: negative size: k = %d, classes = %d", k, classes))
	}
}

// Apply returns mapped with mapped[i] = m[clusters[i]], which is -1 where
// the cluster is unmapped. It panics if a cluster is not in [0, len(m)).
func Apply(m []int, clusters []int) []int {
	mapped := make([]int, len(clusters))
	for i, j := range clusters {
		if j < 0 || j >= len(m) {
			panic(fmt.Sprintf("mapping: cluster %d at index %d is not in [0, %d)", j, i, len(m)))
		}
		mapped[i] = m[j]
	}
	return mapped
}

// Manual validates a user's mapping, given as cluster -> label pairs (as in a
// config), and returns it as a mapping of length k with -1 for the clusters
// not listed. Several clusters may share a label, and a pair may not map a
// cluster to -1 (leave the cluster out instead). Pairs are checked in
// increasing cluster order and the first problem is returned, naming it:
// "cluster 9 is not below k = 7", "cluster -1 is negative", "label 8 is not
// below 7 classes" or "label -2 is negative".
//
// A cluster cannot be listed twice in a map; catching a duplicated key is the
// job of the config decoder. Manual panics if k or classes is negative.
func Manual(pairs map[int]int, k, classes int) ([]int, error) {
	checkSizes(k, classes)
	m := make([]int, k)
	for j := range m {
		m[j] = Unmapped
	}
	keys := make([]int, 0, len(pairs))
	for j := range pairs {
		keys = append(keys, j)
	}
	slices.Sort(keys)
	for _, j := range keys {
		l := pairs[j]
		switch {
		case j < 0:
			return nil, fmt.Errorf("cluster %d is negative", j)
		case j >= k:
			return nil, fmt.Errorf("cluster %d is not below k = %d", j, k)
		case l < 0:
			return nil, fmt.Errorf("label %d is negative", l)
		case l >= classes:
			return nil, fmt.Errorf("label %d is not below %d classes", l, classes)
		}
		m[j] = l
	}
	return m, nil
}
