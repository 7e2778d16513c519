package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sweep/experiments/dataset"
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
	// A gmm cell's mixture: 2 components in 1 dimension.
	withGMM := func(edit func(g map[string]any)) func(m map[string]any) {
		return func(m map[string]any) {
			g := map[string]any{"covariance": "full", "weights": []float64{0.5, 0.5},
				"means": [][]float64{{0}, {1}}, "covariances": []float64{0.25, 0.25}}
			edit(g)
			m["gmm"] = g
		}
	}
	gm := good()
	withGMM(func(map[string]any) {})(gm)
	if _, err := Load(write("gmm.json", gm)); err != nil {
		t.Fatalf("good gmm model: %v", err)
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
		{"version 1", func(m map[string]any) { m["version"] = 1 }, "model file is version 1; this sweep reads version 3: refit with sweep fit"},
		{"nearest for fewer clusters", func(m map[string]any) { m["nearest"] = [][]Exemplar{{}} }, "nearest has 1 lists for 2 clusters"},
		{"gmm covariance type", withGMM(func(g map[string]any) { g["covariance"] = "banana" }), `gmm: unknown covariance "banana"`},
		{"gmm weights for fewer clusters", withGMM(func(g map[string]any) { g["weights"] = []float64{1} }), "gmm has 1 weights for 2 clusters"},
		{"gmm weight above 1", withGMM(func(g map[string]any) { g["weights"] = []float64{1.5, 0.5} }), "gmm.weights[0]: 1.5 is not a weight in [0, 1]"},
		{"gmm short mean", withGMM(func(g map[string]any) { g["means"] = [][]float64{{0}, {}} }), "gmm.means[1] has 0 values, want 1"},
		{"gmm covariances", withGMM(func(g map[string]any) { g["covariances"] = []float64{1} }), "gmm: 1 covariance values for 2 full components of dim 1, want 2"},
		{"gmm singular covariance", withGMM(func(g map[string]any) { g["covariances"] = []float64{0.25, 0} }), "component 1"},
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

// FuzzLoad feeds Load any bytes: never a panic, and a model it accepts
// predicts an image of its size without an error.
func FuzzLoad(f *testing.F) {
	base := `{"format":"sweep-model","version":3,"cell":"pca-1-2","side":2,"reducer":"pca",` +
		`"shift":[0,0,0,0],"scale":[1,1,1,1],"components":[[1,0,0,0]],"centers":[[0],[1]],"mapping":[0,1]`
	f.Add([]byte(base + `}`))
	f.Add([]byte(base + `,"gmm":{"covariance":"full","weights":[0.5,0.5],"means":[[0],[1]],"covariances":[0.25,0.25]}}`))
	f.Add([]byte(base + `,"gmm":{"covariance":"spherical","weights":[0.5,0.5],"means":[[0],[1]],"covariances":[1,2]}}`))
	f.Add([]byte(base + `,"nearest":[[],[{"line":1,"label":0,"distance":0,"pixels":"AAAAAA=="}]]}`))
	f.Add([]byte(`{"format":"sweep-model","version":3}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Load(writeTemp(t, t.TempDir(), "m.json", b))
		if err != nil {
			return
		}
		p := m.Side * m.Side
		d := &dataset.Dataset{Name: "one", Side: m.Side, Dim: p, Pixels: make([]float32, p), Labels: []int{0}, Line: []int{1}}
		if _, err := m.Predict(d); err != nil {
			t.Fatalf("Load accepted a model that cannot predict: %v", err)
		}
	})
}
