// Package model fits one cell of a sweep on all its selected rows and
// saves it as a versioned JSON file (model.json), which Predict applies to
// new images: scaling, reduction, the cell's rule for held-out rows (the
// nearest centre, or a gmm cell's highest responsibility) and the learned
// mapping to labels. It is not a serving layer.
package model

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"sweep/experiments"
	"sweep/experiments/cluster/gmm"
	"sweep/experiments/dataset"
	"sweep/experiments/kmeans"
	"sweep/experiments/reduce"
	"sweep/internal/atomicfile"
	"sweep/internal/userfile"
)

// Format and Version identify a model file. The version changes whenever
// a field changes meaning; Load refuses other versions.
const (
	Format  = "sweep-model"
	Version = 3
)

// NearestPerCluster is how many training images Fit keeps for each
// cluster: those nearest its centre (Model.Nearest).
const NearestPerCluster = 6

// Model is one cell fitted on all selected rows: scaling, reduction,
// cluster centres (the k-means centres, or the means of the clusters'
// training rows for gmm and ward), the Gaussian mixture of a gmm cell and
// (for labelled data) the majority mapping of clusters to labels. Applying
// it to a row x:
//
//	y_i = sum_j (x_j - Shift_j) * Scale_j * Components[i][j]   (i < Components count)
//	cluster = argmin_c |y - Centers[c]|   (ties to the lowest index; kmeans and ward)
//	cluster = argmax_c log(w_c) + log N(y; μ_c, Σ_c)   (gmm: GaussianMixture.predict)
//	label = Mapping[cluster]   (-1: the cluster had no training members)
//
// These are the sweep's rules for held-out rows, so a k-means or gmm model
// gives the rows it was fitted on the clusters the sweep gave them; a ward
// model sends every row to the nearest cluster mean, which for training
// rows can differ from the cut of the tree.
//
// Nearest[c] are the NearestPerCluster training images of cluster c that
// lie nearest its centre, nearest first, so that a user can see what a
// cluster holds (version 2 added them; version 3 added GMM).
//
// Shift is the training rows' min (minmax scaling, svd), their mean (pca)
// or 0; Scale is 1/(max-min), 1/255 or 1, as the config's data.scale says.
type Model struct {
	Format     string             `json:"format"`
	Version    int                `json:"version"`
	Cell       string             `json:"cell"`
	Created    time.Time          `json:"created"`
	Config     experiments.Config `json:"config"`
	DataSHA256 string             `json:"data_sha256"`
	Rows       int                `json:"rows"` // training rows
	Side       int                `json:"side"`
	Reducer    string             `json:"reducer"`
	Shift      []float64          `json:"shift"`
	Scale      []float64          `json:"scale"`
	Components [][]float64        `json:"components"`
	Singular   []float64          `json:"singular_values"`
	Centers    [][]float64        `json:"centers"`
	Inertia    float64            `json:"inertia"`
	LabelNames []string           `json:"label_names,omitempty"`
	Mapping    []int              `json:"mapping,omitempty"`
	Nearest    [][]Exemplar       `json:"nearest"`
	GMM        *GMM               `json:"gmm,omitempty"` // a gmm cell's mixture; nil otherwise
}

// GMM is a Gaussian mixture in the reduced space, in scikit-learn's
// layout: Covariances holds covariances_ flattened (full: K·d·d, tied:
// d·d, diag: K·d, spherical: K values).
type GMM struct {
	Covariance  string      `json:"covariance"`
	Weights     []float64   `json:"weights"`
	Means       [][]float64 `json:"means"`
	Covariances []float64   `json:"covariances"`
}

// Exemplar is a training image near its cluster's centre.
type Exemplar struct {
	Line     int     `json:"line"`     // the row's line (CSV) or 1-based position (image folder, IDX) in the data
	Label    int     `json:"label"`    // its true label; -1 for unlabelled data
	Distance float64 `json:"distance"` // Euclidean, to the centre, in the reduced space
	// Pixels are its Side*Side grey levels, row-major; JSON holds them
	// as base64 (encoding/json's form for bytes), 4 characters per 3
	// pixels, a tenth of the size of numbers.
	Pixels []byte `json:"pixels"`
}

