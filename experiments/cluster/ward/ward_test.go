package ward

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"sweep/metrics"
)

// reference is the part of ../testdata/cluster_ref.json that ward tests
// read; cluster_ref.py (beside it) made it with scipy 1.10.1 and
// scikit-learn 1.2.1.
type reference struct {
	Datasets map[string]struct {
		Dim  int       `json:"dim"`
		X    []float64 `json:"x"`
		Ward struct {
			Linkage [][4]float64     `json:"linkage"`
			Labels  map[string][]int `json:"labels"`
		} `json:"ward"`
	} `json:"datasets"`
}

func loadReference(t *testing.T) reference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "cluster_ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// TestMatchesScipy compares every merge with scipy.cluster.hierarchy.ward:
// the same clusters and sizes, and heights within 1e-9.
func TestMatchesScipy(t *testing.T) {
	for name, d := range loadReference(t).Datasets {
		t.Run(name, func(t *testing.T) {
			tree, err := Build(d.X, d.Dim)
			if err != nil {
				t.Fatal(err)
			}
			if len(tree.Merges) != len(d.Ward.Linkage) {
				t.Fatalf("%d merges, scipy %d", len(tree.Merges), len(d.Ward.Linkage))
			}
			worst := 0.0
			for i, m := range tree.Merges {
				z := d.Ward.Linkage[i]
				if m.A != int(z[0]) || m.B != int(z[1]) || m.Size != int(z[3]) {
					t.Fatalf("merge %d: %+v, scipy %v", i, m, z)
				}
				worst = max(worst, math.Abs(m.Height-z[2]))
			}
			if worst > 1e-9 {
				t.Errorf("largest height difference %g > 1e-9", worst)
			}
			t.Logf("largest height difference %.3g", worst)
		})
	}
}

// TestCutMatchesSklearn compares Cut(k) with scikit-learn's
// AgglomerativeClustering(n_clusters=k, linkage='ward').labels_ for
// k = 2..12: the same partition (ARI = 1), up to the numbering of clusters.
func TestCutMatchesSklearn(t *testing.T) {
	for name, d := range loadReference(t).Datasets {
		tree, err := Build(d.X, d.Dim)
		if err != nil {
			t.Fatal(err)
		}
		for ks, want := range d.Ward.Labels {
			k, _ := strconv.Atoi(ks)
			got, err := tree.Cut(k)
			if err != nil {
				t.Fatal(err)
			}
			if ari := metrics.AdjustedRandIndex(want, got); ari != 1 || !samePartition(want, got) {
				t.Errorf("%s k=%d: ARI %g against scikit-learn", name, k, ari)
			}
		}
	}
}

// samePartition reports whether a and b are equal up to renaming labels.
func samePartition(a, b []int) bool {
	ab, ba := map[int]int{}, map[int]int{}
	for i := range a {
		if v, ok := ab[a[i]]; ok && v != b[i] {
			return false
		}
		if v, ok := ba[b[i]]; ok && v != a[i] {
			return false
		}
		ab[a[i]], ba[b[i]] = b[i], a[i]
	}
	return true
}

// greedyWard is the textbook reference: repeatedly merge the pair with the
// smallest Ward distance, O(n³). Heights only (ties may order differently).
func greedyWard(x []float64, dim int) []float64 {
	n := len(x) / dim
	type cl struct {
		c    []float64
		size float64
	}
	cls := make([]cl, n)
	for i := range cls {
		cls[i] = cl{slices.Clone(x[i*dim : i*dim+dim]), 1}
	}
	var hs []float64
	for len(cls) > 1 {
		bi, bj, bd := 0, 1, math.Inf(1)
		for i := range cls {
			for j := i + 1; j < len(cls); j++ {
				d := math.Sqrt(2*cls[i].size*cls[j].size/(cls[i].size+cls[j].size)) * math.Sqrt(sqDist(cls[i].c, cls[j].c))
				if d < bd {
					bi, bj, bd = i, j, d
				}
			}
		}
		a, b := cls[bi], cls[bj]
		for k := range a.c {
			a.c[k] = (a.size*a.c[k] + b.size*b.c[k]) / (a.size + b.size)
		}
		cls[bi] = cl{a.c, a.size + b.size}
		cls = slices.Delete(cls, bj, bj+1)
		hs = append(hs, bd)
	}
	slices.Sort(hs)
	return hs
}

// TestMatchesGreedy checks the chain against the greedy algorithm on random
// data in 1 to 7 dimensions (covering the unrolled and generic searches).
func TestMatchesGreedy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for dim := 1; dim <= 7; dim++ {
		for _, n := range []int{1, 2, 3, 17, 90} {
			x := make([]float64, n*dim)
			for i := range x {
				x[i] = rng.NormFloat64() * 3
			}
			tree, err := Build(x, dim)
			if err != nil {
				t.Fatal(err)
			}
			want := greedyWard(x, dim)
			for i, m := range tree.Merges {
				if math.Abs(m.Height-want[i]) > 1e-9*max(1, want[i]) {
					t.Fatalf("dim %d n %d merge %d: height %g, greedy %g", dim, n, i, m.Height, want[i])
				}
			}
			checkTree(t, tree)
		}
	}
}

