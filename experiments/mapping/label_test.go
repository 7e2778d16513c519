package mapping

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseLabel(t *testing.T) {
	tests := []struct {
		s    string
		want int
		err  string
	}{
		{"3", 3, ""},
		{"Happy", 3, ""},
		{"happy", 3, ""},
		{" NEUTRAL\n", 6, ""},
		{"angry", 0, ""},
		{"0", 0, ""},
		{"+6", 6, ""},
		{"06", 6, ""},
		{"-0", 0, ""},
		{"7", 0, `parse label "7": 7 is not below 7 classes`},
		{"-1", 0, `parse label "-1": -1 is negative`},
		{"99999999999999999999", 0, `parse label "99999999999999999999": 99999999999999999999 is not below 7 classes`},
		{"-99999999999999999999", 0, `parse label "-99999999999999999999": -99999999999999999999 is negative`},
		{"", 0, `parse label "": empty`},
		{"  ", 0, `parse label "  ": empty`},
		{"3.0", 0, `parse label "3.0": not a label number or one of Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral`},
		{"+", 0, `parse label "+": not a label number or one of Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral`},
		{"Happiness", 0, `parse label "Happiness": not a label number or one of Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral`},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			got, err := ParseLabel(tt.s, ferNames)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("ParseLabel(%q) error %v, want %q", tt.s, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ParseLabel(%q) = %d, want %d", tt.s, got, tt.want)
			}
		})
	}
}

func TestParseLabelNames(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		names []string
		want  int
		err   string
	}{
		{"first of names equal up to case wins", "CAT", []string{"dog", "Cat", "cat"}, 1, ""},
		{"no names", "0", nil, 0, `parse label "0": 0 is not below 0 classes`},
		// A name that looks like a number is read as a number.
		{"numeric name", "1", []string{"1", "0"}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLabel(tt.s, tt.names)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ParseLabel = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestferNames checks that every name and every code parses to its
// index and that names round-trip through upper and lower case.
func TestFER2013Names(t *testing.T) {
	for l, name := range ferNames {
		for _, s := range []string{name, strings.ToUpper(name), strings.ToLower(name), strconv.Itoa(l)} {
			if got, err := ParseLabel(s, ferNames); err != nil || got != l {
				t.Errorf("ParseLabel(%q) = %d, %v, want %d", s, got, err, l)
			}
		}
	}
}

// FuzzParseLabel checks that ParseLabel either fails or returns an index of
// ferNames that the input names or numbers.
func FuzzParseLabel(f *testing.F) {
	for _, s := range []string{"3", "Happy", " sad ", "-1", "7", "+0", "", "3.0", "surprise\t", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLabel(s, ferNames)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "parse label ") {
				t.Fatalf("ParseLabel(%q): error %q lacks the operation", s, err)
			}
			return
		}
		if l < 0 || l >= len(ferNames) {
			t.Fatalf("ParseLabel(%q) = %d, out of range", s, l)
		}
		trimmed := strings.TrimSpace(s)
		if n, err := strconv.Atoi(trimmed); (err != nil || n != l) && !strings.EqualFold(trimmed, ferNames[l]) {
			t.Fatalf("ParseLabel(%q) = %d, which is neither its number nor its name", s, l)
		}
	})
}

// ferNames are FER2013's emotions (dataset.FER2013Emotions, which this
// package does not import).
var ferNames = []string{"Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"}
