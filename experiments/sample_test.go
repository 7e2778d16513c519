package experiments

import (
	"context"
	"fmt"
	"math"
	"testing"

	"sweep/metrics"
)

// TestSilhouetteSample checks silhouette.sample: a sample at least as large
// as the held-out rows scores them exactly (the same values as no sample);
// a smaller one gives, for every cell, metrics.SilhouetteSampled on the
// cell's embedding with the stream seeded by (seed, "silhouette/" + cell
// key), whatever the number of workers.
func TestSilhouetteSample(t *testing.T) {
	d := synthetic(t, []int{40, 30, 35, 25}, 0)
	run := func(sample, workers int) (*Sweep, []*Result) {
		t.Helper()
		sw, err := NewSweep(mustConfig(t, smallGrid+fmt.Sprintf("silhouette: {sample: %d}\n", sample)), d)
		if err != nil {
			t.Fatal(err)
		}
		res, err := sw.Run(context.Background(), workers, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sw, res
	}
	_, exact := run(0, 2)
	_, all := run(1000, 2)
	for i, r := range exact {
		if fmt.Sprint(r.Silhouette) != fmt.Sprint(all[i].Silhouette) {
			t.Errorf("%s: sample above the row count gives %v, exact %v", r.Key(), all[i].Silhouette, r.Silhouette)
		}
	}
	const sample = 20 // of 33 or 34 held-out rows per fold (4 classes of 25 rows, 3 folds)
	sw, one := run(sample, 1)
	_, two := run(sample, 2)
	for i, r := range one {
		if fmt.Sprint(r.Silhouette) != fmt.Sprint(two[i].Silhouette) {
			t.Errorf("%s: %v at 1 worker, %v at 2", r.Key(), r.Silhouette, two[i].Silhouette)
		}
		e, err := sw.reduction(context.Background(), sw.variant(r.Cell), r.Fold, r.Reducer)
		if err != nil {
			t.Fatal(err)
		}
		xte := leading(e.Test, e.Dim, r.Components)
		want, err := metrics.SilhouetteSampled(xte, r.Components, r.TestLabels, sample, streamRand(sw.Config.Seed, "silhouette/"+r.Key()))
		if err != nil {
			want = math.NaN()
		}
		if fmt.Sprint(r.Silhouette) != fmt.Sprint(want) {
			t.Errorf("%s: silhouette %v, SilhouetteSampled %v", r.Key(), r.Silhouette, want)
		}
	}
}
