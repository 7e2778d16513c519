package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sweep/internal/userfile"

	"sweep/experiments/features"

	"gopkg.in/yaml.v3"
)

// Config is the schema of a sweep's YAML file. Load fills the defaults,
// decodes the file over them (unknown keys are errors) and validates.
type Config struct {
	Name   string       `yaml:"name" json:"name"`
	Seed   uint64       `yaml:"seed" json:"seed"`
	Data   DataConfig   `yaml:"data" json:"data"`
	Grid   GridConfig   `yaml:"grid" json:"grid"`
	KMeans KMeansConfig `yaml:"kmeans" json:"kmeans"`
	// Silhouette says how the held-out rows are scored; the zero value
	// scores all of them exactly.
	Silhouette SilhouetteConfig `yaml:"silhouette" json:"silhouette,omitzero"`
	// Gap configures the gap statistic of every cell.
	Gap GapConfig `yaml:"gap" json:"gap"`
	// Features holds the parameters of the features grid.features can
	// list (see FeaturesAxis), and the features of one variant.
	Features FeaturesConfig `yaml:"features" json:"features"`
	// Algorithm is the clustering of one variant: kmeans ("" too), gmm or
	// ward. Config.Variant sets it from the grid's algorithm axis
	// (grid.algorithm, see AlgorithmAxis); a file cannot set it here.
	Algorithm string `yaml:"-" json:"algorithm,omitempty"`
	// GMM configures the gmm algorithm; its zero value is scikit-learn's
	// GaussianMixture defaults (full covariance, n_init 1).
	GMM     GMMConfig    `yaml:"gmm" json:"gmm,omitzero"`
	Workers int          `yaml:"workers" json:"workers"`
	Report  ReportConfig `yaml:"report" json:"report"`
	// Mapping lists cluster-to-label mappings made by eye (from the
	// montages); the report scores them like the learned ones.
	Mapping []ManualMapping `yaml:"mapping" json:"mapping,omitempty"`

	src *configSource // where the values came from, for Locate; nil when made in code
}

// ManualMapping names a cell and fold and maps its clusters to labels
// (numbers or label names such as Happy).
type ManualMapping struct {
	Cell     string         `yaml:"cell" json:"cell"`
	Fold     int            `yaml:"fold" json:"fold"`
	Clusters map[int]string `yaml:"clusters" json:"clusters"`
}

// DataConfig says which file to read and which rows to use.
type DataConfig struct {
	// Path of a FER2013-layout CSV (plain or gzip), an image folder, an
	// IDX images file or a NumPy matrix (.npy, or .npz with x and y).
	// Empty means the FER2013_CSV environment variable.
	Path string `yaml:"path" json:"path"`
	// Format is csv, images, idx or npy; empty detects it from Path (see
	// dataset.Open).
	Format string `yaml:"format" json:"format,omitempty"`
	// Size is the side image-folder images are resized to; 0 means their
	// own side, when they are all square and of one size.
	Size int `yaml:"size" json:"size,omitempty"`
	// Labels is the IDX or .npy labels file; empty reads the data
	// unlabelled (a .npz archive may hold its labels as y).
	Labels string `yaml:"labels" json:"labels,omitempty"`
	// Images names the images of a .npy matrix's rows, for the montages
	// and for features computed from images (hog, lbp): a CSV file, an
	// image folder or an IDX images file with one image per row, in the
	// same order. Empty: the matrix has no images.
	Images string `yaml:"images" json:"images,omitempty"`
	// OnBadImage is fail (the default) or skip: what an unreadable file
	// of an image folder does.
	OnBadImage string `yaml:"on_bad_image" json:"on_bad_image,omitempty"`
	// Usage keeps only rows whose Usage is listed; empty keeps all.
	Usage []string `yaml:"usage" json:"usage"`
	// Balance draws the same number of rows from every class.
	Balance Balance `yaml:"balance" json:"balance"`
	// BalanceTake says which rows of a class balancing keeps: hash (the
	// default, also spelled empty) keeps the first in the seeded row-hash
	// order, a seeded sample; first keeps the first in file order, as the
	// seed study's balancingscript.py does. Empty keeps the fingerprint of
	// configs written before the key existed.
	BalanceTake string `yaml:"balance_take" json:"balance_take,omitempty"`
	// Scale is minmax (per feature, fitted on training rows), image
	// (per image over its own pixels, fitted on nothing), unit (x/255)
	// or none.
	Scale string `yaml:"scale" json:"scale"`
	// LabelNames names the labels 0, 1, ...; empty means FER2013's
	// emotions for a file with an emotion column, else the numbers.
	LabelNames []string `yaml:"label_names" json:"label_names,omitempty"`
	// MaxBytes bounds the data's float32 pixel matrix (4 bytes per pixel
	// of every image, before usage and balance select rows): a larger
	// data set is refused before it is allocated. 0 means half of the
	// physical memory (dataset.DefaultMaxBytes). It does not change
	// results, so the store's fingerprint leaves it out.
	MaxBytes int64 `yaml:"max_bytes" json:"max_bytes,omitempty"`
}

