package experiments

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3 decodes a YAML float into an integer field by truncation
// (decode.go: "case float64: ... out.SetInt(int64(resolved))"), so
// folds: 2.5 would run 2 folds and seed: 1.5 would be seed 1. checkYAML
// walks the parsed YAML tree alongside the Go type it is decoded into,
// before it is decoded, and refuses that; it also runs the types that
// decode themselves (IntList, Balance) so that their errors name the
// field.

// yamlVisit is a (node, type) pair already checked: an alias may point at
// a node many times, and visiting each pair once keeps the walk linear in
// the size of the file however aliases nest.
type yamlVisit struct {
	n *yaml.Node
	t reflect.Type
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// checkYAML checks node n, which is decoded into a value of type t named
// field ("grid.folds", "mapping[0].fold"; "" for the whole config).
func checkYAML(n *yaml.Node, t reflect.Type, field string, seen map[yamlVisit]bool) error {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return checkYAML(n.Content[0], t, field, seen)
	}
	if seen[yamlVisit{n, t}] {
		return nil
	}
	seen[yamlVisit{n, t}] = true
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return checkUnmarshaler(n, t, field)
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if err := checkInt(n, field); err != nil {
			return err
		}
		return checkScalarKind(n, t.Kind(), field)
	case reflect.Float32, reflect.Float64, reflect.Bool, reflect.String:
		return checkScalarKind(n, t.Kind(), field)
	case reflect.Pointer:
		return checkYAML(n, t.Elem(), field, seen)
	case reflect.Slice, reflect.Array:
		if n.Kind == yaml.MappingNode {
			return lineErr(n, fmt.Sprintf("%s: found a mapping, want a list", field))
		}
		if n.Kind != yaml.SequenceNode {
			return nil // the decoder reports it
		}
		for i, c := range n.Content {
			if err := checkYAML(c, t.Elem(), fmt.Sprintf("%s[%d]", field, i), seen); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode && n.ShortTag() != "!!null" {
			return lineErr(n, fmt.Sprintf("%s: found %s, want a mapping", field, found(n)))
		}
		return checkMapping(n, field, seen, func(k *yaml.Node) (reflect.Type, reflect.Type, bool) {
			return t.Key(), t.Elem(), true
		})
	case reflect.Struct:
		keys := yamlKeys(t)
		if n.Kind != yaml.MappingNode && n.ShortTag() != "!!null" {
			return lineErr(n, fmt.Sprintf("%s: found %s, want a mapping of keys (%s)", field, found(n), strings.Join(keys, ", ")))
		}
		return checkMapping(n, field, seen, func(k *yaml.Node) (reflect.Type, reflect.Type, bool) {
			f, ok := yamlField(t, k.Value)
			return nil, f.Type, ok
		}, keys...)
	}
	return nil
}

// checkMapping checks the keys and values of mapping node n (merge keys
// "<<" included); types gives the types of a key (nil: not checked) and
// of its value, or false for an unknown key, refused with the nearest of
// the known keys (a struct's; none for a map).
func checkMapping(n *yaml.Node, field string, seen map[yamlVisit]bool, types func(k *yaml.Node) (reflect.Type, reflect.Type, bool), known ...string) error {
	if n.Kind != yaml.MappingNode {
		return nil // the decoder reports it
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			// <<: *base or <<: [*a, *b] merges mappings into this one.
			for v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			ms := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				ms = v.Content
			}
			for _, m := range ms {
				for m.Kind == yaml.AliasNode && m.Alias != nil {
					m = m.Alias
				}
				if err := checkMapping(m, field, seen, types, known...); err != nil {
					return err
				}
			}
			continue
		}
		kt, vt, ok := types(k)
		if !ok {
			if known != nil && k.Kind == yaml.ScalarNode {
				return lineErr(k, joinField(field, k.Value)+": "+unknownKey(k.Value, known))
			}
			continue
		}
		if kt != nil {
			if err := checkYAML(k, kt, field, seen); err != nil {
				return err
			}
		}
		if err := checkYAML(v, vt, joinField(field, k.Value), seen); err != nil {
			return err
		}
	}
	return nil
}

// checkInt refuses a scalar that YAML does not read as an integer but
// yaml.v3 would put in an integer field: a float (truncated) or null
// (zero).
func checkInt(n *yaml.Node, field string) error {
	if n.Kind != yaml.ScalarNode {
		return nil // the decoder reports it
	}
	switch n.ShortTag() {
	case "!!float":
		return lineErr(n, fmt.Sprintf("%s: %s is not an integer", field, n.Value))
	case "!!null":
		return lineErr(n, fmt.Sprintf("%s: no value (want an integer)", field))
	}
	return nil
}

// checkUnmarshaler runs the UnmarshalYAML of type t on n and names the
// field in its error.
func checkUnmarshaler(n *yaml.Node, t reflect.Type, field string) error {
	err := reflect.New(t).Interface().(yaml.Unmarshaler).UnmarshalYAML(n)
	var le *lineError
	if errors.As(err, &le) && !strings.HasPrefix(le.msg, field+": ") && !strings.HasPrefix(le.msg, field+".") {
		return &lineError{line: le.line, msg: field + ": " + le.msg}
	}
	return err
}

// yamlField returns the field of struct type t whose yaml tag is name.
func yamlField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag == name && tag != "-" && f.IsExported() {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func joinField(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}
