package mapping

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseLabel parses a label given as a decimal integer in [0, len(names)) or
// as one of names, compared case-insensitively (strings.EqualFold), so that a
// config may say "3" or "happy" for FER2013's Happy. Surrounding white space
// is ignored. If names has entries equal up to case, the first one wins.
func ParseLabel(s string, names []string) (int, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("parse label %q: empty", s)
	}
	if isInteger(t) {
		// Atoi can only fail here with strconv.ErrRange.
		l, err := strconv.Atoi(t)
		switch {
		case l < 0 || err != nil && t[0] == '-':
			return 0, fmt.Errorf("parse label %q: %s is negative", s, t)
		case l >= len(names) || err != nil:
			return 0, fmt.Errorf("parse label %q: %s is not below %d classes", s, t, len(names))
		}
		return l, nil
	}
	for l, name := range names {
		if strings.EqualFold(t, name) {
			return l, nil
		}
	}
	return 0, fmt.Errorf("parse label %q: not a label number or one of %s", s, strings.Join(names, ", "))
}

// isInteger reports whether t is an optionally signed run of ASCII digits.
func isInteger(t string) bool {
	if t[0] == '+' || t[0] == '-' {
		t = t[1:]
	}
	if t == "" {
		return false
	}
	for _, r := range []byte(t) {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