// Fit fits the named cell ("pca-2-7") on all selected rows of d: the
// computation of that cell in the same grid with folds: 1, so its
// assignments are those of such a sweep.
func Fit(ctx context.Context, cfg experiments.Config, d *dataset.Dataset, cell string) (*Model, error) {
	cfg.Grid.Folds, cfg.Grid.Holdout = 1, 0 // all selected rows
	s, err := experiments.NewSweep(cfg, d)
	if err != nil {
		return nil, err
	}
	c, err := s.FindCell(cell)
	if err != nil {
		return nil, fmt.Errorf("-cell: %w (cells are named like %s)", err, s.Cells[0].Name())
	}
	if f := s.CellFeatures(c); f != "pixels" {
		return nil, fmt.Errorf("-cell: %s reduces %s features; a model applies to pixels only, so fit a cell of pixels", cell, f)
	}
	idx, _ := s.CellIndex(c)
	r, err := s.RunCell(ctx, idx)
	if err != nil {
		return nil, err
	}
	e, err := s.Embedding(ctx, c)
	if err != nil {
		return nil, err
	}
	m := &Model{
		Format: Format, Version: Version, Cell: cell, Created: time.Now().UTC(),
		Config: *s.CellConfig(c), DataSHA256: d.SHA256, Rows: e.Rows, Side: d.Side, Reducer: c.Reducer,
		Shift: e.Shift, Scale: e.Scale, Inertia: r.Inertia,
	}
	p := d.Dim
	for i := 0; i < c.Components; i++ {
		m.Components = append(m.Components, e.Model.Components[i*p:(i+1)*p])
		m.Singular = append(m.Singular, e.Model.Singular[i])
	}
	for j := 0; j < c.Clusters; j++ {
		m.Centers = append(m.Centers, r.Centers[j*c.Components:(j+1)*c.Components])
	}
	if s.Classes > 0 {
		m.LabelNames = s.LabelNames[:s.Classes]
		m.Mapping = r.Majority
	}
	m.Nearest = nearest(r, e, d.ImageData(), m.Centers, NearestPerCluster)
	gm, err := s.CellGMM(ctx, c)
	if err != nil {
		return nil, err
	}
	if gm != nil {
		m.GMM = &GMM{Covariance: string(gm.Covariance), Weights: slices.Clone(gm.Weights),
			Covariances: slices.Clone(gm.Covariances)}
		for j := range gm.K {
			m.GMM.Means = append(m.GMM.Means, slices.Clone(gm.Means[j*gm.Dim:(j+1)*gm.Dim]))
		}
	}
	return m, nil
}

// mixture returns the gmm.Model of g in the reduced space of dim
// components, or an error naming what does not fit.
func (g *GMM) mixture(dim int) (*gmm.Model, error) {
	var means []float64
	for i, mu := range g.Means {
		if len(mu) != dim {
			return nil, fmt.Errorf("gmm.means[%d] has %d values, want %d", i, len(mu), dim)
		}
		means = append(means, mu...)
	}
	cov := gmm.Covariance(g.Covariance)
	if err := gmm.Check(dim, cov, g.Weights, means, g.Covariances); err != nil {
		return nil, err
	}
	for i, w := range g.Weights {
		if !(w >= 0 && w <= 1) {
			return nil, fmt.Errorf("gmm.weights[%d]: %v is not a weight in [0, 1]", i, w)
		}
	}
	return gmm.New(dim, cov, g.Weights, means, g.Covariances)
}

// nearest returns, for each centre, the n training rows of its cluster
// nearest it (nearest first; ties to the earlier row) as exemplars with the
// pixels of img's rows. Row i of e.Train is training row r.TrainRows[i],
// labelled r.TrainLabels[i]. Without images (a matrix given without them)
// it returns nil.
func nearest(r *experiments.Result, e *experiments.Embedding, img *dataset.Dataset, centers [][]float64, n int) [][]Exemplar {
	if img == nil {
		return nil
	}
	type cand struct {
		i int
		d float64
	}
	byCluster := make([][]cand, len(centers))
	for i, l := range r.TrainLabels {
		if l < 0 || l >= len(centers) {
			continue
		}
		y := e.Train[i*e.Dim : i*e.Dim+len(centers[l])]
		var d2 float64
		for t, c := range centers[l] {
			d2 += (y[t] - c) * (y[t] - c)
		}
		byCluster[l] = append(byCluster[l], cand{i, math.Sqrt(d2)})
	}
	out := make([][]Exemplar, len(centers))
	for c, cs := range byCluster {
		slices.SortStableFunc(cs, func(a, b cand) int { return cmp.Compare(a.d, b.d) })
		out[c] = []Exemplar{}
		for _, k := range cs[:min(n, len(cs))] {
			row := r.TrainRows[k.i]
			px := make([]byte, img.Dim)
			for j, v := range img.Row(row) {
				px[j] = uint8(min(max(math.Round(float64(v)), 0), 255))
			}
			out[c] = append(out[c], Exemplar{Line: img.Line[row], Label: img.Labels[row], Distance: k.d, Pixels: px})
		}
	}
	return out
}

