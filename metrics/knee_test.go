package metrics

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// kneedRef is the layout of testdata/kneed_ref.json, written by
// testdata/kneed_ref.py: the examples published with kneed 0.8.6 and the
// knees its tests assert.
type kneedRef struct {
	KneedVersion string `json:"kneed_version"`
	Cases        []struct {
		Name      string    `json:"name"`
		Source    string    `json:"source"`
		X         []float64 `json:"x"`
		Y         []float64 `json:"y"`
		Curve     string    `json:"curve"`
		Direction string    `json:"direction"`
		S         float64   `json:"s"`
		Knee      *float64  `json:"knee"`
	} `json:"cases"`
}

func kneeShape(t *testing.T, curve, direction string) KneeShape {
	t.Helper()
	switch curve + " " + direction {
	case "concave increasing":
		return ConcaveIncreasing
	case "concave decreasing":
		return ConcaveDecreasing
	case "convex increasing":
		return ConvexIncreasing
	case "convex decreasing":
		return ConvexDecreasing
	}
	t.Fatalf("unknown curve %q, direction %q", curve, direction)
	return 0
}

func TestKneeKneed(t *testing.T) {
	const path = "testdata/kneed_ref.json"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ref kneedRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	if ref.KneedVersion != "0.8.6" {
		t.Fatalf("%s is for kneed %q, want 0.8.6", path, ref.KneedVersion)
	}
	if len(ref.Cases) < 15 {
		t.Fatalf("%s has %d cases, want 15", path, len(ref.Cases))
	}
	for _, tc := range ref.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			got, ok := Knee(tc.X, tc.Y, kneeShape(t, tc.Curve, tc.Direction), tc.S)
			// The knee is one of the x values, so it must match exactly.
			switch {
			case tc.Knee == nil && ok:
				t.Errorf("Knee = %v, kneed (%s) finds none", got, tc.Source)
			case tc.Knee != nil && !ok:
				t.Errorf("Knee found none, kneed (%s) %v", tc.Source, *tc.Knee)
			case tc.Knee != nil && got != *tc.Knee:
				t.Errorf("Knee = %v, kneed (%s) %v", got, tc.Source, *tc.Knee)
			}
		})
	}
}

func TestKneeHand(t *testing.T) {
	for _, tc := range []struct {
		name  string
		x, y  []float64
		shape KneeShape
		s     float64
		knee  float64
		ok    bool
	}{
		// Normalised: x = (0, .25, .5, .75, 1), y' = 1 − y/100 =
		// (0, .9, .95, .97, 1); d = y' − x = (0, .65, .45, .22, 0), one maximum
		// at index 1 with threshold .65 − 1·.25 = .4; d_2 = .45 is not below,
		// index 2 is neither maximum nor minimum, d_3 = .22 < .4: knee x_1 = 2.
		{"elbow at 2", []float64{1, 2, 3, 4, 5}, []float64{100, 10, 5, 3, 0}, ConvexDecreasing, 1, 2, true},
		// With S = 2 the threshold .65 − .5 = .15 is crossed only by the last
		// point, d_4 = 0, which still counts.
		{"S = 2", []float64{1, 2, 3, 4, 5}, []float64{100, 10, 5, 3, 0}, ConvexDecreasing, 2, 2, true},
		// With S = 3 the threshold .65 − .75 < 0 is never crossed.
		{"S too large", []float64{1, 2, 3, 4, 5}, []float64{100, 10, 5, 3, 0}, ConvexDecreasing, 3, 0, false},
		// The same values as a concave increasing curve 100 − y: the knee
		// is the same point.
		{"knee at 2", []float64{1, 2, 3, 4, 5}, []float64{0, 90, 95, 97, 100}, ConcaveIncreasing, 1, 2, true},
		// A straight line: d = 0 everywhere; every point is a maximum and a
		// minimum, so detection stays off.
		{"line", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, ConvexDecreasing, 1, 0, false},
		{"two points", []float64{1, 2}, []float64{2, 1}, ConvexDecreasing, 1, 0, false},
		{"one point", []float64{1}, []float64{2}, ConvexDecreasing, 1, 0, false},
		{"empty", nil, nil, ConvexDecreasing, 1, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			knee, ok := Knee(tc.x, tc.y, tc.shape, tc.s)
			if ok != tc.ok || knee != tc.knee {
				t.Errorf("Knee = %v, %v; want %v, %v", knee, ok, tc.knee, tc.ok)
			}
		})
	}
}

func TestKneePanics(t *testing.T) {
	for _, tc := range []struct {
		name  string
		x, y  []float64
		shape KneeShape
	}{
		{"lengths", []float64{1, 2}, []float64{1}, ConvexDecreasing},
		{"not increasing", []float64{1, 1, 2}, []float64{3, 2, 1}, ConvexDecreasing},
		{"shape", []float64{1, 2}, []float64{2, 1}, KneeShape(7)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || fmt.Sprint(r)[:9] != "metrics: " {
					t.Errorf("panic %v, want one with the metrics: prefix", r)
				}
			}()
			Knee(tc.x, tc.y, tc.shape, 1)
		})
	}
}