// GridConfig spans the cells of the sweep.
type GridConfig struct {
	Reducer    []string `yaml:"reducer" json:"reducer"`
	Components IntList  `yaml:"components" json:"components"`
	Clusters   IntList  `yaml:"clusters" json:"clusters"`
	// Folds is 1 (fit and score on all rows) or K >= 2 (stratified K-fold).
	Folds int `yaml:"folds" json:"folds"`
	// Holdout, when above 0, holds out this fraction of the rows in one
	// seeded split instead of folds (which must then be 1), reported as
	// fold 0 (see Select).
	Holdout float64 `yaml:"holdout" json:"holdout,omitempty"`
	// HoldoutStratify says whether the hold-out split keeps each class's
	// share; nil means true.
	HoldoutStratify *bool `yaml:"holdout_stratify" json:"holdout_stratify,omitempty"`
	// Axes are the grid's other keys: any scalar config key with a list
	// of values ("seed: [1, 2, 3]", "data.scale: [minmax, unit]"), in the
	// order the file declares them.
	Axes []Axis `yaml:"-" json:"axes,omitempty"`
}

// FeaturesConfig is the top-level features: block, the parameters of the
// features under scikit-image's names (features.Params), and Use, the
// features of one variant of the grid.
type FeaturesConfig struct {
	// Use is the features the scaling and reduction of a variant read:
	// pixels ("" too), hog or lbp. Config.Variant sets it from the grid's
	// features axis (grid.features); a file cannot set it here.
	Use string `yaml:"-" json:"use,omitempty"`
	// HOG follows skimage.feature.hog on the grey image.
	HOG features.HOGParams `yaml:"hog" json:"hog"`
	// LBP follows skimage.feature.local_binary_pattern, then per-cell
	// histograms over a grid.
	LBP features.LBPParams `yaml:"lbp" json:"lbp"`
}

// Params returns the parameters as package features takes them.
func (f FeaturesConfig) Params() features.Params {
	return features.Params{HOG: f.HOG, LBP: f.LBP}
}

// Kind returns Use, with "" spelled pixels.
func (f FeaturesConfig) Kind() string {
	if f.Use == "" {
		return features.Pixels
	}
	return f.Use
}

// FeaturesList returns the values of the grid's features axis, or
// [pixels] when the grid has none.
func (c *Config) FeaturesList() []string {
	for _, ax := range c.Grid.Axes {
		if ax.Key == FeaturesAxis {
			return ax.Values
		}
	}
	return []string{features.Pixels}
}

// GMMConfig holds the Gaussian mixture options (see package
// experiments/cluster/gmm); max_iter 100, tol 1e-3 and reg_covar 1e-6 are
// scikit-learn's and fixed. The k-means initialisation of each restart uses
// one k-means++ start.
type GMMConfig struct {
	// Covariance is full, diag, tied or spherical; "" means full.
	Covariance string `yaml:"covariance" json:"covariance,omitempty"`
	// NInit is the number of EM restarts, the best lower bound kept; 0
	// means 1 (scikit-learn's default).
	NInit int `yaml:"n_init" json:"n_init,omitempty"`
}

// Algorithm names, the values of grid.algorithm.
const (
	KMeans = "kmeans"
	GMM    = "gmm"
	Ward   = "ward"
)

var knownAlgorithms = []string{KMeans, GMM, Ward}

// AlgorithmName returns Algorithm, with "" spelled kmeans.
func (c *Config) AlgorithmName() string {
	if c.Algorithm == "" {
		return KMeans
	}
	return c.Algorithm
}

