package report

import (
	"strings"
	"sweep/experiments/dataset"
	"testing"
)

func TestSummarizeData(t *testing.T) {
	// Hand-made: 4 rows of 2x2 pixels. Row 3 repeats row 1's pixels with
	// another label; row 2 is constant (sd 0); row 4 is near-constant
	// (levels 10, 11, 10, 11: sd 0.5).
	csv := "emotion,pixels,Usage\n" +
		"0,0 255 10 20,Training\n" +
		"1,7 7 7 7,PublicTest\n" +
		"3,0 255 10 20,Training\n" +
		"3,10 11 10 11,PrivateTest\n"
	d, err := dataset.Read(strings.NewReader(csv), "tiny.csv")
	if err != nil {
		t.Fatal(err)
	}
	s := SummarizeData(d, nil)
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"duplicates", s.Duplicates, 1},
		{"conflicts", s.DuplicateConflicts, 1},
		{"near-constant", s.NearConstant, 2},
		{"Happy training", s.Counts[3][dataset.Training], 1},
		{"Happy private", s.Counts[3][dataset.PrivateTest], 1},
		{"Disgust public", s.Counts[1][dataset.PublicTest], 1},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
	if s.MinPixel != 0 || s.MaxPixel != 255 {
		t.Errorf("pixel range %v..%v", s.MinPixel, s.MaxPixel)
	}
	var b strings.Builder
	if err := s.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "|     3 | Happy   |        1 |          0 |           1 |     2 |") {
		t.Errorf("markdown:\n%s", b.String())
	}
}
