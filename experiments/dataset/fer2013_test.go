package dataset

import (
	"os"
	"testing"
)

// fer2013Path returns the path of the real FER2013 file from FER2013_CSV,
// skipping the test when it is unset, or failing it under CI when the file
// is missing.
func fer2013Path(t *testing.T) string {
	t.Helper()
	path := os.Getenv("FER2013_CSV")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("FER2013_CSV not set under CI")
		}
		t.Skip("FER2013_CSV not set")
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip("FER2013_CSV: ", err)
	}
	return path
}

func TestFER2013(t *testing.T) {
	path := fer2013Path(t)
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// Counts and checksum from /work/shared/data/README.md, which match the
	// original FER2013 release.
	const (
		rows = 35887
		sum  = "30c5a66cb07730e01955e0945bee1a593e78e87230f5b59d30ff89c5fcf83197"
	)
	wantClass := []int{4953, 547, 5121, 8989, 6077, 4002, 6198}
	wantUsage := map[Usage]int{Training: 28709, PublicTest: 3589, PrivateTest: 3589}
	if d.N() != rows || d.Side != 48 || d.Dim != 48*48 || !d.HasLabels {
		t.Fatalf("N, Side, Dim, HasLabels = %d, %d, %d, %v, want %d, 48, 2304, true",
			d.N(), d.Side, d.Dim, d.HasLabels, rows)
	}
	if d.SHA256 != sum {
		t.Errorf("SHA256 = %s, want %s", d.SHA256, sum)
	}
	class := make([]int, len(wantClass))
	usage := map[Usage]int{}
	for i := range d.N() {
		if l := d.Labels[i]; l < 0 || l >= len(class) {
			t.Fatalf("row %d: label %d", i, l)
		}
		class[d.Labels[i]]++
		usage[d.Usage[i]]++
		if d.Line[i] != i+2 {
			t.Fatalf("row %d on line %d, want %d", i, d.Line[i], i+2)
		}
	}
	for k := range class {
		if class[k] != wantClass[k] {
			t.Errorf("class %d: %d rows, want %d", k, class[k], wantClass[k])
		}
	}
	for u, n := range wantUsage {
		if usage[u] != n {
			t.Errorf("%v: %d rows, want %d", u, usage[u], n)
		}
	}
	for _, v := range d.Pixels {
		if v < 0 || v > 255 {
			t.Fatalf("pixel %v out of range", v)
		}
	}
}