// KMeansConfig holds the k-means options shared by every cell.
type KMeansConfig struct {
	NInit   int     `yaml:"n_init" json:"n_init"`
	MaxIter int     `yaml:"max_iter" json:"max_iter"`
	Tol     float64 `yaml:"tol" json:"tol"`
	// Init is k-means++ (the default, also spelled empty) or random:
	// scikit-learn's init, random taking K distinct rows uniformly.
	Init string `yaml:"init" json:"init,omitempty"`
}

// SilhouetteConfig holds the silhouette options shared by every cell.
type SilhouetteConfig struct {
	// Sample scores each cell on a random subset of this many held-out
	// rows (scikit-learn's silhouette_score sample_size), drawn without
	// replacement from a stream seeded by (seed, "silhouette/" + cell key),
	// with the silhouette computed among the subset only. 0 scores all the
	// held-out rows exactly, as does a sample at least as large as them.
	Sample int `yaml:"sample" json:"sample"`
	// Rows says which rows' silhouette is the cell's: test (the default,
	// also spelled empty: the held-out rows), train (the rows k-means was
	// fitted on, as the seed study's notebook scores) or all (both). With
	// folds 1 and no hold-out the three are the same rows.
	Rows string `yaml:"rows" json:"rows,omitempty"`
}

// GapConfig holds the gap statistic's options shared by every cell.
type GapConfig struct {
	// B is the number of reference data sets per (fold, reducer,
	// components), drawn uniformly in the bounding box of the training
	// embedding's principal axes (Tibshirani et al. 2001, reference (b))
	// and each clustered with the cell's k-means settings but one
	// restart. 0 turns the gap statistic off (gap and gap_s are empty).
	B int `yaml:"b" json:"b"`
}

// maxGapB bounds gap.b: every reference set is a copy of a fold's
// training embedding, clustered once per cell.
const maxGapB = 1000

// ReportConfig says where and what to write.
type ReportConfig struct {
	Dir         string `yaml:"dir" json:"dir"`
	Assignments bool   `yaml:"assignments" json:"assignments"`
	// Inspect names cells ("pca-2-7", at fold 0 or the fold of its
	// manual mapping) or one fold of a cell ("pca-2-7/fold2") to draw
	// montages, scatter, silhouette and confusion plots for, besides the
	// best cell.
	Inspect []string `yaml:"inspect" json:"inspect,omitempty"`
}

// Defaults returns the configuration every file is decoded over. The
// k-means values are scikit-learn's KMeans defaults.
func Defaults() Config {
	return Config{
		Name: "sweep",
		Seed: 1,
		Data: DataConfig{Scale: "minmax"},
		Grid: GridConfig{
			Reducer:    []string{"pca"},
			Components: IntList{2, 3},
			Clusters:   IntList{5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
			Folds:      1,
		},
		KMeans:   KMeansConfig{NInit: 10, MaxIter: 300, Tol: 1e-4},
		Gap:      GapConfig{B: 10},
		Features: FeaturesConfig{HOG: features.DefaultHOGParams(), LBP: features.DefaultLBPParams()},
	}
}

// Balance is "no balancing" (zero value), a fixed count per class, or the
// size of the smallest class ("min").
type Balance struct {
	Min bool
	N   int
}

// String returns the YAML spelling.
func (b Balance) String() string {
	switch {
	case b.Min:
		return "min"
	case b.N > 0:
		return strconv.Itoa(b.N)
	}
	return "none"
}

// UnmarshalYAML accepts an integer, "min" or "none".
func (b *Balance) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return lineErr(n, "data.balance: want an integer, min or none")
	}
	switch n.Value {
	case "min":
		*b = Balance{Min: true}
		return nil
	case "none", "":
		*b = Balance{}
		return nil
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil {
		return lineErr(n, fmt.Sprintf("data.balance: %q is not an integer, min or none", n.Value))
	}
	*b = Balance{N: v}
	return nil
}

// MarshalYAML writes the same spelling UnmarshalYAML reads.
func (b Balance) MarshalYAML() (any, error) { return b.String(), nil }

// UnmarshalJSON reads what MarshalJSON writes (results stores keep the
// config as JSON).
func (b *Balance) UnmarshalJSON(data []byte) error {
	v, err := strconv.Unquote(string(data))
	if err != nil {
		return fmt.Errorf("data.balance: %s is not a string", data)
	}
	return b.UnmarshalYAML(&yaml.Node{Kind: yaml.ScalarNode, Value: v})
}

