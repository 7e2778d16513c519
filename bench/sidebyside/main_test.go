package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    []float64
		want float64 // hand computation
	}{
		{"odd", []float64{3, 1, 2}, 2},
		{"even", []float64{4, 1, 3, 2}, 2.5},
		{"one", []float64{7}, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := median(tc.v); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("median(%v) = %v, want %v", tc.v, got, tc.want)
			}
		})
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
}

func TestParseBench(t *testing.T) {
	out := `goos: linux
BenchmarkLoadGzip-2   	       5	1234567890 ns/op	 1 B/op
BenchmarkLoadGzip-2   	       5	1000000000 ns/op
BenchmarkLoadCSV      	       3	 300000000 ns/op
PASS
`
	got := parseBench(strings.NewReader(out))
	for _, tc := range []struct {
		name string
		want []float64 // seconds: ns/op / 1e9
	}{
		{"BenchmarkLoadGzip", []float64{1.23456789, 1}},
		{"BenchmarkLoadCSV", []float64{0.3}},
	} {
		v := got[tc.name]
		if len(v) != len(tc.want) {
			t.Fatalf("%s: %v, want %v", tc.name, v, tc.want)
		}
		for i := range v {
			if math.Abs(v[i]-tc.want[i]) > 1e-12 {
				t.Errorf("%s[%d] = %v, want %v", tc.name, i, v[i], tc.want[i])
			}
		}
	}
}

func TestCompareCells(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "results.csv")
	b := filepath.Join(dir, "sklearn.csv")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The sweep's table has more columns, in its own order.
	write(a, "reducer,components,clusters,fold,silhouette,inertia,note\n"+
		"pca,2,5,0,0.5,110,\n"+
		"pca,2,5,1,0.4,90,\n"+
		"svd,2,5,0,,100,undefined\n")
	write(b, "reducer,components,clusters,fold,inertia,silhouette\n"+
		"pca,2,5,0,100,0.45\n"+
		"pca,2,5,1,100,0.4\n"+
		"svd,2,5,0,100,0.3\n")
	acc, cells, err := compareCells(a, b)
	if err != nil {
		t.Fatal(err)
	}
	// Hand computation: ratios 1.1, 0.9, 1.0; geometric mean (0.99)^(1/3);
	// silhouette differences 0.05 and 0 over 3 cells (the NaN one counts
	// as compared but adds nothing).
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"cells", float64(acc.cells), 3},
		{"rows", float64(cells), 3},
		{"geometric mean", acc.inertiaGeo, math.Cbrt(0.99)},
		{"largest ratio", acc.inertiaHi, 1.1},
		{"mean abs silhouette", acc.silMeanAbs, 0.05 / 3},
		{"largest abs silhouette", acc.silMaxAbs, 0.05},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}
