package experiments

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"sweep/experiments/dataset"
)

// blobs is the committed generator of the five-blob data set: 8x8 images
// in FER2013's layout whose class c (0..4) lights its own 12 of the 64
// pixels at grey level 200 over a background of 20, every pixel plus
// uniform noise in [-15, 15]. The classes' means are equidistant (a
// regular simplex), and a class's spread is far below their distance, so
// any sound criterion for k finds 5.
func blobs(t testing.TB, perClass int) *dataset.Dataset {
	t.Helper()
	const side, classes, lit = 8, 5, 12
	rng := rand.New(rand.NewPCG(16, 5))
	var b strings.Builder
	b.WriteString("emotion,pixels,Usage\n")
	for i := 0; i < perClass*classes; i++ {
		c := i % classes
		px := make([]string, side*side)
		for j := range px {
			v := 20.0
			if j/lit == c {
				v = 200
			}
			v += 30*rng.Float64() - 15
			px[j] = fmt.Sprint(int(math.Round(v)))
		}
		fmt.Fprintf(&b, "%d,%s,Training\n", c, strings.Join(px, " "))
	}
	d, err := dataset.Read(strings.NewReader(b.String()), "blobs.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const blobsGrid = `
seed: 3
data: {scale: unit}
grid: {reducer: [pca], components: [4], clusters: [2, 3, 4, 5, 6, 7, 8], folds: 3}
kmeans: {n_init: 4}
gap: {b: 10}
`

// On five well-separated blobs every criterion picks k = 5, and so does
// the vote; selection.csv says so. The bic criterion picks nothing for
// k-means cells (their BIC is NaN): its column is blank and it does not
// vote.
func TestChooseKFiveBlobs(t *testing.T) {
	cfg := mustConfig(t, blobsGrid)
	s, err := NewSweep(cfg, blobs(t, 60))
	if err != nil {
		t.Fatal(err)
	}
	results, err := s.Run(context.Background(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := Summarize(results)
	choices := ChooseK(sum)
	if len(choices) != 1 {
		t.Fatalf("%d groups, want 1", len(choices))
	}
	kc := choices[0]
	for i, c := range Criteria() {
		want := 5
		if c.Name == "bic" {
			want = 0
		}
		if kc.Picks[i] != want {
			t.Errorf("%s picks k = %d, want %d", c.Name, kc.Picks[i], want)
		}
	}
	if kc.Vote != 5 || kc.Votes != len(Criteria())-1 {
		t.Errorf("vote %d with %d votes, want 5 with %d", kc.Vote, kc.Votes, len(Criteria())-1)
	}
	header, rows := SelectionTable(s, sum)
	var bs strings.Builder
	for _, r := range append([][]string{header}, rows...) {
		bs.WriteString(strings.Join(r, ",") + "\n")
	}
	b := bs.String()
	want := "pooled,reducer,components,clusters_tried,silhouette,calinski_harabasz,davies_bouldin,gap,elbow,stability,bic,vote,votes\n" +
		",pca,4,2 3 4 5 6 7 8,5,5,5,5,5,5,,5,6\n"
	if string(b) != want {
		t.Errorf("selection.csv:\n%s\nwant:\n%s", b, want)
	}
	// At k = 5 every fold's model labels all rows alike (stability 1).
	for _, sm := range sum {
		if sm.Cell.Clusters == 5 {
			if st := sm.Stat("stability"); st.Mean != 1 {
				t.Errorf("stability at k = 5: %v, want 1", st.Mean)
			}
		}
	}
}

// The new scores (gap, stability) depend neither on the number of workers
// nor on which groups a run computes: a run of fold 1's cells alone gives
// them to the bit, although its stability needs the other folds' models.
func TestChooseKScoresIndependentOfWorkers(t *testing.T) {
	cfg := mustConfig(t, blobsGrid)
	d := blobs(t, 30)
	var ref []string
	for _, workers := range []int{1, 3} {
		s, err := NewSweep(cfg, d)
		if err != nil {
			t.Fatal(err)
		}
		results, err := s.Run(context.Background(), workers, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range results {
			got = append(got, r.Key()+" "+strings.Join(ResultValues(r), ","))
		}
		if ref == nil {
			ref = got
			continue
		}
		for i := range ref {
			if got[i] != ref[i] {
				t.Errorf("workers %d:\n%s\nworkers 1:\n%s", workers, got[i], ref[i])
			}
		}
	}
	s, err := NewSweep(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	var fold1 []int
	for i, c := range s.Cells {
		if c.Fold == 1 {
			fold1 = append(fold1, i)
		}
	}
	results, err := s.RunCells(context.Background(), fold1, 2, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		if r == nil {
			continue
		}
		if got := r.Key() + " " + strings.Join(ResultValues(r), ","); got != ref[i] {
			t.Errorf("fold 1 alone:\n%s\nwhole sweep:\n%s", got, ref[i])
		}
	}
}

// With grid.algorithm [gmm] the BIC criterion works: on five
// well-separated blobs the smallest mean BIC is at k = 5.
func TestChooseKBICGMM(t *testing.T) {
	cfg := mustConfig(t, blobsGrid+"gmm: {covariance: spherical}\n")
	cfg.Algorithm = GMM
	s, err := NewSweep(cfg, blobs(t, 60))
	if err != nil {
		t.Fatal(err)
	}
	results, err := s.Run(context.Background(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	kc := ChooseK(Summarize(results))[0]
	i := slices.IndexFunc(Criteria(), func(c Criterion) bool { return c.Name == "bic" })
	if kc.Picks[i] != 5 {
		t.Errorf("bic picks k = %d, want 5", kc.Picks[i])
	}
}