// MarshalJSON writes the same spelling as YAML.
func (b Balance) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(b.String())), nil }

// IntList is a list of integers written either as a YAML sequence
// ([5, 7, 9]) or as an inclusive range ({from: 5, to: 15}).
type IntList []int

// UnmarshalYAML accepts a sequence, a scalar or a {from, to} mapping.
func (l *IntList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		out := make([]int, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := strconv.Atoi(c.Value)
			if c.Kind != yaml.ScalarNode || err != nil {
				return lineErr(c, fmt.Sprintf("%q is not an integer", c.Value))
			}
			out = append(out, v)
		}
		*l = out
		return nil
	case yaml.ScalarNode:
		v, err := strconv.Atoi(n.Value)
		if err != nil {
			return lineErr(n, fmt.Sprintf("%q is not an integer, a list or {from, to}", n.Value))
		}
		*l = IntList{v}
		return nil
	case yaml.MappingNode:
		var from, to *int
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			x, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil {
				return lineErr(v, fmt.Sprintf("%s: %q is not an integer", k.Value, v.Value))
			}
			switch k.Value {
			case "from":
				from = &x
			case "to":
				to = &x
			default:
				return lineErr(k, fmt.Sprintf("unknown field %q (want from, to)", k.Value))
			}
		}
		if from == nil || to == nil {
			return lineErr(n, "a range needs both from and to")
		}
		if *to < *from {
			return lineErr(n, fmt.Sprintf("range from %d to %d is empty", *from, *to))
		}
		// to-from in uint64 is exact for any from <= to, where the int
		// difference could overflow and slip past the bound.
		const maxRange = 1 << 16 // far beyond any useful grid; bounds the allocation
		span := uint64(*to) - uint64(*from)
		if span >= maxRange {
			return lineErr(n, fmt.Sprintf("range from %d to %d has more than %d values", *from, *to, maxRange))
		}
		out := make([]int, 0, span+1)
		for i := 0; i <= int(span); i++ {
			out = append(out, *from+i) // no v++ that could wrap past MaxInt
		}
		*l = out
		return nil
	}
	return lineErr(n, "want a list of integers or {from, to}")
}

// lineError carries a YAML line so that Load can prefix the file name.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func lineErr(n *yaml.Node, msg string) error { return &lineError{line: n.Line, msg: msg} }

// MaxConfigBytes bounds the size of a config file: a config is a short
// YAML file, and a bound keeps -config /dev/zero from reading forever.
const MaxConfigBytes = 1 << 20

// LoadConfig reads the YAML file at path, which must be a regular file,
// applies the command-line overrides (see ApplyOverrides) and validates
// the result.
func LoadConfig(path string, overrides ...string) (Config, error) {
	if err := userfile.NotRegular(path); err != nil {
		return Config{}, fmt.Errorf("read config %s: %w", path, err)
	}
	b, err := userfile.ReadLimited(path, "config", MaxConfigBytes)
	if err != nil {
		return Config{}, err
	}
	return ParseConfig(b, path, overrides...)
}

var (
	yamlLine    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	yamlUnknown = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	yamlType    = regexp.MustCompile(`^cannot unmarshal !!(\w+) ` + "`" + `(.*)` + "`" + ` into (\S+)$`)
)

// ParseConfig decodes YAML bytes over Defaults, applies the overrides
// (see ApplyOverrides), checks the grid's extra axes and validates the
// result; name is used in error messages ("grid.yaml:3: unknown field
// \"foo\"").
func ParseConfig(b []byte, name string, overrides ...string) (Config, error) {
	// Parse once into a node tree for checkYAML, which refuses what
	// yaml.v3 would decode silently wrong (2.5 into an int field), then
	// decode strictly over the defaults.
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		if te := tabError(name, b, err); te != nil {
			return Config{}, te
		}
		return Config{}, yamlErr(name, err)
	}
	// A second document would be silently ignored; refuse it.
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return Config{}, fmt.Errorf("%s:%d: more than one YAML document", name, extra.Line)
	}
	if err := checkYAML(&root, reflect.TypeFor[Config](), "", map[yamlVisit]bool{}); err != nil {
		return Config{}, yamlErr(name, err)
	}
	c := Defaults()
	dec = yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, yamlErr(name, err)
	}
	if err := c.ApplyOverrides(overrides); err != nil {
		return Config{}, err
	}
	if err := c.resolveAxes(name); err != nil {
		return Config{}, err
	}
	c.src = &configSource{name: name, root: &root, overrides: overrides}
	if err := c.Validate(); err != nil {
		return Config{}, c.Locate(err)
	}
	return c, nil
}