// checkTree checks the invariants of a linkage: heights non-decreasing,
// children created before their parent and used once, sizes adding up.
func checkTree(t *testing.T, tree *Tree) {
	t.Helper()
	n := tree.N
	size := make([]int, 2*n-1)
	used := make([]bool, 2*n-1)
	for i := range n {
		size[i] = 1
	}
	for i, m := range tree.Merges {
		if i > 0 && m.Height < tree.Merges[i-1].Height {
			t.Fatalf("merge %d: height %g below the previous %g", i, m.Height, tree.Merges[i-1].Height)
		}
		if !(m.A < m.B && m.B < n+i) || used[m.A] || used[m.B] {
			t.Fatalf("merge %d: bad children %d, %d", i, m.A, m.B)
		}
		used[m.A], used[m.B] = true, true
		size[n+i] = size[m.A] + size[m.B]
		if m.Size != size[n+i] {
			t.Fatalf("merge %d: size %d, want %d", i, m.Size, size[n+i])
		}
	}
}

// TestCutNumbering checks Cut's edge cases and its numbering by smallest row.
func TestCutNumbering(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := make([]float64, 2*40)
	for i := range x {
		x[i] = rng.Float64()
	}
	tree, err := Build(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 40; k++ {
		labels, err := tree.Cut(k)
		if err != nil {
			t.Fatal(err)
		}
		next := 0
		for i, l := range labels {
			if l > next || l < 0 {
				t.Fatalf("k=%d row %d: label %d, next new label %d", k, i, l, next)
			}
			if l == next {
				next++
			}
		}
		if next != k {
			t.Fatalf("k=%d: %d clusters", k, next)
		}
	}
	for _, k := range []int{0, -1, 41} {
		if _, err := tree.Cut(k); err == nil {
			t.Errorf("Cut(%d) of 40 rows: no error", k)
		}
	}
}

// TestDuplicates checks identical rows: they merge first, at height 0, and
// a cut into more clusters than distinct rows keeps copies apart only as
// needed.
func TestDuplicates(t *testing.T) {
	x := []float64{1, 1, 1, 1, 1, 1, 5, 5, 5, 5}
	tree, err := Build(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Worked by hand and equal to scipy's ward: rows 0-2 at (1,1), rows 3-4
	// at (5,5). The chain merges rows 0 and 1, then (restarting at the lowest
	// live slot) that pair with row 2, then rows 3 and 4; the last merge
	// joins 3 and 2 rows at distance √32: √(2·3·2/5)·√32 = √76.8.
	want := []Merge{{0, 1, 0, 2}, {2, 5, 0, 3}, {3, 4, 0, 2}, {6, 7, math.Sqrt(76.8), 5}}
	for i, m := range tree.Merges {
		if m.A != want[i].A || m.B != want[i].B || m.Size != want[i].Size || math.Abs(m.Height-want[i].Height) > 1e-12 {
			t.Errorf("merge %d: %+v, want %+v", i, m, want[i])
		}
	}
	labels, _ := tree.Cut(2)
	if !slices.Equal(labels, []int{0, 0, 0, 1, 1}) {
		t.Errorf("Cut(2) = %v", labels)
	}
}

func TestMeansAssign(t *testing.T) {
	x := []float64{0, 0, 2, 0, 10, 10, 12, 10}
	means, err := Means(x, 2, []int{0, 0, 1, 1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(means, []float64{1, 0, 11, 10}) {
		t.Fatalf("means %v", means)
	}
	labels := make([]int, 3)
	Assign([]float64{0, 1, 9, 9, 6, 5}, 2, means, labels)
	if !slices.Equal(labels, []int{0, 1, 0}) { // (6,5): 34 to (1,0), 50 to (11,10)
		t.Errorf("Assign = %v", labels)
	}
	if _, err := Means(x, 2, []int{0, 0, 0, 0}, 2); err == nil {
		t.Error("Means with an empty cluster: no error")
	}
}

func TestBuildErrors(t *testing.T) {
	for _, x := range [][]float64{nil, {1, math.NaN()}, {math.Inf(1), 0}, {2e100, 0}} {
		if _, err := Build(x, 2); err == nil {
			t.Errorf("Build(%v): no error", x)
		}
	}
	for _, f := range []func(){
		func() { _, _ = Build([]float64{1, 2, 3}, 2) },
		func() { _, _ = Build([]float64{1}, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic on a shape error")
				}
			}()
			f()
		}()
	}
}

// TestBucketsMatchPlain checks that the pruned search gives the merges of
// the plain scan (chain.go) to the bit, on gaussian data and on small
// integer grids full of ties, in 1 to 7 dimensions.
func TestBucketsMatchPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for dim := 1; dim <= 7; dim++ {
		for _, n := range []int{1, 2, 5, 40, 700} {
			for _, grid := range []bool{false, true} {
				x := make([]float64, n*dim)
				for i := range x {
					if grid {
						x[i] = float64(rng.IntN(4))
					} else {
						x[i] = rng.NormFloat64() * float64(1+i%dim)
					}
				}
				want := newChain(x, dim).run()
				got := newBucketChain(x, dim).run()
				if !slices.Equal(got, want) {
					t.Fatalf("dim %d n %d grid %v: merges differ", dim, n, grid)
				}
			}
		}
	}
}
