package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"sweep/experiments/features"

	"gopkg.in/yaml.v3"
)

// Axis is an extra axis of the grid: any scalar config key, named by its
// dotted path ("seed", "data.scale", "kmeans.n_init"), with the values to
// sweep. Values are canonical: each is decoded into the key's field and
// written back (an integer as digits, a float in its shortest form, a
// balance as 200, min or none), so "1e-4" and "0.0001" name one value.
type Axis struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`

	line   int          // where the file declares the axis, for errors
	origin string       // or the override that declares it ("override 2")
	nodes  []*yaml.Node // the values as written, until resolved
}

// classicGridKeys are the keys of grid: that are not extra axes.
var classicGridKeys = []string{"reducer", "components", "clusters", "folds", "holdout", "holdout_stratify"}

// FeaturesAxis is the grid's features axis: grid.features lists what the
// reductions read (pixels, hog, lbp; see package features). It is an extra
// axis like any other, declared where grid: lists it, with two differences:
// its values are features names rather than values of a scalar config key
// (a variant's features go to Config.Features.Use, and the top-level
// features: block holds every feature's parameters), and the default,
// [pixels], is no axis at all, so that a pixels-only grid keeps its cell
// names ("pca-2-7"). Any other list is an axis and names its cells
// ("pca-2-7/features=hog"), and it is a data axis (IsDataAxis): features
// change what the scaling and reduction stages read.
const FeaturesAxis = "features"

// AlgorithmAxis is the grid's algorithm axis: grid.algorithm lists the
// clusterings to compare (kmeans, gmm, ward). Like FeaturesAxis it is an
// extra axis whose values are names rather than values of a scalar config
// key (a variant's algorithm goes to Config.Algorithm), and the default,
// [kmeans], is no axis, so that cells keep their names ("pca-2-7");
// otherwise cells are named "pca-2-7/algorithm=gmm". It is not a data
// axis: every algorithm clusters the same embeddings.
const AlgorithmAxis = "algorithm"

// notAxes are config keys that cannot be axes, with the reason.
var notAxes = []struct{ prefix, why string }{
	{"name", "it names the sweep"},
	{"workers", "it does not change results"},
	{"report.", "it does not change results"},
	{"mapping", "it is not a scalar"},
	{"grid.", "grid keys are the grid itself"},
	{"data.path", "a sweep reads one dataset"},
	{"data.labels", "a sweep reads one dataset"},
	{"data.format", "a sweep reads one dataset"},
	{"data.size", "a sweep reads one dataset"},
	{"data.on_bad_image", "a sweep reads one dataset"},
	{"data.max_bytes", "a sweep reads one dataset"},
	{"data.images", "a sweep reads one dataset"},
}

// IsDataAxis tells whether an axis changes the rows, their folds, what is
// read of them or their scaling, and so the shared selection, features,
// scaling and reduction stages: the seed (which also draws the folds and
// the reductions' random starts), the data keys, the features axis and the
// features' parameters. Every other axis changes only the clustering of a
// cell.
func IsDataAxis(key string) bool {
	return key == "seed" || key == FeaturesAxis || strings.HasPrefix(key, "data.") || strings.HasPrefix(key, "features.")
}

// dataAxes keeps the axis values that the shared stages depend on.
func dataAxes(a Axes) Axes { return a.Filter(IsDataAxis) }

// UnmarshalYAML decodes grid: over the current values. The classic keys
// set their fields; any other key is an extra axis (a list of values, or
// one scalar), checked once the whole config is read (resolveAxes).
func (g *GridConfig) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return lineErr(n, "grid: want a mapping of keys to values")
	}
	for _, kv := range mappingPairs(n) {
		k, v := kv[0], kv[1]
		for v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		var err error
		switch k.Value {
		case "reducer":
			err = decodeStrings(v, &g.Reducer)
		case "components":
			err = decodeChecked(v, &g.Components, "grid.components")
		case "clusters":
			err = decodeChecked(v, &g.Clusters, "grid.clusters")
		case "folds":
			err = decodeChecked(v, &g.Folds, "grid.folds")
		case "holdout":
			err = decodeChecked(v, &g.Holdout, "grid.holdout")
		case "holdout_stratify":
			// A new bool, never the one a copy of the config shares.
			var b bool
			if err = decodeChecked(v, &b, "grid.holdout_stratify"); err == nil {
				g.HoldoutStratify = &b
			}
		default:
			ax := Axis{Key: k.Value, line: k.Line}
			switch v.Kind {
			case yaml.SequenceNode:
				ax.nodes = v.Content
			case yaml.ScalarNode:
				ax.nodes = []*yaml.Node{v}
			default:
				return lineErr(v, fmt.Sprintf("grid.%s: want a list of values", k.Value))
			}
			g.setAxis(ax)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// mappingPairs returns the key and value nodes of mapping n with YAML
// merge keys ("<<: *base") expanded: the merged entries first, so that
// the mapping's own keys, decoded after them, win.
func mappingPairs(n *yaml.Node) [][2]*yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	var merged, own [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value != "<<" || k.Tag == "!!str" && k.Style != 0 {
			own = append(own, [2]*yaml.Node{k, v})
			continue
		}
		for v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		srcs := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			srcs = v.Content
		}
		for _, m := range srcs {
			merged = append(merged, mappingPairs(m)...)
		}
	}
	return append(merged, own...)
}

// decodeChecked decodes n into dst after checkYAML, so that grid's own keys
// are as strict as the rest of the file (folds: 2.5 is an error).
func decodeChecked[T any](n *yaml.Node, dst *T, field string) error {
	if err := checkYAML(n, reflect.TypeFor[T](), field, map[yamlVisit]bool{}); err != nil {
		return err
	}
	return n.Decode(dst)
}

// decodeStrings accepts a list of strings or one string.
func decodeStrings(n *yaml.Node, dst *[]string) error {
	if n.Kind == yaml.ScalarNode {
		*dst = []string{n.Value}
		return nil
	}
	return n.Decode(dst)
}

// setAxis replaces the axis of the same key (an override of it), or
// appends a new one.
func (g *GridConfig) setAxis(ax Axis) {
	for i := range g.Axes {
		if g.Axes[i].Key == ax.Key {
			g.Axes[i] = ax
			return
		}
	}
	g.Axes = append(g.Axes, ax)
}

// MarshalYAML writes the classic keys and the axes as one mapping.
func (g GridConfig) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v any) error {
		var vn yaml.Node
		if err := vn.Encode(v); err != nil {
			return err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &vn)
		return nil
	}
	for _, kv := range []struct {
		k string
		v any
	}{{"reducer", g.Reducer}, {"components", []int(g.Components)}, {"clusters", []int(g.Clusters)}, {"folds", g.Folds}} {
		if err := add(kv.k, kv.v); err != nil {
			return nil, err
		}
	}
	if g.Holdout > 0 {
		if err := add("holdout", g.Holdout); err != nil {
			return nil, err
		}
	}
	if g.HoldoutStratify != nil {
		if err := add("holdout_stratify", *g.HoldoutStratify); err != nil {
			return nil, err
		}
	}
	for _, ax := range g.Axes {
		if err := add(ax.Key, ax.Values); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// resolveAxes checks every extra axis and writes its values canonically:
// the key must be a scalar config key that may vary, and every value must
// be valid for that key (the config with the value in place passes
// Validate). Errors name the file and line, or the override, that
// declares the axis.
func (c *Config) resolveAxes(name string) error {
	if len(c.Grid.Axes) > MaxAxes {
		return fmt.Errorf("grid: %d extra axes, more than %d", len(c.Grid.Axes), MaxAxes)
	}
	var errs []error
	for i := range c.Grid.Axes {
		ax := &c.Grid.Axes[i]
		resolve := c.resolveAxis
		switch ax.Key {
		case FeaturesAxis:
			resolve = resolveFeaturesAxis
		case AlgorithmAxis:
			resolve = resolveAlgorithmAxis
		}
		if err := resolve(ax); err != nil {
			switch {
			case ax.origin != "":
				err = fmt.Errorf("%s: %w", ax.origin, err)
			case ax.line > 0:
				err = fmt.Errorf("%s:%d: %w", name, ax.line, err)
			default:
				err = fmt.Errorf("%s: %w", name, err)
			}
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	// grid.features: [pixels] is the default, and no axis.
	if i := slices.IndexFunc(c.Grid.Axes, func(a Axis) bool { return a.Key == FeaturesAxis }); i >= 0 &&
		slices.Equal(c.Grid.Axes[i].Values, []string{features.Pixels}) {
		c.Grid.Axes = slices.Delete(c.Grid.Axes, i, i+1)
	}
	// grid.algorithm: [kmeans] is the default, and no axis.
	if i := slices.IndexFunc(c.Grid.Axes, func(a Axis) bool { return a.Key == AlgorithmAxis }); i >= 0 &&
		slices.Equal(c.Grid.Axes[i].Values, []string{KMeans}) {
		c.Grid.Axes = slices.Delete(c.Grid.Axes, i, i+1)
	}
	return nil
}

// resolveAlgorithmAxis checks the values of grid.algorithm: algorithm
// names (see AlgorithmAxis), each listed once.
func resolveAlgorithmAxis(ax *Axis) error {
	return resolveNamesAxis(ax, "an algorithm name", func(v string) error {
		if !oneOf(v, knownAlgorithms) {
			return fmt.Errorf("unknown algorithm %q (want kmeans, gmm or ward)", v)
		}
		return nil
	})
}

// resolveFeaturesAxis checks the values of grid.features: features names
// (see FeaturesAxis), each listed once.
func resolveFeaturesAxis(ax *Axis) error {
	return resolveNamesAxis(ax, "a features name", func(v string) error {
		if !features.Known(v) {
			return fmt.Errorf("unknown features %q (want pixels, hog or lbp)", v)
		}
		return nil
	})
}

// resolveNamesAxis checks an axis whose values are names, each known
// (check) and listed once.
func resolveNamesAxis(ax *Axis, want string, check func(string) error) error {
	field := "grid." + ax.Key
	nodes := ax.nodes
	if nodes == nil { // read back from JSON
		for _, v := range ax.Values {
			nodes = append(nodes, &yaml.Node{Kind: yaml.ScalarNode, Value: v})
		}
	}
	if len(nodes) == 0 {
		return fmt.Errorf("%s: empty", field)
	}
	var values []string
	for j, n := range nodes {
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s[%d]: want %s", field, j, want)
		}
		if err := check(n.Value); err != nil {
			return fmt.Errorf("%s[%d]: %w", field, j, err)
		}
		if slices.Contains(values, n.Value) {
			return fmt.Errorf("%s: %s listed twice", field, n.Value)
		}
		values = append(values, n.Value)
	}
	ax.Values, ax.nodes = values, nil
	return nil
}

func (c *Config) resolveAxis(ax *Axis) error {
	field := "grid." + ax.Key
	if err := checkAxisKey(c, ax.Key); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	for _, na := range notAxes {
		if ax.Key == na.prefix || (strings.HasSuffix(na.prefix, ".") && strings.HasPrefix(ax.Key, na.prefix)) {
			return fmt.Errorf("%s: %s cannot be an axis: %s", field, ax.Key, na.why)
		}
	}
	if _, err := fieldByPath(c, ax.Key); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	nodes := ax.nodes
	if nodes == nil { // read back from JSON: the values are canonical already
		for _, v := range ax.Values {
			nodes = append(nodes, &yaml.Node{Kind: yaml.ScalarNode, Value: v})
		}
	}
	if len(nodes) == 0 {
		return fmt.Errorf("%s: empty", field)
	}
	base := *c
	base.Grid.Axes = nil
	// The cell names of report.inspect and mapping name the extra axes,
	// which base lacks; Validate checks them against the whole grid.
	base.Report.Inspect, base.Mapping = nil, nil
	seen := map[string]bool{}
	values := make([]string, 0, len(nodes))
	for j, n := range nodes {
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s[%d]: want a scalar value", field, j)
		}
		v, err := base.withValue(ax.Key, n)
		if err != nil {
			return fmt.Errorf("%s[%d]: %w", field, j, err)
		}
		s, err := canonical(&v, ax.Key)
		if err != nil {
			return fmt.Errorf("%s: %w", field, err)
		}
		if strings.ContainsAny(s, "/=") || s == "" {
			return fmt.Errorf("%s[%d]: %q cannot name a cell (no '/', '=' or empty values)", field, j, s)
		}
		if seen[s] {
			return fmt.Errorf("%s: %s listed twice", field, s)
		}
		seen[s] = true
		values = append(values, s)
	}
	ax.Values, ax.nodes = values, nil
	return nil
}

// withValue returns a copy of c with the scalar key set to n, decoded as
// strictly as the file and validated.
func (c Config) withValue(key string, n *yaml.Node) (Config, error) {
	if err := applyKey(&c, key, n); err != nil {
		return Config{}, err
	}
	c.Grid.Axes = nil
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Variant returns the config of one combination of axis values: c with
// each value in place of its key.
func (c *Config) Variant(a Axes) (Config, error) {
	v := *c
	v.Grid.Axes = nil
	for i := 0; i < a.Len(); i++ {
		av := a.At(i)
		switch av.Key {
		case FeaturesAxis:
			v.Features.Use = av.Value
			continue
		case AlgorithmAxis:
			v.Algorithm = av.Value
			continue
		}
		if err := applyKey(&v, av.Key, &yaml.Node{Kind: yaml.ScalarNode, Value: av.Value}); err != nil {
			return Config{}, fmt.Errorf("grid.%s: %w", av.Key, err)
		}
	}
	return v, nil
}

// applyKey decodes value into the config key at the dotted path, with the
// same strict decoding as a config file: the value is placed in a nested
// mapping, written as YAML and decoded over c with KnownFields.
func applyKey(c *Config, path string, value *yaml.Node) error {
	doc := value
	parts := strings.Split(path, ".")
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] == "" {
			return fmt.Errorf("%q is not a key path", path)
		}
		doc = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: parts[i]}, doc}}
	}
	if err := checkYAML(doc, reflect.TypeFor[Config](), "", map[yamlVisit]bool{}); err != nil {
		var le *lineError
		if errors.As(err, &le) { // the caller names the key
			return errors.New(strings.TrimPrefix(le.msg, path+": "))
		}
		return plainYAMLError(err)
	}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return plainYAMLError(err)
	}
	return nil
}

// plainYAMLError strips yaml.v3's line prefixes (the lines of a generated
// document mean nothing to the user) and rewrites its jargon.
func plainYAMLError(err error) error {
	var le *lineError
	if errors.As(err, &le) {
		return errors.New(le.msg)
	}
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	for i, m := range msgs {
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			m = sub[2]
		}
		if u := yamlUnknown.FindStringSubmatch(m); u != nil {
			m = "unknown field"
		} else if t := yamlType.FindStringSubmatch(m); t != nil {
			m = fmt.Sprintf("found %s, want %s", yamlTagWords(t[1], t[2]), goTypeWords(t[3]))
		}
		msgs[i] = m
	}
	return errors.New(strings.Join(msgs, "; "))
}

// fieldByPath finds the field of c named by a dotted path of yaml keys.
// Only scalar fields qualify: strings, numbers, booleans and the types
// that read one scalar (Balance).
func fieldByPath(c *Config, path string) (reflect.Value, error) {
	v := reflect.ValueOf(c).Elem()
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, fmt.Errorf("%s is not a mapping", strings.Join(parts[:i], "."))
		}
		f, ok := fieldByTag(v, p)
		if !ok {
			return reflect.Value{}, errors.New("unknown field")
		}
		v = f
	}
	if _, ok := v.Addr().Interface().(yaml.Unmarshaler); ok && v.Kind() == reflect.Struct {
		if _, ok := v.Interface().(fmt.Stringer); ok {
			return v, nil // a scalar type such as Balance
		}
	}
	switch v.Kind() {
	case reflect.String, reflect.Bool, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v, nil
	}
	return reflect.Value{}, errors.New("not a scalar setting; only scalar keys can be axes")
}

func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == name && tag != "" && tag != "-" && t.Field(i).IsExported() {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// canonical writes the value of the scalar key in c: a Stringer's
// spelling, integers as digits, floats in their shortest form.
func canonical(c *Config, key string) (string, error) {
	v, err := fieldByPath(c, key)
	if err != nil {
		return "", err
	}
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return s.String(), nil
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	default:
		return strconv.FormatUint(v.Uint(), 10), nil
	}
}

// ApplyOverrides applies command-line overrides, each KEY=VALUE with
// VALUE in YAML flow syntax ("seed=2", "grid.clusters=[5,6,7]",
// "grid.seed=[1,2,3]", "data.balance=200"), as Hydra spells them. They
// are decoded as strictly as the file; errors name the override by its
// position: "override 2: grid.clusterz: unknown field".
func (c *Config) ApplyOverrides(args []string) error {
	for i, a := range args {
		key, val, ok := strings.Cut(a, "=")
		if !ok || key == "" {
			return fmt.Errorf("override %d: %q is not KEY=VALUE", i+1, a)
		}
		if !overrideKey.MatchString(key) {
			return fmt.Errorf("override %d: %q is not a config key (letters, digits, _ and -, joined by dots)", i+1, key)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(val), &doc); err != nil {
			return fmt.Errorf("override %d: %s: %q is not a YAML value: %v", i+1, key, val, plainYAMLError(err))
		}
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}
		if len(doc.Content) > 0 {
			n = doc.Content[0]
		}
		if err := c.applyOverride(key, n, fmt.Sprintf("override %d", i+1)); err != nil {
			return fmt.Errorf("override %d: %s: %w", i+1, key, err)
		}
	}
	return nil
}

var overrideKey = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

func (c *Config) applyOverride(key string, n *yaml.Node, origin string) error {
	if ax, ok := strings.CutPrefix(key, "grid."); ok && !isClassicGridKey(ax) {
		// An axis: grid.seed=[1,2,3]. Its key is checked by resolveAxes.
		if ax == "" {
			return errors.New("unknown field")
		}
		var nodes []*yaml.Node
		switch n.Kind {
		case yaml.SequenceNode:
			nodes = n.Content
		case yaml.ScalarNode:
			nodes = []*yaml.Node{n}
		default:
			return errors.New("want a list of values")
		}
		if err := checkAxisKey(c, ax); err != nil {
			if head, _, _ := strings.Cut(ax, "."); isClassicGridKey(head) {
				// grid.clusters.to=9: the grid's own keys take whole values.
				return fmt.Errorf("grid.%s takes a whole value, as in grid.clusters=[5,6,7] or grid.clusters={from: 5, to: 15}", head)
			}
			return err
		}
		c.Grid.setAxis(Axis{Key: ax, nodes: nodes, origin: origin})
		return nil
	}
	if _, err := fieldByPathAny(c, key); err != nil {
		return err
	}
	return applyKey(c, key, n)
}

// checkAxisKey checks the key of an extra axis, a config key: an unknown
// one is likely a misspelt grid key (grid.reducers) or config key.
func checkAxisKey(c *Config, key string) error {
	if key == AlgorithmAxis || key == FeaturesAxis {
		return nil // names, not config keys; resolveAxes checks their values
	}
	_, err := fieldByPathAny(c, key)
	if err == nil {
		return nil
	}
	if s := nearest(key, classicGridKeys); s != "" {
		return fmt.Errorf("unknown field (did you mean %s?)", s)
	}
	if !strings.Contains(key, ".") && nearest(key, yamlKeys(reflect.TypeFor[Config]())) == "" {
		return errors.New("unknown field (want one of " + strings.Join(classicGridKeys, ", ") +
			", " + AlgorithmAxis + ", " + FeaturesAxis + ", or a config key as an extra axis, such as seed or kmeans.n_init)")
	}
	return err
}

func isClassicGridKey(k string) bool {
	for _, c := range classicGridKeys {
		if k == c {
			return true
		}
	}
	return false
}

// fieldByPathAny is fieldByPath for any field, scalar or not.
func fieldByPathAny(c *Config, path string) (reflect.Value, error) {
	v := reflect.ValueOf(c).Elem()
	for _, p := range strings.Split(path, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, errors.New("unknown field")
		}
		f, ok := fieldByTag(v, p)
		if !ok {
			return reflect.Value{}, errors.New(unknownKey(p, yamlKeys(v.Type())))
		}
		v = f
	}
	return v, nil
}
