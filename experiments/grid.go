package experiments

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxAxes bounds the extra axes of a grid (keys other than reducer,
// components, clusters and folds). It keeps Cell a comparable value.
const MaxAxes = 8

// AxisValue is the value of one extra axis in a cell: the axis's config
// key as a dotted path ("seed", "data.scale") and the value in its
// canonical spelling (see Axis).
type AxisValue struct {
	Key, Value string
}

// Axes holds the extra axes' values of a cell, in the order the config
// declares the axes. It is a comparable value; the zero value has none.
type Axes struct {
	n  int
	kv [MaxAxes]AxisValue
}

// Len is the number of extra axes.
func (a Axes) Len() int { return a.n }

// At returns the i-th axis value.
func (a Axes) At(i int) AxisValue {
	if i < 0 || i >= a.n {
		panic(fmt.Sprintf("experiments: axis %d of %d", i, a.n))
	}
	return a.kv[i]
}

// Get returns the value of the axis key, and whether the cell has it.
func (a Axes) Get(key string) (string, bool) {
	for _, v := range a.kv[:a.n] {
		if v.Key == key {
			return v.Value, true
		}
	}
	return "", false
}

// With returns a copy with v appended.
func (a Axes) With(v AxisValue) Axes {
	if a.n == MaxAxes {
		panic(fmt.Sprintf("experiments: more than %d axes", MaxAxes))
	}
	a.kv[a.n] = v
	a.n++
	return a
}

// Filter returns the axis values whose key keep accepts, in order.
func (a Axes) Filter(keep func(key string) bool) Axes {
	var out Axes
	for _, v := range a.kv[:a.n] {
		if keep(v.Key) {
			out = out.With(v)
		}
	}
	return out
}

// Without returns a copy without the axis key.
func (a Axes) Without(key string) Axes {
	return a.Filter(func(k string) bool { return k != key })
}

// String joins the values as "key=value" parts separated by "/", the
// spelling Cell.Name appends to the classic name.
func (a Axes) String() string {
	parts := make([]string, a.n)
	for i, v := range a.kv[:a.n] {
		parts[i] = v.Key + "=" + v.Value
	}
	return strings.Join(parts, "/")
}

// Cell is one point of the grid: the values of the extra axes, a reducer,
// a component count, a cluster count and a fold. It is a comparable value
// with one spelling, written by Name and Key and read by ParseCell.
type Cell struct {
	Axes       Axes
	Reducer    string
	Components int
	Clusters   int
	Fold       int
}

// Name is the cell's name without the fold: the classic name
// reducer-components-clusters ("pca-2-7"), followed by "/key=value" for
// each extra axis in config order ("pca-2-7/seed=2/data.scale=unit").
func (c Cell) Name() string {
	n := c.Reducer + "-" + strconv.Itoa(c.Components) + "-" + strconv.Itoa(c.Clusters)
	if c.Axes.n > 0 {
		n += "/" + c.Axes.String()
	}
	return n
}

// Key names the cell uniquely within a sweep: Name and "/fold<f>", e.g.
// "pca-2-7/fold0" or "pca-2-7/seed=2/fold0".
func (c Cell) Key() string { return c.Name() + "/fold" + strconv.Itoa(c.Fold) }

// classicKey is Key without the extra axes ("pca-2-7/fold0"). It names the
// cell's random streams: cells that differ only in an axis other than the
// seed draw the same random numbers (common random numbers), so their
// difference comes from the axis and not from the draw.
func (c Cell) classicKey() string {
	c.Axes = Axes{}
	return c.Key()
}

// ParseCell reads what Name or Key writes. Without a "/fold<f>" part the
// fold is 0 and hasFold is false.
func ParseCell(s string) (c Cell, hasFold bool, err error) {
	parts := strings.Split(s, "/")
	head := parts[0]
	if last := parts[len(parts)-1]; len(parts) > 1 && strings.HasPrefix(last, "fold") {
		f, err := strconv.Atoi(last[len("fold"):])
		if err != nil || f < 0 || strconv.Itoa(f) != last[len("fold"):] {
			return Cell{}, false, fmt.Errorf("cell %q: %q is not fold<n>", s, last)
		}
		c.Fold, hasFold = f, true
		parts = parts[:len(parts)-1]
	}
	fields := strings.Split(head, "-")
	if len(fields) < 3 {
		return Cell{}, false, fmt.Errorf("cell %q: want reducer-components-clusters, e.g. pca-2-7", s)
	}
	n := len(fields)
	c.Reducer = strings.Join(fields[:n-2], "-")
	var e1, e2 error
	c.Components, e1 = strconv.Atoi(fields[n-2])
	c.Clusters, e2 = strconv.Atoi(fields[n-1])
	if c.Reducer == "" || e1 != nil || e2 != nil || c.Components < 1 || c.Clusters < 1 {
		return Cell{}, false, fmt.Errorf("cell %q: want reducer-components-clusters, e.g. pca-2-7", s)
	}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" || v == "" {
			return Cell{}, false, fmt.Errorf("cell %q: %q is not key=value", s, p)
		}
		if c.Axes.n == MaxAxes {
			return Cell{}, false, fmt.Errorf("cell %q: more than %d axes", s, MaxAxes)
		}
		c.Axes = c.Axes.With(AxisValue{k, v})
	}
	return c, hasFold, nil
}

