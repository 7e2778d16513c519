package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRefuses: a model file whose shapes or numbers are wrong,
// or that never ends, is an error naming the file and the field.
func TestLoadRefuses(t *testing.T) {
	good := func() map[string]any {
		return map[string]any{
			"format": Format, "version": Version, "cell": "pca-1-2", "side": 2, "reducer": "pca",
			"shift": []float64{0, 0, 0, 0}, "scale": []float64{1, 1, 1, 1},
			"components": [][]float64{{1, 0, 0, 0}}, "centers": [][]float64{{0}, {1}},
			"mapping": []int{0, 1},
		}
	}
	dir := t.TempDir()
	write := func(name string, m map[string]any) string {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return writeTemp(t, dir, name, b)
	}
	if _, err := Load(write("good.json", good())); err != nil {
		t.Fatalf("good model: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"negative side", func(m map[string]any) { m["side"] = -2 }, "side -2 out of range 1..2048"},
		{"side overflowing side*side", func(m map[string]any) { m["side"] = 1 << 32 }, "side 4294967296 out of range 1..2048"},
		{"short centre", func(m map[string]any) { m["centers"] = [][]float64{{0}, {}} }, "centre 1 has 0 values, want 1"},
		{"zero scale", func(m map[string]any) { m["scale"] = []float64{1, 0, 1, 1} }, "scale[1]: 0 is not above 0"},
		{"mapping below -1", func(m map[string]any) { m["mapping"] = []int{0, -2} }, "mapping[1]: label -2 is below -1"},
		{"infinite number", nil, "cannot unmarshal number 1e400"},
		{"version 1", func(m map[string]any) { m["version"] = 1 }, "model file is version 1; this sweep reads version 2: refit with sweep fit"},
		{"nearest for fewer clusters", func(m map[string]any) { m["nearest"] = [][]Exemplar{{}} }, "nearest has 1 lists for 2 clusters"},
		{"exemplar of the wrong size", func(m map[string]any) {
			m["nearest"] = [][]Exemplar{{}, {{Pixels: []byte{1, 2, 3}}}}
		}, "nearest[1][0] has 3 pixels, want 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var path string
			if tc.edit == nil {
				path = writeTemp(t, dir, "inf.json", []byte(strings.Replace(string(mustJSON(t, good())), `"centers":[[0],[1]]`, `"centers":[[0],[1e400]]`, 1)))
			} else {
				m := good()
				tc.edit(m)
				path = write(tc.name+".json", m)
			}
			_, err := Load(path)
			if err == nil || !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %s: ...%s", err, path, tc.want)
			}
		})
	}
	// A file past MaxBytes is refused after reading MaxBytes+1.
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(big); err == nil || err.Error() != "read model: "+big+" is larger than 64 MiB, the limit for a model file" {
		t.Errorf("big model: %v", err)
	}
}

func writeTemp(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
