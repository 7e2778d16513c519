package mapping

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// rowsFromTable returns rows (clusters[i], labels[i]) with n[j][l] copies of
// (j, l), in table order.
func rowsFromTable(n [][]int) (clusters, labels []int) {
	for j, row := range n {
		for l, c := range row {
			for range c {
				clusters = append(clusters, j)
				labels = append(labels, l)
			}
		}
	}
	return clusters, labels
}

// randomTable returns a k×classes table of counts uniform in [0, hi].
func randomTable(rng *rand.Rand, k, classes, hi int) [][]int {
	n := make([][]int, k)
	for j := range n {
		n[j] = make([]int, classes)
		for l := range n[j] {
			n[j][l] = rng.IntN(hi + 1)
		}
	}
	return n
}

// score returns the number of rows whose cluster maps to their label.
func score(m, clusters, labels []int) int {
	var s int
	for i, j := range clusters {
		if m[j] == labels[i] {
			s++
		}
	}
	return s
}

// lexLess reports whether mapping a precedes b in OneToOne's tie order:
// lexicographic, with -1 after every label.
func lexLess(a, b []int) bool {
	key := func(v int) int {
		if v < 0 {
			return int(^uint(0) >> 1)
		}
		return v
	}
	for j := range a {
		if a[j] != b[j] {
			return key(a[j]) < key(b[j])
		}
	}
	return false
}

// bruteOneToOne returns, by enumerating every injective map of the labels
// into the clusters, the best one-to-one mapping for table n under
// OneToOne's objective and tie rule.
func bruteOneToOne(n [][]int, classes int) []int {
	k := len(n)
	m := make([]int, k)
	for j := range m {
		m[j] = -1
	}
	var best []int
	bestScore := -1
	var rec func(l, s int)
	rec = func(l, s int) {
		if l == classes {
			if s > bestScore || s == bestScore && lexLess(m, best) {
				best, bestScore = slices.Clone(m), s
			}
			return
		}
		for j := range m {
			if m[j] == -1 {
				m[j] = l
				rec(l+1, s+n[j][l])
				m[j] = -1
			}
		}
	}
	rec(0, 0)
	return best
}