// Variants returns the combinations of the grid's extra axes in report
// order: the first declared axis outermost, values in the order listed.
// A grid without extra axes has one variant, with no values.
func (g *GridConfig) Variants() []Axes {
	out := []Axes{{}}
	for _, ax := range g.Axes {
		next := make([]Axes, 0, len(out)*len(ax.Values))
		for _, a := range out {
			for _, v := range ax.Values {
				next = append(next, a.With(AxisValue{ax.Key, v}))
			}
		}
		out = next
	}
	return out
}

// Cells expands the grid in report order: the extra axes (see Variants),
// then reducer (as listed), components, clusters and fold ascending.
func (c *Config) Cells() []Cell {
	comps := slices.Sorted(slices.Values(c.Grid.Components))
	ks := slices.Sorted(slices.Values(c.Grid.Clusters))
	var out []Cell
	for _, ax := range c.Grid.Variants() {
		for _, r := range c.Grid.Reducer {
			for _, m := range comps {
				for _, k := range ks {
					for f := 0; f < c.Grid.Folds; f++ {
						out = append(out, Cell{Axes: ax, Reducer: r, Components: m, Clusters: k, Fold: f})
					}
				}
			}
		}
	}
	return out
}

// CellIndex maps cells to their index in a grid's cell list.
type CellIndex map[Cell]int

// NewCellIndex indexes cells.
func NewCellIndex(cells []Cell) CellIndex {
	ix := make(CellIndex, len(cells))
	for i, c := range cells {
		ix[c] = i
	}
	return ix
}

// errNotInGrid is wrapped by FindCell's error.
var errNotInGrid = errors.New("is not a cell of the grid")

// FindCell parses a cell name of the grid (without fold) and returns the
// cell at fold 0.
func (ix CellIndex) FindCell(name string) (Cell, error) {
	c, hasFold, err := ix.FindCellFold(name)
	if err != nil {
		return Cell{}, err
	}
	if hasFold {
		return Cell{}, fmt.Errorf("%q: name the cell without its fold", name)
	}
	return c, nil
}

// FindCellFold parses a cell name or key of the grid, as ParseCell reads
// them ("pca-2-7" or "pca-2-7/fold2"), and returns the cell at the fold
// the key names (fold 0 for a name), and whether it named one.
func (ix CellIndex) FindCellFold(name string) (c Cell, hasFold bool, err error) {
	c, hasFold, err = ParseCell(name)
	if err != nil {
		return Cell{}, false, err
	}
	if _, ok := ix[c]; ok {
		return c, hasFold, nil
	}
	at0 := c
	at0.Fold = 0
	if _, ok := ix[at0]; ok && hasFold {
		folds := 0
		for ; ; folds++ {
			at0.Fold = folds
			if _, ok := ix[at0]; !ok {
				break
			}
		}
		return Cell{}, false, fmt.Errorf("%q: fold %d is not a fold of the grid (0..%d)", name, c.Fold, folds-1)
	}
	return Cell{}, false, fmt.Errorf("%q %w", name, errNotInGrid)
}

// ShardCells returns the cells of shard i of n (0-based). The unit of the
// split is a reduction (data variant, fold, reducer), so no reduction is
// fitted in two shards; when there are more shards than reductions the
// unit becomes a group (variant, fold, reducer, components), since more
// shards can then only be kept busy by fitting a reduction more than
// once. Units are dealt to the shards in turn, in grid order, so the split
// depends only on the config.
func (c *Config) ShardCells(i, n int) []int {
	cells := c.Cells()
	type unit struct {
		axes       Axes
		fold       int
		reducer    string
		components int
	}
	reduction := func(x Cell) unit { return unit{dataAxes(x.Axes), x.Fold, x.Reducer, 0} }
	group := func(x Cell) unit { return unit{x.Axes, x.Fold, x.Reducer, x.Components} }
	key := reduction
	units := map[unit]bool{}
	for _, x := range cells {
		units[reduction(x)] = true
	}
	if n > len(units) {
		key = group
	}
	order := map[unit]int{}
	for _, x := range cells {
		if _, ok := order[key(x)]; !ok {
			order[key(x)] = len(order)
		}
	}
	var out []int
	for j, x := range cells {
		if order[key(x)]%n == i {
			out = append(out, j)
		}
	}
	return out
}
