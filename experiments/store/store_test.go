package store

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sweep/experiments"
	"testing"
)

// A record survives encodeRecord and decodeRecord bit for bit, and any
// single changed byte of its line is caught.
func TestRecordRoundTripAndBitFlips(t *testing.T) {
	r := &experiments.Result{Cell: experiments.Cell{Reducer: "pca", Components: 2, Clusters: 3, Fold: 1},
		Silhouette: 0.123456789012345, Inertia: 1e6 / 3, Iterations: 7, NonEmpty: 3,
		AccMajority: math.NaN(), AccOneToOne: 0.5, AccManual: math.NaN(), ARI: -0.01, NMI: 0.2, Purity: 0.7,
		KMeansSeconds: 0.01, SilhouetteSeconds: 0.02, Seconds: 0.03,
		TrainLabels: []int{0, 2, 1}, TestLabels: []int{1}}
	line, err := encodeRecord(toRecord(r, true))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := decodeRecord(line)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	if rec.Scores["silhouette"] != experiments.FormatFloat(r.Silhouette) || rec.Scores["inertia"] != experiments.FormatFloat(r.Inertia) || len(rec.TrainLabels) != 3 {
		t.Errorf("read back %+v", rec)
	}
	for i := range line {
		for _, x := range []byte{1, 0x20} {
			bad := []byte(string(line))
			bad[i] ^= x
			if _, err := decodeRecord(bad); err == nil {
				t.Errorf("byte %d ^ %#x accepted: %s", i, x, bad)
			}
		}
	}
}

// goodRecord is a sound record of cell pca-2-3/fold0.
func goodRecord() record {
	r := &experiments.Result{Cell: experiments.Cell{Reducer: "pca", Components: 2, Clusters: 3}, Silhouette: 0.5, Inertia: 2, NonEmpty: 3}
	nanLabelScores(r)
	return toRecord(r, false)
}

// nanLabelScores sets the label scores of r to NaN, as for unlabelled data.
func nanLabelScores(r *experiments.Result) {
	for _, sc := range experiments.Scores() {
		if sc.Labels {
			sc.Set(r, math.NaN())
		}
	}
}

func TestRecordDomain(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*record)
		msg  string
	}{
		{"ok", func(*record) {}, ""},
		{"nmi a few ulps above 1", func(r *record) { r.Scores["nmi"] = "1.0000000000000002" }, ""},
		{"silhouette 7", func(r *record) { r.Scores["silhouette"] = "7" }, "silhouette 7 is outside [-1, 1]"},
		{"silhouette -1.5", func(r *record) { r.Scores["silhouette"] = "-1.5" }, "silhouette -1.5 is outside [-1, 1]"},
		{"negative inertia", func(r *record) { r.Scores["inertia"] = "-1" }, "inertia -1 is below 0"},
		{"inertia NaN text", func(r *record) { r.Scores["inertia"] = "NaN" }, `inertia "NaN" is not a finite number`},
		{"inertia Inf", func(r *record) { r.Scores["inertia"] = "+Inf" }, `inertia "+Inf" is not a finite number`},
		{"accuracy 2", func(r *record) { r.Scores["accuracy_majority"] = "2" }, "accuracy_majority 2 is outside [0, 1]"},
		{"nonempty above clusters", func(r *record) { r.Scores["nonempty"] = "4" }, "nonempty 4 is more than the 3 clusters"},
		{"negative iterations", func(r *record) { r.Scores["iterations"] = "-1" }, "iterations -1 is below 0"},
		{"fractional iterations", func(r *record) { r.Scores["iterations"] = "2.5" }, "iterations 2.5 is not an integer"},
		{"unknown score", func(r *record) { r.Scores["colour"] = "1" }, `unknown score "colour"`},
		{"missing score", func(r *record) { delete(r.Scores, "ari") }, "no score ari"},
		{"negative time", func(r *record) { r.Seconds = "-1" }, "seconds -1 is below 0"},
		{"label out of range", func(r *record) { r.TrainLabels = []int{0, 3} }, "cluster label 3 is outside 0..2"},
		{"no cell", func(r *record) { r.Cell = "" }, `cell "": want reducer-components-clusters, e.g. pca-2-7`},
		{"cell without fold", func(r *record) { r.Cell = "pca-2-3" }, `cell "pca-2-3" has no fold`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := goodRecord()
			tc.edit(&r)
			err := r.check()
			if tc.msg == "" && err != nil || tc.msg != "" && (err == nil || err.Error() != tc.msg) {
				t.Errorf("check: %v, want %q", err, tc.msg)
			}
		})
	}
}

// FuzzReadStore: no store file makes readStore panic, and whatever it
// keeps passes the checks again.
func FuzzReadStore(f *testing.F) {
	rec, _ := encodeRecord(goodRecord())
	header := `{"version":3,"fingerprint":"` + Fingerprint(experiments.Config{}, "") + `","config":` + jsonString(experiments.Config{}) + `}`
	f.Add([]byte(header + "\n" + string(rec) + "\n" + string(rec) + "\n"))
	f.Add([]byte(header + "\nx\n" + string(rec)))
	f.Add([]byte(`{"version":1}` + "\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "cells.jsonl")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := readStore(path)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path) {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		for _, r := range c.recs {
			if r.line > 0 {
				if _, err := decodeRecord(r.raw); err != nil {
					t.Errorf("kept line %d: %v", r.line, err)
				}
			}
		}
	})
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// The labels path does not change the fingerprint (the data's sha256
// covers the labels); the image size does.
func TestFingerprintFields(t *testing.T) {
	c := experiments.Defaults()
	base := Fingerprint(c, "abc")
	c.Data.Labels = "elsewhere/labels.gz"
	if Fingerprint(c, "abc") != base {
		t.Error("the labels path changed the fingerprint")
	}
	c.Data.Size = 64
	if Fingerprint(c, "abc") == base {
		t.Error("data.size did not change the fingerprint")
	}
}