// Save writes the model as indented JSON, atomically.
func (m *Model) Save(path string) error {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// MaxBytes bounds the size of a model file. A model holds
// (2 + components) * pixels + clusters * components numbers, about 25
// bytes each as indented JSON: 64 MiB holds 2.7 million, a model of
// 48x48 images with 1,000 components or of 256x256 images with 38, far
// past the grids of this tool. The exemplars (Nearest) add
// NearestPerCluster images of 4/3 byte per pixel per cluster: 18 KiB per
// cluster at 48x48. The bound keeps -model /dev/zero from reading forever.
const MaxBytes = 64 << 20

// Load reads a model file, which must be a regular file, and checks
// its format, version, shapes and numbers.
func Load(path string) (*Model, error) {
	if err := userfile.NotRegular(path); err != nil {
		return nil, fmt.Errorf("read model %s: %w", path, err)
	}
	b, err := userfile.ReadLimited(path, "model", MaxBytes)
	if err != nil {
		return nil, err
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("%s: not a sweep model: %v", path, err)
	}
	if head.Format != Format {
		return nil, fmt.Errorf("%s: not a sweep model (format %q)", path, head.Format)
	}
	if head.Version != Version {
		return nil, fmt.Errorf("%s: model file is version %d; this sweep reads version %d: refit with sweep fit", path, head.Version, Version)
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if m.Side < 1 || m.Side > 2048 {
		return nil, fmt.Errorf("%s: side %d out of range 1..2048", path, m.Side)
	}
	dim := m.Side * m.Side
	if dim == 0 || len(m.Shift) != dim || len(m.Scale) != dim || len(m.Components) == 0 || len(m.Centers) == 0 {
		return nil, fmt.Errorf("%s: incomplete model (side %d, %d shifts, %d scales, %d components, %d centres)",
			path, m.Side, len(m.Shift), len(m.Scale), len(m.Components), len(m.Centers))
	}
	for i, c := range m.Components {
		if len(c) != dim {
			return nil, fmt.Errorf("%s: component %d has %d values, want %d", path, i, len(c), dim)
		}
	}
	for i, c := range m.Centers {
		if len(c) != len(m.Components) {
			return nil, fmt.Errorf("%s: centre %d has %d values, want %d", path, i, len(c), len(m.Components))
		}
	}
	if m.Mapping != nil && len(m.Mapping) != len(m.Centers) {
		return nil, fmt.Errorf("%s: mapping has %d entries for %d clusters", path, len(m.Mapping), len(m.Centers))
	}
	for i, l := range m.Mapping {
		if l < -1 {
			return nil, fmt.Errorf("%s: mapping[%d]: label %d is below -1", path, i, l)
		}
	}
	if err := m.checkNearest(path); err != nil {
		return nil, err
	}
	if err := m.checkNumbers(path); err != nil {
		return nil, err
	}
	if m.GMM != nil {
		if len(m.GMM.Weights) != len(m.Centers) {
			return nil, fmt.Errorf("%s: gmm has %d weights for %d clusters", path, len(m.GMM.Weights), len(m.Centers))
		}
		if _, err := m.GMM.mixture(len(m.Components)); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return &m, nil
}

// checkNearest checks the exemplars' shapes: none at all (a model fitted
// on a matrix without images), or a list for every cluster, of at most
// NearestPerCluster images of Side*Side pixels.
func (m *Model) checkNearest(path string) error {
	if m.Nearest == nil {
		return nil
	}
	if len(m.Nearest) != len(m.Centers) {
		return fmt.Errorf("%s: nearest has %d lists for %d clusters", path, len(m.Nearest), len(m.Centers))
	}
	for c, ex := range m.Nearest {
		if len(ex) > NearestPerCluster {
			return fmt.Errorf("%s: nearest[%d] has %d images, at most %d", path, c, len(ex), NearestPerCluster)
		}
		for i, e := range ex {
			if len(e.Pixels) != m.Side*m.Side {
				return fmt.Errorf("%s: nearest[%d][%d] has %d pixels, want %d", path, c, i, len(e.Pixels), m.Side*m.Side)
			}
		}
	}
	return nil
}

// checkNumbers refuses a number that is not finite (JSON has no
// infinities, but 1e400 would be one) or a scale of 0 or below.
func (m *Model) checkNumbers(path string) error {
	check := func(field string, v []float64) error {
		for j, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s: %s[%d]: %v is not a finite number", path, field, j, x)
			}
		}
		return nil
	}
	if err := check("shift", m.Shift); err != nil {
		return err
	}
	if err := check("scale", m.Scale); err != nil {
		return err
	}
	for j, x := range m.Scale {
		if x <= 0 {
			return fmt.Errorf("%s: scale[%d]: %v is not above 0", path, j, x)
		}
	}
	for i, c := range m.Components {
		if err := check(fmt.Sprintf("components[%d]", i), c); err != nil {
			return err
		}
	}
	for i, c := range m.Centers {
		if err := check(fmt.Sprintf("centers[%d]", i), c); err != nil {
			return err
		}
	}
	if g := m.GMM; g != nil {
		for i, mu := range g.Means {
			if err := check(fmt.Sprintf("gmm.means[%d]", i), mu); err != nil {
				return err
			}
		}
		if err := check("gmm.weights", g.Weights); err != nil {
			return err
		}
		return check("gmm.covariances", g.Covariances)
	}
	return nil
}

// Prediction is a model's verdict on one image.
type Prediction struct {
	Cluster  int
	Distance float64 // Euclidean, in the reduced space
	Label    int     // mapped label; -1 without a mapping
}

// Predict applies the model to the rows of d. The arithmetic is the
// sweep's own (reduce.Model.Transform, then kmeans.Predict or, for a gmm
// cell, gmm.Model.Predict), so a k-means or gmm model gives the rows it was
// fitted on the clusters the sweep gave them. Distance is to the cluster's
// centre (its mean) whatever the algorithm.
func (m *Model) Predict(d *dataset.Dataset) ([]Prediction, error) {
	if d.Side != m.Side {
		return nil, fmt.Errorf("%s: images are %dx%d, the model was fitted on %dx%d", d.Name, d.Side, d.Side, m.Side, m.Side)
	}
	c, p := len(m.Components), m.Side*m.Side
	rm := &reduce.Model{Dim: p, K: c, Components: make([]float64, 0, c*p)}
	for _, comp := range m.Components {
		rm.Components = append(rm.Components, comp...)
	}
	rows := make([]int, d.N())
	for i := range rows {
		rows[i] = i
	}
	pixels := d.Pixels
	if m.Config.Data.Scale == "image" {
		// Each image is min-max scaled over its own pixels first, as the
		// sweep did (data.scale: image); Shift and Scale apply after.
		pixels = make([]float32, len(d.Pixels))
		for i := range rows {
			experiments.ImageMinMax(pixels[i*p:(i+1)*p], d.Row(i))
		}
	}
	y := rm.Transform(reduce.Source{Pixels: pixels, Dim: p, Rows: rows, Shift: m.Shift, Scale: m.Scale}, c, nil)
	centers := make([]float64, 0, len(m.Centers)*c)
	for _, ct := range m.Centers {
		centers = append(centers, ct...)
	}
	labels := make([]int, d.N())
	if m.GMM != nil {
		gm, err := m.GMM.mixture(c)
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", m.Cell, err)
		}
		gm.Predict(y, labels)
	} else {
		kmeans.Predict(y, c, centers, labels)
	}
	out := make([]Prediction, d.N())
	for i, l := range labels {
		var d2 float64
		for t := 0; t < c; t++ {
			x := y[i*c+t] - centers[l*c+t]
			d2 += x * x
		}
		out[i] = Prediction{Cluster: l, Distance: math.Sqrt(d2), Label: -1}
		if m.Mapping != nil {
			out[i].Label = m.Mapping[l]
		}
	}
	return out, nil
}

// LabelName names label l ("" for -1).
func (m *Model) LabelName(l int) string {
	switch {
	case l < 0:
		return ""
	case l < len(m.LabelNames):
		return m.LabelNames[l]
	}
	return fmt.Sprint(l)
}

// Summary is a one-line description of the model.
func (m *Model) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s on %d rows of %dx%d images, %d clusters", m.Cell, m.Reducer, m.Rows, m.Side, m.Side, len(m.Centers))
	if m.GMM != nil {
		fmt.Fprintf(&b, " (Gaussian mixture, %s covariance)", m.GMM.Covariance)
	}
	if m.Mapping != nil {
		fmt.Fprint(&b, ", clusters mapped to labels by majority")
	}
	return b.String()
}
