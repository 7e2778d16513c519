package experiments

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"sweep/experiments/dataset"
	"sweep/experiments/features"
	"sweep/runner"
)

// featureSet is one features kind with its parameters (a features axis
// value, and the values of any features.* axes) for the rows that the
// data variants reading it select. Its matrix is a shared stage, computed
// once, in parallel over rows, by the first scaling that needs it.
type featureSet struct {
	key    string // the stage's key: "features/hog", or with features.* axis values
	name   string
	params features.Params
	dim    int
	rows   []int   // the data rows computed, ascending
	at     []int32 // at[data row] is its row of the matrix, -1 if not computed
}

// featureMatrix is a featureSet's computed matrix: len(rows) rows of dim
// float32 values, row k the features of data row rows[k].
type featureMatrix struct {
	x []float32
}

// featureGrain is the rows one chunk of the features stage computes;
// chunks are the unit of cancellation (256 HOG images take about 10 ms).
const featureGrain = 256

// newFeatureSet describes the features of variant config vc on data d,
// or returns nil for pixels, which the stages read from d.Pixels.
func newFeatureSet(vc *Config, da Axes, d *dataset.Dataset) (*featureSet, error) {
	name := vc.Features.Kind()
	if name == features.Pixels {
		return nil, nil
	}
	img := d.ImageData()
	if img == nil {
		return nil, fmt.Errorf("grid.features: %s needs images, and %s", name, d.NoImages())
	}
	if vc.Data.Scale == "unit" {
		return nil, fmt.Errorf("data.scale: unit divides grey levels by 255, and %s features are not grey levels (use minmax or none)", name)
	}
	e, err := features.New(name, vc.Features.Params(), img.Side, img.Side)
	if err != nil {
		return nil, fmt.Errorf("features.%w", err)
	}
	key := "features/" + name
	if p := da.Filter(func(k string) bool { return strings.HasPrefix(k, "features.") }); p.Len() > 0 {
		key += "/" + p.String()
	}
	return &featureSet{key: key, name: name, params: vc.Features.Params(), dim: e.Dim()}, nil
}

// addRows adds rows to the set's rows (before the stage runs).
func (fs *featureSet) addRows(rows []int) { fs.rows = append(fs.rows, rows...) }

// index sorts and dedupes the rows and maps data rows to matrix rows.
func (fs *featureSet) index(n int) {
	slices.Sort(fs.rows)
	fs.rows = slices.Compact(fs.rows)
	fs.at = make([]int32, n)
	for i := range fs.at {
		fs.at[i] = -1
	}
	for k, r := range fs.rows {
		fs.at[r] = int32(k)
	}
}

// matrixRows returns the matrix rows of data rows.
func (fs *featureSet) matrixRows(rows []int) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		k := fs.at[r]
		if k < 0 {
			panic(fmt.Sprintf("experiments: %s: data row %d was not computed", fs.key, r))
		}
		out[i] = int(k)
	}
	return out
}

// features computes fs's matrix: the images of its rows through one
// Extractor per chunk of rows, chunks on the sweep's workers.
func (s *Sweep) features(ctx context.Context, fs *featureSet) (*featureMatrix, error) {
	return runner.Stage(ctx, &s.stages, fs.key, func() (*featureMatrix, error) {
		start := time.Now()
		defer s.record(fs.key, start)
		img := s.Data.ImageData()
		x, err := ExtractFeatures(ctx, fs.name, fs.params, img, fs.rows, s.Config.Workers)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fs.key, err)
		}
		return &featureMatrix{x: x}, nil
	})
}

// ExtractFeatures returns the features name of the images of d's rows
// (all rows when rows is nil), row k of the result the features of row
// rows[k], as float32, computed on workers goroutines (0 = every core) in
// chunks of rows. The result does not depend on workers. d must hold
// images (d.ImageData() == d).
func ExtractFeatures(ctx context.Context, name string, p features.Params, d *dataset.Dataset, rows []int, workers int) ([]float32, error) {
	if d.Matrix {
		return nil, fmt.Errorf("features %s: %s", name, d.NoImages())
	}
	e, err := features.New(name, p, d.Side, d.Side)
	if err != nil {
		return nil, err
	}
	n := len(rows)
	if rows == nil {
		n = d.N()
	}
	dim := e.Dim()
	x := make([]float32, n*dim)
	// One Extractor per worker: making one can cost more than a chunk
	// (HOG's gradient tables for grey levels).
	exts := make([]features.Extractor, runner.Workers(workers))
	exts[0] = e
	err = runner.For(ctx, n, featureGrain, workers, func(ctx context.Context, worker, lo, hi int) error {
		e := exts[worker]
		if e == nil {
			var err error
			if e, err = features.New(name, p, d.Side, d.Side); err != nil {
				return err
			}
			exts[worker] = e
		}
		for k := lo; k < hi; k++ {
			r := k
			if rows != nil {
				r = rows[k]
			}
			e.Extract(x[k*dim:(k+1)*dim], d.Row(r))
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// FeatureDim returns the length of the features name of d's images, the
// columns of ExtractFeatures' result.
func FeatureDim(name string, p features.Params, d *dataset.Dataset) (int, error) {
	e, err := features.New(name, p, d.Side, d.Side)
	if err != nil {
		return 0, err
	}
	return e.Dim(), nil
}

// CellFeatures returns the features cell c's reductions read: pixels,
// hog or lbp.
func (s *Sweep) CellFeatures(c Cell) string { return s.variant(c).cfg.Features.Kind() }