// FieldError is a problem with the value of one config field, found by
// Validate or, once the data is read, by NewSweep. Config.Locate adds
// where the field was set.
type FieldError struct {
	Field string // dotted, with list indexes: "grid.folds", "mapping[0].fold"
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErrorf(field, format string, a ...any) error {
	return &FieldError{Field: field, Err: fmt.Errorf(format, a...)}
}

// configSource is what Locate needs of a parsed config: the file's name,
// its YAML tree and the overrides applied over it.
type configSource struct {
	name      string
	root      *yaml.Node
	overrides []string
}

// Locate puts in front of each message of err (one per line, or each of
// an errors.Join) where its field was set, when the message holds a
// FieldError: the command-line override that set it ("override 2
// (kmeans.n_init=-1)"), else the file and the line of the field's key
// ("grid.yaml:7"), else the file (a default, or a field without a key
// of its own). Messages without a FieldError get the file's name. A
// Config not made by ParseConfig or LoadConfig returns err as it is.
func (c *Config) Locate(err error) error {
	if err == nil || c.src == nil {
		return err
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		where := c.src.name
		if fe := (*FieldError)(nil); errors.As(e, &fe) {
			where = c.src.where(fe.Field)
		}
		out = append(out, where+": "+e.Error())
	}
	return errors.New(strings.Join(out, "\n"))
}

func (s *configSource) where(field string) string {
	if i := overrideOf(s.overrides, field); i >= 0 {
		return fmt.Sprintf("override %d (%s)", i+1, s.overrides[i])
	}
	if line := keyLine(s.root, field); line > 0 {
		return fmt.Sprintf("%s:%d", s.name, line)
	}
	return s.name
}

// overrideOf returns the index of the last override whose key is field,
// lies inside it (grid.clusters.to for grid.clusters) or holds it (grid
// for grid.folds), or -1.
func overrideOf(overrides []string, field string) int {
	field = indexRE.ReplaceAllString(field, "")
	for i := len(overrides) - 1; i >= 0; i-- {
		key, _, _ := strings.Cut(overrides[i], "=")
		if key == field || strings.HasPrefix(key, field+".") || strings.HasPrefix(field, key+".") {
			return i
		}
	}
	return -1
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// keyLine returns the line of the key of the dotted field (with list
// indexes: mapping[0].fold) in the YAML document root, following aliases
// and merge keys, or the line of the deepest key found on the way; 0 when
// not even the first key is there.
func keyLine(root *yaml.Node, field string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, part := range strings.Split(field, ".") {
		key, rest, _ := strings.Cut(part, "[")
		k, v := mappingKey(n, key, 0)
		if k == nil {
			return line
		}
		line, n = k.Line, v
		for rest != "" {
			var idx string
			idx, rest, _ = strings.Cut(rest, "]")
			rest = strings.TrimPrefix(rest, "[")
			i, err := strconv.Atoi(idx)
			n = unalias(n)
			if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
		}
	}
	return line
}

// mappingKey finds key in the mapping n, or in the mappings merged into
// it with << (at most maxMergeDepth deep, so that an alias cycle ends),
// and returns its key and value nodes.
func mappingKey(n *yaml.Node, key string, depth int) (*yaml.Node, *yaml.Node) {
	n = unalias(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > maxMergeDepth {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != "<<" {
			continue
		}
		merged := unalias(n.Content[i+1])
		srcs := []*yaml.Node{merged}
		if merged.Kind == yaml.SequenceNode {
			srcs = merged.Content
		}
		for _, m := range srcs {
			if k, v := mappingKey(m, key, depth+1); k != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

const maxMergeDepth = 32

// unalias follows aliases (at most maxMergeDepth of them in a row).
func unalias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i <= maxMergeDepth; i++ {
		n = n.Alias
	}
	return n
}

// yamlErr rewrites yaml.v3's messages into "file:line: message" lines.
func yamlErr(name string, err error) error {
	var le *lineError
	if errors.As(err, &le) {
		return fmt.Errorf("%s:%d: %s", name, le.line, le.msg)
	}
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		sub := yamlLine.FindStringSubmatch(m)
		if sub == nil {
			out = append(out, fmt.Sprintf("%s: %s", name, m))
			continue
		}
		line, rest := sub[1], sub[2]
		if u := yamlUnknown.FindStringSubmatch(rest); u != nil {
			rest = fmt.Sprintf("unknown field %q", u[1])
		} else if t := yamlType.FindStringSubmatch(rest); t != nil {
			rest = fmt.Sprintf("found %s, want %s", yamlTagWords(t[1], t[2]), goTypeWords(t[3]))
		}
		out = append(out, fmt.Sprintf("%s:%s: %s", name, line, rest))
	}
	return errors.New(strings.Join(out, "\n"))
}

// Reducers and scalings the pipeline knows.
var (
	knownReducers = []string{"pca", "svd"}
	knownScales   = []string{"minmax", "image", "unit", "none"}
	knownTakes    = []string{"", "hash", "first"}
	knownInits    = []string{"", "k-means++", "random"}
	knownSilRows  = []string{"", "test", "train", "all"}
)

// HoldoutStratified says whether the hold-out split is stratified by
// label (grid.holdout_stratify, true when unset).
func (g *GridConfig) HoldoutStratified() bool {
	return g.HoldoutStratify == nil || *g.HoldoutStratify
}

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

// Validate checks the values that do not depend on the data; Plan checks
// the rest (components against pixels, clusters against rows) once the
// data is read. Every message names the field.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, format string, a ...any) { errs = append(errs, fieldErrorf(field, format, a...)) }
	if c.Name == "" {
		bad("name", "must not be empty")
	}
	for _, u := range c.Data.Usage {
		if !oneOf(u, []string{"Training", "PublicTest", "PrivateTest"}) {
			bad("data.usage", "unknown value %q (want Training, PublicTest or PrivateTest)", u)
		}
	}
	if c.Data.Balance.N < 0 {
		bad("data.balance", "%d is below 1", c.Data.Balance.N)
	}
	if !oneOf(c.Data.Scale, knownScales) {
		bad("data.scale", "unknown value %q (want minmax, image, unit or none)", c.Data.Scale)
	}
	if !oneOf(c.Data.BalanceTake, knownTakes) {
		bad("data.balance_take", "unknown value %q (want hash or first)", c.Data.BalanceTake)
	}
	errs = append(errs, c.Data.validateSource()...)
	if a := c.Algorithm; a != "" && !oneOf(a, knownAlgorithms) {
		bad("algorithm", "unknown algorithm %q (want kmeans, gmm or ward)", a)
	}
	if cv := c.GMM.Covariance; cv != "" && !oneOf(cv, []string{"full", "diag", "tied", "spherical"}) {
		bad("gmm.covariance", "unknown value %q (want full, diag, tied or spherical)", cv)
	}
	if c.GMM.NInit < 0 {
		bad("gmm.n_init", "%d is below 1", c.GMM.NInit)
	}
	if u := c.Features.Use; u != "" && !features.Known(u) {
		bad("features", "unknown features %q (want pixels, hog or lbp)", u)
	}
	if err := c.Features.HOG.Validate(); err != nil {
		errs = append(errs, &FieldError{Field: "features.hog", Err: err})
	}
	if err := c.Features.LBP.Validate(); err != nil {
		errs = append(errs, &FieldError{Field: "features.lbp", Err: err})
	}
	if len(c.Grid.Reducer) == 0 {
		bad("grid.reducer", "empty")
	}
	seen := map[string]bool{}
	for _, r := range c.Grid.Reducer {
		if !oneOf(r, knownReducers) {
			bad("grid.reducer", "unknown value %q (want pca or svd)", r)
		}
		if seen[r] {
			bad("grid.reducer", "%q listed twice", r)
		}
		seen[r] = true
	}
	checkList := func(field string, l IntList, min int) {
		if len(l) == 0 {
			bad(field, "empty")
		}
		seen := map[int]bool{}
		for _, v := range l {
			if v < min {
				bad(field, "%d is below %d", v, min)
			}
			if seen[v] {
				bad(field, "%d listed twice", v)
			}
			seen[v] = true
		}
	}
	checkList("grid.components", c.Grid.Components, 1)
	checkList("grid.clusters", c.Grid.Clusters, 2)
	if c.Grid.Folds < 1 {
		bad("grid.folds", "%d is below 1", c.Grid.Folds)
	}
	switch h := c.Grid.Holdout; {
	case math.IsNaN(h) || h < 0 || h >= 1:
		bad("grid.holdout", "%v is not a fraction above 0 and below 1", h)
	case h > 0 && c.Grid.Folds != 1:
		bad("grid.holdout and grid.folds", "both set (holdout %v, folds %d); a hold-out split replaces the folds, so leave folds unset or 1", h, c.Grid.Folds)
	case h == 0 && c.Grid.HoldoutStratify != nil:
		bad("grid.holdout_stratify", "set without grid.holdout")
	}
	if !oneOf(c.KMeans.Init, knownInits) {
		bad("kmeans.init", "unknown value %q (want k-means++ or random)", c.KMeans.Init)
	}
	if c.KMeans.NInit < 1 {
		bad("kmeans.n_init", "%d is below 1", c.KMeans.NInit)
	}
	if c.KMeans.MaxIter < 1 {
		bad("kmeans.max_iter", "%d is below 1", c.KMeans.MaxIter)
	}
	switch tol := c.KMeans.Tol; {
	case math.IsNaN(tol) || math.IsInf(tol, 0):
		bad("kmeans.tol", "%v is not a finite number", tol)
	case tol < 0:
		bad("kmeans.tol", "%v is below 0", tol)
	}
	if !oneOf(c.Silhouette.Rows, knownSilRows) {
		bad("silhouette.rows", "unknown value %q (want test, train or all)", c.Silhouette.Rows)
	}
	if n := c.Silhouette.Sample; n != 0 && n < 2 {
		bad("silhouette.sample", "%d is below 2 (0 scores all rows)", n)
	}
	if b := c.Gap.B; b < 0 || b > maxGapB {
		bad("gap.b", "%d is outside 0..%d (0 turns the gap statistic off)", b, maxGapB)
	}
	// A bound on the grid keeps a typo (folds: 50000000) from allocating
	// without end; a million cells is far past a day's computing.
	const maxCells = 1 << 20
	variants := 1.0
	for _, ax := range c.Grid.Axes {
		variants *= float64(len(ax.Values))
	}
	if n := variants * float64(len(c.Grid.Reducer)) * float64(len(c.Grid.Components)) * float64(len(c.Grid.Clusters)) * float64(max(c.Grid.Folds, 1)); n > maxCells {
		bad("grid", "%.0f cells is more than %d", n, maxCells)
	}
	if c.Workers < 0 {
		bad("workers", "%d is below 0", c.Workers)
	}
	if len(errs) == 0 {
		errs = append(errs, c.validateCellNames()...)
	}
	return errors.Join(errs...)
}

// validateCellNames checks that report.inspect and mapping name cells of
// the grid.
func (c *Config) validateCellNames() []error {
	var errs []error
	ix := NewCellIndex(c.Cells())
	for _, n := range c.Report.Inspect {
		if _, _, err := ix.FindCellFold(n); err != nil {
			errs = append(errs, &FieldError{Field: "report.inspect", Err: err})
		}
	}
	for i, m := range c.Mapping {
		if _, err := ix.FindCell(m.Cell); err != nil {
			errs = append(errs, &FieldError{Field: fmt.Sprintf("mapping[%d].cell", i), Err: err})
		}
		if m.Fold < 0 || m.Fold >= max(c.Grid.Folds, 1) {
			errs = append(errs, fieldErrorf(fmt.Sprintf("mapping[%d].fold", i), "%d is not a fold (0..%d)", m.Fold, max(c.Grid.Folds, 1)-1))
		}
		if len(m.Clusters) == 0 {
			errs = append(errs, fieldErrorf(fmt.Sprintf("mapping[%d].clusters", i), "empty"))
		}
	}
	return errs
}

// MaxComponents is the largest component count in the grid: each
// (fold, reducer) is fitted once at this size.
func (c *Config) MaxComponents() int {
	m := 0
	for _, v := range c.Grid.Components {
		m = max(m, v)
	}
	return m
}
