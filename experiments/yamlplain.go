package experiments

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The plain-language side of the config checks (issue 17): what a node
// holds and what its field wants, in words; the nearest known key to an
// unknown one; tabs explained.

// found says what node n holds: "a list", "a mapping" or the scalar,
// quoted.
func found(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return strconv.Quote(n.Value)
}

// checkScalarKind checks a scalar field of kind k (an integer, a float, a
// bool or a string) against node n, whose aliases are resolved.
func checkScalarKind(n *yaml.Node, k reflect.Kind, field string) error {
	want := map[reflect.Kind]string{reflect.Float32: "a number", reflect.Float64: "a number",
		reflect.Bool: "true or false", reflect.String: "one value"}[k]
	if want == "" {
		want = "an integer"
	}
	if n.Kind != yaml.ScalarNode {
		return lineErr(n, fmt.Sprintf("%s: found %s, want %s", field, found(n), want))
	}
	tag := n.ShortTag()
	switch {
	case k == reflect.String || tag == "!!null":
		return nil
	case k == reflect.Bool:
		if tag != "!!bool" {
			return lineErr(n, fmt.Sprintf("%s: %q is not true or false", field, n.Value))
		}
	case k == reflect.Float32 || k == reflect.Float64:
		if tag == "!!float" || tag == "!!int" {
			return nil
		}
		_, err := strconv.ParseFloat(n.Value, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			return lineErr(n, fmt.Sprintf("%s: %s is too large a number", field, n.Value))
		case err == nil && tag == "!!str":
			return lineErr(n, fmt.Sprintf("%s: %q is text, not a number (remove the quotes)", field, n.Value))
		}
		return lineErr(n, fmt.Sprintf("%s: %q is not a number", field, n.Value))
	default: // integers; floats and null are checkInt's
		if tag == "!!int" {
			if k >= reflect.Uint && k <= reflect.Uint64 && strings.HasPrefix(n.Value, "-") {
				return lineErr(n, fmt.Sprintf("%s: %s is below 0", field, n.Value))
			}
			return nil
		}
		if tag == "!!float" {
			return nil
		}
		if _, err := strconv.ParseInt(n.Value, 10, 64); err == nil && tag == "!!str" {
			return lineErr(n, fmt.Sprintf("%s: %q is text, not an integer (remove the quotes)", field, n.Value))
		}
		return lineErr(n, fmt.Sprintf("%s: %q is not an integer", field, n.Value))
	}
	return nil
}

// yamlKeys lists the yaml keys of struct type t, in order.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" && f.IsExported() {
			keys = append(keys, tag)
		}
	}
	return keys
}

// unknownKey is the message for an unknown key: the nearest known one
// when it is close enough to be a typo, else the known keys.
func unknownKey(key string, known []string) string {
	if s := nearest(key, known); s != "" {
		return fmt.Sprintf("unknown field (did you mean %s?)", s)
	}
	return fmt.Sprintf("unknown field (want one of: %s)", strings.Join(known, ", "))
}

// nearest returns the key of known nearest to key by edit distance
// (Levenshtein: insertions, deletions, substitutions), when at most 2
// edits and fewer than half of key's letters apart; "" otherwise.
func nearest(key string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestD && 2*d < len(key) {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, by bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// tabError explains a YAML syntax error on a line holding a tab, which
// YAML does not allow in indentation; nil when err is not that.
func tabError(name string, src []byte, err error) error {
	sub := yamlLine.FindStringSubmatch(err.Error())
	if sub == nil {
		return nil
	}
	n, _ := strconv.Atoi(sub[1])
	lines := strings.Split(string(src), "\n")
	for _, l := range []int{n, n + 1} { // yaml.v3 may name the line before
		if l >= 1 && l <= len(lines) && strings.Contains(lines[l-1], "\t") {
			return fmt.Errorf("%s:%d: a tab character: YAML indents with spaces only; replace the tab with spaces", name, l)
		}
	}
	return nil
}

// goTypeWords says what Go type name (as yaml.v3's messages spell it)
// wants, in words.
func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "one value"
	}
	return "a mapping of keys"
}

// yamlTagWords says what a YAML tag (without "!!") and value are.
func yamlTagWords(tag, value string) string {
	switch tag {
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	}
	return strconv.Quote(value)
}
