package mapping

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// bruteMinCost returns the smallest Σ_i cost[i][assign[i]] over all
// assignments of the rows to distinct columns, by enumeration.
func bruteMinCost(cost [][]float64) float64 {
	if len(cost) == 0 {
		return 0
	}
	used := make([]bool, len(cost[0]))
	best := math.Inf(1)
	var rec func(i int, sum float64)
	rec = func(i int, sum float64) {
		if i == len(cost) {
			best = min(best, sum)
			return
		}
		for j, u := range used {
			if !u {
				used[j] = true
				rec(i+1, sum+cost[i][j])
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

// randomCost returns a rows×cols matrix of independent entries from draw.
func randomCost(rows, cols int, draw func() float64) [][]float64 {
	cost := make([][]float64, rows)
	for i := range cost {
		cost[i] = make([]float64, cols)
		for j := range cost[i] {
			cost[i][j] = draw()
		}
	}
	return cost
}

// checkAssignment fails t unless assign gives each row a distinct column of
// cost.
func checkAssignment(t *testing.T, cost [][]float64, assign []int) {
	t.Helper()
	if len(assign) != len(cost) {
		t.Fatalf("len(assign) = %d, want %d", len(assign), len(cost))
	}
	seen := map[int]bool{}
	for i, j := range assign {
		if j < 0 || j >= len(cost[i]) || seen[j] {
			t.Fatalf("assign = %v is not an assignment of %d columns", assign, len(cost[i]))
		}
		seen[j] = true
	}
}

func TestHungarianMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	draws := []struct {
		name string
		draw func() float64
		tol  float64 // integer costs: every sum is exact
	}{
		{"binary", func() float64 { return float64(rng.IntN(2)) }, 0},
		{"0..3", func() float64 { return float64(rng.IntN(4)) }, 0},
		{"-50..50", func() float64 { return float64(rng.IntN(101) - 50) }, 0},
		{"constant", func() float64 { return 7 }, 0},
		// Real costs: the totals differ by rounding only, far below 1e-9.
		{"uniform", func() float64 { return 1e3 * rng.Float64() }, 1e-9},
	}
	const seeds = 25
	for _, d := range draws {
		for rows := 0; rows <= 7; rows++ {
			for cols := max(rows, 1); cols <= 7; cols++ {
				t.Run(fmt.Sprintf("%s/%dx%d", d.name, rows, cols), func(t *testing.T) {
					for range seeds {
						cost := randomCost(rows, cols, d.draw)
						assign, total := hungarian(cost)
						checkAssignment(t, cost, assign)
						var sum float64
						for i, j := range assign {
							sum += cost[i][j]
						}
						want := bruteMinCost(cost)
						if math.Abs(sum-want) > d.tol || math.Abs(total-want) > d.tol {
							t.Fatalf("cost %v: assign %v costs %v (reported %v), brute force %v", cost, assign, sum, total, want)
						}
						if got := Hungarian(cost); fmt.Sprint(got) != fmt.Sprint(assign) {
							t.Fatalf("Hungarian = %v, hungarian = %v", got, assign)
						}
					}
				})
			}
		}
	}
}

func TestHungarianHand(t *testing.T) {
	tests := []struct {
		name string
		cost [][]float64
		want []int
	}{
		{"empty", nil, []int{}},
		{"1x1", [][]float64{{5}}, []int{0}},
		{"1x3 picks the cheapest column", [][]float64{{3, 1, 2}}, []int{1}},
		// Greedy row by row would take (0,0) and (1,1) for 1+10; the optimum
		// is (0,1) and (1,0) for 2+2 (hand computation).
		{"anti-greedy", [][]float64{{1, 2}, {2, 10}}, []int{1, 0}},
		// Both rows prefer column 2; row 1 loses less by moving (hand
		// computation: 1+2 = 3 beats 4+1 = 5 and every other total).
		{"rectangular", [][]float64{{4, 9, 1}, {2, 8, 1}}, []int{2, 0}},
		// Negative costs are fine: the diagonal costs −6, the other −2.
		{"negative", [][]float64{{-3, -1}, {-1, -3}}, []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Hungarian(tt.cost); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Hungarian(%v) = %v, want %v", tt.cost, got, tt.want)
			}
		})
	}
}

// panicMessage returns the value f panics with, as a string, or "" if f
// returns normally.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestHungarianPanics(t *testing.T) {
	tests := []struct {
		name string
		cost [][]float64
		want string
	}{
		{"more rows than columns", [][]float64{{1}, {2}}, "mapping: cost has 2 rows > 1 columns"},
		{"ragged", [][]float64{{1, 2}, {3}}, "mapping: cost row 1 has length 1, row 0 has 2"},
		{"NaN", [][]float64{{1, math.NaN()}}, "mapping: cost[0][1] = NaN is not finite"},
		{"Inf", [][]float64{{math.Inf(-1), 1}}, "mapping: cost[0][0] = -Inf is not finite"},
		{"no columns", [][]float64{{}}, "mapping: cost has 1 rows > 0 columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := panicMessage(func() { Hungarian(tt.cost) })
			if got != tt.want {
				t.Errorf("panic %q, want %q", got, tt.want)
			}
			if !strings.HasPrefix(got, "mapping: ") {
				t.Errorf("panic %q lacks the mapping: prefix", got)
			}
		})
	}
}
