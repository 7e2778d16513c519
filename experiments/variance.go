package experiments

import (
	"context"
	"fmt"
	"strconv"
)

// VarianceRow is one component of one reduction: a (data variant, fold,
// reducer) fitted at the grid's largest component count.
type VarianceRow struct {
	Data      Axes // the data axes of the variant (none without a data axis)
	Fold      int
	Reducer   string
	Component int // 1-based
	// Singular is the singular value of the scaled (and, for pca,
	// centred) training rows; Explained the variance along the component
	// and Ratio its share of the total variance, as scikit-learn 1.2.1
	// defines them: PCA's explained_variance_ = σ²/(n−1) over the sum of
	// the features' variances (n−1), TruncatedSVD's = the variance (n) of
	// the component's scores over the sum of the features' variances (n).
	// Cumulative sums Ratio over components 1..Component.
	Singular, Explained, Ratio, Cumulative float64
	Iterations                             int
	Converged                              bool
}

// ExplainedVariance computes (or reuses) every reduction of the sweep,
// for each data variant, fold and reducer, and returns its components'
// variance rows, in variant, fold and grid reducer order. notes lists, in
// plain words, the reductions that stopped at the iteration cap without
// converging, for the caller to print (their cells carry the same note).
func (s *Sweep) ExplainedVariance(ctx context.Context) (rows []VarianceRow, notes []string, err error) {
	seen := map[*dataVariant]bool{}
	for _, a := range s.Config.Grid.Variants() {
		v := s.variants[a]
		if seen[v.data] {
			continue
		}
		seen[v.data] = true
		for f := 0; f < v.data.sel.Folds; f++ {
			for _, red := range s.Config.Grid.Reducer {
				rs, err := s.varianceRows(ctx, v, f, red)
				if err != nil {
					return nil, nil, err
				}
				rows = append(rows, rs...)
				if len(rs) > 0 && !rs[0].Converged {
					notes = append(notes, reductionNote(v, f, red, rs[0].Iterations))
				}
			}
		}
	}
	return rows, notes, nil
}

// reductionNote says that a reduction stopped unconverged.
func reductionNote(v *variant, f int, reducer string, iter int) string {
	return fmt.Sprintf("reduction %s of fold %d%s stopped unconverged after %d iterations "+
		"(its singular values or subspace were still moving; results of its cells are approximate)",
		reducer, f, v.data.suffix, iter)
}

// varianceRows returns the variance rows of one reduction.
func (s *Sweep) varianceRows(ctx context.Context, v *variant, f int, reducer string) ([]VarianceRow, error) {
	fs, err := s.scaling(ctx, v, f)
	if err != nil {
		return nil, err
	}
	e, err := s.reduction(ctx, v, f, reducer)
	if err != nil {
		return nil, err
	}
	n := float64(len(fs.train))
	var total float64 // Σ_j Var(x_j) s_j², with n−1 (pca) or n (svd)
	for j, vj := range fs.stats.Var {
		total += vj * fs.scale[j] * fs.scale[j]
	}
	explained := make([]float64, e.Dim)
	if reducer == "pca" {
		for i, sv := range e.Model.Singular {
			explained[i] = sv * sv / (n - 1)
		}
	} else {
		total *= (n - 1) / n
		for i := range explained {
			explained[i] = columnVariance(e.Train, e.Dim, i)
		}
	}
	rows := make([]VarianceRow, e.Dim)
	data := dataAxes(firstAxes(s, v))
	var cum float64
	for i := range rows {
		ratio := explained[i] / total
		cum += ratio
		rows[i] = VarianceRow{Data: data, Fold: f, Reducer: reducer, Component: i + 1,
			Singular: e.Model.Singular[i], Explained: explained[i], Ratio: ratio, Cumulative: cum,
			Iterations: e.Model.Iter, Converged: e.Model.Converged}
	}
	return rows, nil
}

// firstAxes returns the axes of the first variant of the grid that uses
// v's data variant.
func firstAxes(s *Sweep, v *variant) Axes {
	for _, a := range s.Config.Grid.Variants() {
		if s.variants[a].data == v.data {
			return a
		}
	}
	return Axes{}
}

// columnVariance returns the population variance (n in the denominator)
// of column i of x (dim columns), as numpy.var: two passes, the second
// summing squared deviations from the mean.
func columnVariance(x []float64, dim, i int) float64 {
	n := len(x) / dim
	var sum float64
	for r := 0; r < n; r++ {
		sum += x[r*dim+i]
	}
	mean := sum / float64(n)
	var ss float64
	for r := 0; r < n; r++ {
		d := x[r*dim+i] - mean
		ss += d * d
	}
	return ss / float64(n)
}

// VarianceTable is variance.csv: one row per component of every
// reduction (see VarianceRow), the data axes first.
func VarianceTable(s *Sweep, rows []VarianceRow) (header []string, out [][]string) {
	var keys []string
	for _, ax := range s.Config.Grid.Axes {
		if IsDataAxis(ax.Key) {
			keys = append(keys, ax.Key)
		}
	}
	header = append(append([]string{}, keys...), "fold", "reducer", "component", "singular_value",
		"explained_variance", "explained_variance_ratio", "cumulative_ratio", "iterations", "converged")
	out = make([][]string, len(rows))
	for i, r := range rows {
		var row []string
		for _, k := range keys {
			v, _ := r.Data.Get(k)
			row = append(row, v)
		}
		out[i] = append(row, strconv.Itoa(r.Fold), r.Reducer, strconv.Itoa(r.Component), ftoa(r.Singular),
			ftoa(r.Explained), ftoa(r.Ratio), ftoa(r.Cumulative), strconv.Itoa(r.Iterations), strconv.FormatBool(r.Converged))
	}
	return header, out
}
