package mapping

import (
	"fmt"
	"math"
)

// Hungarian solves the rectangular linear assignment problem: given an
// n×m cost matrix with n <= m, it returns assign of length n, with distinct
// columns assign[i] in [0, m), minimising Σ_i cost[i][assign[i]].
//
// The method is the Hungarian algorithm (H. W. Kuhn, "The Hungarian method
// for the assignment problem", Naval Research Logistics Quarterly 2, 1955;
// J. Munkres, "Algorithms for the assignment and transportation problems",
// J. SIAM 5, 1957) in its shortest augmenting path form with row and column
// potentials u, v (reduced costs cost[i][j] − u_i − v_j >= 0 throughout), which
// adds one row at a time and runs in O(n²m) time and O(m) extra memory.
//
// When several assignments are optimal, the one returned is a deterministic
// function of cost, but which one is not specified (OneToOne imposes a tie
// rule on top of it). With integer costs every intermediate value is a sum of
// differences of costs, hence an integer, and the arithmetic is exact while
// these stay below 2^53 in magnitude; with other costs the total is optimal up
// to rounding.
//
// Hungarian returns an empty slice for n == 0. It panics if the rows have
// different lengths, n > m, or a cost is NaN or infinite.
func Hungarian(cost [][]float64) []int {
	assign, _ := hungarian(cost)
	return assign
}

// hungarian is Hungarian that also returns the optimal total cost.
func hungarian(cost [][]float64) ([]int, float64) {
	n := len(cost)
	if n == 0 {
		return []int{}, 0
	}
	m := len(cost[0])
	for i, row := range cost {
		if len(row) != m {
			panic(fmt.Sprintf("mapping: cost row %d has length %d, row 0 has %d", i, len(row), m))
		}
		for j, c := range row {
			if math.IsNaN(c) || math.IsInf(c, 0) {
				panic(fmt.Sprintf("mapping: cost[%d][%d] = %v is not finite", i, j, c))
			}
		}
	}
	if n > m {
		panic(fmt.Sprintf("mapping: cost has %d rows > %d columns", n, m))
	}

	// Rows are 1..n and columns 1..m; column 0 is a virtual column holding
	// the row being inserted. p[j] is the row matched to column j (0: none)
	// and way[j] the previous column on the alternating path to j.
	u := make([]float64, n+1)
	v := make([]float64, m+1)
	p := make([]int, m+1)
	way := make([]int, m+1)
	minv := make([]float64, m+1)
	used := make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = math.Inf(1)
			used[j] = false
		}
		for {
			used[j0] = true
			i0 := p[j0]
			delta := math.Inf(1)
			j1 := -1
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := cost[i0-1][j-1] - u[i0] - v[j]; cur < minv[j] {
					minv[j] = cur
					way[j] = j0
				}
				if j1 < 0 || minv[j] < delta {
					delta = minv[j]
					j1 = j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		// Augment along the alternating path ending at the free column j0.
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	assign := make([]int, n)
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			assign[p[j]-1] = j - 1
		}
	}
	var total float64
	for i, j := range assign {
		total += cost[i][j]
	}
	return assign, total
}