func TestMajority(t *testing.T) {
	tests := []struct {
		name       string
		clusters   []int
		labels     []int
		k, classes int
		want       []int
	}{
		// Cluster 0: labels {1, 1, 0} -> 1. Cluster 1: {2, 2} -> 2. Cluster
		// 2: {0, 1}, a tie won by the smaller label 0. Cluster 3 is empty.
		{"tie and empty cluster", []int{0, 0, 0, 1, 1, 2, 2}, []int{1, 1, 0, 2, 2, 0, 1}, 4, 3, []int{1, 2, 0, -1}},
		{"several clusters share a label", []int{0, 1, 2}, []int{4, 4, 4}, 3, 7, []int{4, 4, 4}},
		{"three-way tie", []int{0, 0, 0}, []int{2, 1, 0}, 1, 3, []int{0}},
		{"no rows", nil, nil, 2, 7, []int{-1, -1}},
		{"no clusters", nil, nil, 0, 7, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Majority(tt.clusters, tt.labels, tt.k, tt.classes)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Majority = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOneToOne(t *testing.T) {
	tests := []struct {
		name       string
		table      [][]int // counts n[cluster][label], expanded to rows
		k, classes int     // k defaults to len(table)
		want       []int
		err        string
	}{
		// Majority gives [0 0 2] (score 5+4+3 = 12 with a shared label); one
		// to one, 1,0,2 scores 4+4+3 = 11 against 5+0+3 = 8 for 0,1,2 or
		// 0,2,1 (hand computation).
		{"square", [][]int{{5, 4, 0}, {4, 0, 0}, {0, 1, 3}}, 0, 3, []int{1, 0, 2}, ""},
		// 0,1,- scores 3+2 = 5; 0,-,1 scores 3+1 = 4; the rest less.
		{"leftover cluster", [][]int{{3, 0}, {2, 2}, {0, 1}}, 0, 2, []int{0, 1, -1}, ""},
		// Both clusters score 2 for label 0: the tie rule puts -1 last.
		{"tie with a leftover", [][]int{{2}, {2}}, 0, 1, []int{0, -1}, ""},
		// Every mapping scores 2: the lexicographically smallest wins.
		{"all equal", [][]int{{1, 1}, {1, 1}}, 0, 2, []int{0, 1}, ""},
		// Only cluster 2 -> label 1 scores; label 0 goes to the first free
		// cluster.
		{"forced late cluster", [][]int{{0, 0}, {0, 0}, {0, 1}}, 0, 2, []int{0, -1, 1}, ""},
		{"no rows", [][]int{{0, 0}, {0, 0}, {0, 0}}, 0, 2, []int{0, 1, -1}, ""},
		{"no classes", [][]int{{}, {}}, 0, 0, []int{-1, -1}, ""},
		{"too few clusters", nil, 5, 7, nil, "one-to-one mapping needs clusters (5) >= classes (7)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := tt.k
			if k == 0 {
				k = len(tt.table)
			}
			clusters, labels := rowsFromTable(tt.table)
			got, err := OneToOne(clusters, labels, k, tt.classes)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("OneToOne = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestOneToOneMatchesBruteForce checks the optimum and the tie rule against
// enumeration of all one-to-one mappings, for every classes <= k <= 7, on
// tables with few distinct counts (many ties) and on rows drawn at random.
func TestOneToOneMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const seeds = 20
	for _, hi := range []int{1, 2, 20} {
		for classes := 0; classes <= 7; classes++ {
			for k := max(classes, 1); k <= 7; k++ {
				t.Run(fmt.Sprintf("hi%d/k%d/c%d", hi, k, classes), func(t *testing.T) {
					for range seeds {
						n := randomTable(rng, k, classes, hi)
						clusters, labels := rowsFromTable(n)
						got, err := OneToOne(clusters, labels, k, classes)
						if err != nil {
							t.Fatal(err)
						}
						if want := bruteOneToOne(n, classes); !slices.Equal(got, want) {
							t.Fatalf("table %v: OneToOne = %v (score %d), brute force %v (score %d)",
								n, got, score(got, clusters, labels), want, score(want, clusters, labels))
						}
					}
				})
			}
		}
	}
}

// TestOneToOneRowOrder checks that shuffling the rows does not change the
// mapping, on data with many ties.
func TestOneToOneRowOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, shape := range []struct{ k, classes, hi int }{{7, 7, 1}, {7, 5, 2}, {15, 7, 3}, {12, 7, 50}} {
		t.Run(fmt.Sprintf("k%d/c%d/hi%d", shape.k, shape.classes, shape.hi), func(t *testing.T) {
			for range 10 {
				n := randomTable(rng, shape.k, shape.classes, shape.hi)
				clusters, labels := rowsFromTable(n)
				want, err := OneToOne(clusters, labels, shape.k, shape.classes)
				if err != nil {
					t.Fatal(err)
				}
				for range 5 {
					rng.Shuffle(len(clusters), func(a, b int) {
						clusters[a], clusters[b] = clusters[b], clusters[a]
						labels[a], labels[b] = labels[b], labels[a]
					})
					got, err := OneToOne(clusters, labels, shape.k, shape.classes)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("shuffled rows: %v, table order: %v", got, want)
					}
				}
			}
		})
	}
}

// TestMappingProperties checks, on random rows, that Majority picks a most
// frequent label per cluster, that OneToOne uses every label exactly once,
// and that Majority, being unconstrained, scores at least as well as
// OneToOne.
func TestMappingProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 50 {
		classes := 1 + rng.IntN(7)
		k := classes + rng.IntN(9)
		rows := rng.IntN(200)
		clusters := make([]int, rows)
		labels := make([]int, rows)
		for i := range clusters {
			clusters[i] = rng.IntN(k)
			labels[i] = rng.IntN(classes)
		}
		n := contingency(clusters, labels, k, classes)

		maj := Majority(clusters, labels, k, classes)
		for j, l := range maj {
			top := slices.Max(n[j])
			if l == -1 && top != 0 || l != -1 && (n[j][l] != top || slices.Index(n[j], top) != l) {
				t.Fatalf("trial %d: cluster %d counts %v mapped to %d", trial, j, n[j], l)
			}
		}

		one, err := OneToOne(clusters, labels, k, classes)
		if err != nil {
			t.Fatal(err)
		}
		uses := make([]int, classes)
		unmapped := 0
		for _, l := range one {
			if l == -1 {
				unmapped++
			} else {
				uses[l]++
			}
		}
		if unmapped != k-classes || slices.ContainsFunc(uses, func(u int) bool { return u != 1 }) {
			t.Fatalf("trial %d: %v is not one-to-one onto %d classes", trial, one, classes)
		}
		if sm, so := score(maj, clusters, labels), score(one, clusters, labels); sm < so {
			t.Fatalf("trial %d: majority scores %d < one-to-one %d", trial, sm, so)
		}
	}
}

func TestApply(t *testing.T) {
	tests := []struct {
		name     string
		m        []int
		clusters []int
		want     []int
	}{
		{"mapped and unmapped", []int{2, -1, 0}, []int{0, 1, 2, 0}, []int{2, -1, 0, 2}},
		{"no rows", []int{2}, nil, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Apply(tt.m, tt.clusters); !slices.Equal(got, tt.want) {
				t.Errorf("Apply = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestManual(t *testing.T) {
	tests := []struct {
		name       string
		pairs      map[int]int
		k, classes int
		want       []int
		err        string
	}{
		{"partial, shared label", map[int]int{0: 3, 2: 3}, 4, 7, []int{3, -1, 3, -1}, ""},
		{"complete", map[int]int{0: 1, 1: 0}, 2, 2, []int{1, 0}, ""},
		{"nil", nil, 3, 7, []int{-1, -1, -1}, ""},
		{"cluster too large", map[int]int{9: 1}, 7, 7, nil, "cluster 9 is not below k = 7"},
		{"label too large", map[int]int{1: 8}, 7, 7, nil, "label 8 is not below 7 classes"},
		{"negative cluster", map[int]int{-1: 0}, 7, 7, nil, "cluster -1 is negative"},
		{"negative label", map[int]int{3: -2}, 7, 7, nil, "label -2 is negative"},
		// Problems are reported for the smallest cluster first.
		{"first problem", map[int]int{8: 0, 5: 9, 6: -1}, 7, 7, nil, "label 9 is not below 7 classes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Manual(tt.pairs, tt.k, tt.classes)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Manual = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"Majority lengths", func() { Majority([]int{0}, nil, 1, 1) }, "mapping: len(clusters) = 1 != len(labels) = 0"},
		{"Majority cluster", func() { Majority([]int{0, 3}, []int{0, 0}, 3, 1) }, "mapping: cluster 3 at index 1 is not in [0, 3)"},
		{"Majority label", func() { Majority([]int{0}, []int{-1}, 3, 2) }, "mapping: label -1 at index 0 is not in [0, 2)"},
		{"Majority size", func() { Majority(nil, nil, -1, 2) }, "mapping: negative size: k = -1, classes = 2"},
		{"OneToOne label", func() { _, _ = OneToOne([]int{0}, []int{7}, 7, 7) }, "mapping: label 7 at index 0 is not in [0, 7)"},
		{"OneToOne size", func() { _, _ = OneToOne(nil, nil, 3, -2) }, "mapping: negative size: k = 3, classes = -2"},
		{"Apply", func() { Apply([]int{0, 1}, []int{1, 2}) }, "mapping: cluster 2 at index 1 is not in [0, 2)"},
		{"Manual size", func() { _, _ = Manual(nil, -3, 7) }, "mapping: negative size: k = -3, classes = 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := panicMessage(tt.f)
			if got != tt.want {
				t.Errorf("panic %q, want %q", got, tt.want)
			}
			if !strings.HasPrefix(got, "mapping: ") {
				t.Errorf("panic %q lacks the mapping: prefix", got)
			}
		})
	}
}
