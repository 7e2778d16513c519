package experiments

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"sweep/experiments/dataset"
)

func TestDataSourceConfig(t *testing.T) {
	const grid = "grid: {components: [2], clusters: [3]}\n"
	c, err := ParseConfig([]byte("data:\n  format: idx\n  path: t10k-images.gz\n  labels: t10k-labels.gz\n"+grid), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := dataset.Source{Format: "idx", Path: "t10k-images.gz", Labels: "t10k-labels.gz"}
	if got := c.Data.Source(); got != want {
		t.Errorf("Source() = %+v, want %+v", got, want)
	}
	c, err = ParseConfig([]byte("data:\n  path: faces\n  size: 64\n  on_bad_image: skip\n"+grid), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want = dataset.Source{Path: "faces", Size: 64, OnBad: "skip"}
	if got := c.Data.Source(); got != want {
		t.Errorf("Source() = %+v, want %+v", got, want)
	}
	for _, tc := range []struct {
		name, data, want string
	}{
		{"format", "{format: png}", `c.yaml:1: data.format: unknown value "png" (want csv, images, idx or npy; empty detects it)`},
		{"size range", "{size: 4096}", `c.yaml:1: data.size: 4096 out of range 1..2048`},
		{"negative size", "{size: -1}", `c.yaml:1: data.size: -1 out of range 1..2048`},
		{"size for csv", "{format: csv, size: 28}", `c.yaml:1: data.size: only for image folders; csv files fix their own size`},
		{"labels for images", "{format: images, labels: l.idx}", `c.yaml:1: data.labels: only for idx and npy data; images data carries its own labels`},
		{"on_bad_image value", "{on_bad_image: ignore}", `c.yaml:1: data.on_bad_image: unknown value "ignore" (want fail or skip)`},
		{"on_bad_image for idx", "{format: idx, on_bad_image: skip}", `c.yaml:1: data.on_bad_image: only for image folders, not idx data`},
		{"type", "{size: big}", `c.yaml:1: data.size: "big" is not an integer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte("data: "+tc.data+"\n"+grid), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// New data fields left empty keep the fingerprint of configs written
// before they existed, and the labels file, like the data path, is not
// part of it (the data sha256 covers its content).
func TestFingerprintDataSource(t *testing.T) {
	c := Defaults()
	b, err := json.Marshal(c.Data)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "size", "labels", "on_bad_image"} {
		if strings.Contains(string(b), `"`+k+`"`) {
			t.Errorf("empty %s is in the fingerprinted JSON %s", k, b)
		}
	}
}

// configs/demo.yaml (make demo) reads IDX and spans the documented grid.
func TestDemoConfig(t *testing.T) {
	c, err := LoadConfig(filepath.Join("..", "configs", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Data.Format != dataset.FormatIDX || c.Data.Balance.N != 300 {
		t.Errorf("data %+v", c.Data)
	}
	if got := len(c.Cells()); got != 264 { // 2 reducers x 4 components x 11 clusters x 3 folds
		t.Errorf("%d cells, want 264", got)
	}
}
