package report

import (
	"slices"
	"strings"
	"testing"

	"sweep/experiments/dataset"
)

// TestBaselineLines: when the largest class's share equals the uniform
// guess (balanced data), one reference line names both, instead of one
// hiding under the other (issue 17 item 7); otherwise two lines.
func TestBaselineLines(t *testing.T) {
	for _, tc := range []struct {
		largest, uniform float64
		classes          int
		want             []string
	}{
		{0.1, 0.1, 10, []string{"uniform 1/10 = largest class 0.100"}},
		{1.0 / 7, 1.0/7 + 1e-13, 7, []string{"uniform 1/7 = largest class 0.143"}},
		{0.25, 1.0 / 7, 7, []string{"largest class 0.250", "uniform 1/7"}},
	} {
		var got []string
		for _, h := range baselineLines(tc.largest, tc.uniform, tc.classes) {
			got = append(got, h.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("baselineLines(%v, %v, %d) = %q, want %q", tc.largest, tc.uniform, tc.classes, got, tc.want)
		}
	}
}

// TestDataTableSplits: the data table has a column per split only when
// the data has splits (issue 17 item 8: an image folder showed empty
// PublicTest and PrivateTest columns).
func TestDataTableSplits(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		header    []string
		rows      [][]string
	}{
		{"splits", "emotion,pixels,Usage\n0,1 2 3 4,Training\n3,5 6 7 8,PrivateTest\n3,1 1 7 8,Training\n",
			[]string{"label", "name", "Training", "PrivateTest", "total"},
			[][]string{{"0", "Angry", "1", "0", "1"}, {"3", "Happy", "1", "1", "2"}}},
		{"no Usage column", "emotion,pixels\n0,1 2 3 4\n3,5 6 7 8\n",
			[]string{"label", "name", "images"},
			[][]string{{"0", "Angry", "1"}, {"3", "Happy", "1"}}},
		{"unlabelled", "pixels\n1 2 3 4\n5 6 7 8\n",
			[]string{"label", "name", "images"},
			[][]string{{"0", "(unlabelled)", "2"}}},
	} {
		d, err := dataset.Read(strings.NewReader(tc.csv), "tiny.csv")
		if err != nil {
			t.Fatal(err)
		}
		header, rows := SummarizeData(d, nil).Table()
		if !slices.Equal(header, tc.header) || !slices.EqualFunc(rows, tc.rows, slices.Equal) {
			t.Errorf("%s: table %q %q, want %q %q", tc.name, header, rows, tc.header, tc.rows)
		}
	}
}
