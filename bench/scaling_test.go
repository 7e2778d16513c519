package bench

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/experiments/kmeans"
	"sweep/experiments/reduce"
	"sweep/metrics"
)

// ferPath returns FER2013_CSV, skipping the benchmark when it is unset and
// failing it when CI is set: CI must run the real-data benchmarks.
func ferPath(tb testing.TB) string {
	tb.Helper()
	p := os.Getenv("FER2013_CSV")
	if p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("CI is set but FER2013_CSV (%q) is not a readable file", p)
	}
	tb.Skip("FER2013_CSV not set")
	return ""
}

// scalingSizes are the image counts of BenchmarkScaling: FER2013 balanced
// to its smallest class (7 x 547), all of it, and all of it four times
// (copies after the first with noise).
var scalingSizes = []int{3829, 35887, 143548}

// images returns n images of FER2013 as a data set: the balanced
// selection of configs/fer2013.yaml for 3,829, the whole file for 35,887
// and, for larger multiples of it, further copies of the file in which
// every grey level moves by a seeded uniform integer in [-2, 2] (clamped to
// 0..255), so that no two rows are equal.
func images(tb testing.TB, d *dataset.Dataset, n int) *dataset.Dataset {
	tb.Helper()
	if n == d.N() {
		return d
	}
	var rows []int
	switch {
	case n < d.N():
		cfg, err := experiments.ParseConfig([]byte("data: {balance: min}\ngrid: {components: [5], clusters: [5]}\n"), "balanced.yaml")
		if err != nil {
			tb.Fatal(err)
		}
		sel, err := experiments.Select(d, &cfg)
		if err != nil {
			tb.Fatal(err)
		}
		rows = sel.Rows
	default:
		for i := range n {
			rows = append(rows, i%d.N())
		}
	}
	if len(rows) != n {
		tb.Fatalf("%d rows for n = %d", len(rows), n)
	}
	rng := rand.New(rand.NewPCG(11, uint64(n)))
	out := &dataset.Dataset{Name: fmt.Sprintf("fer2013-%d", n), Side: d.Side, Dim: d.Dim, HasLabels: d.HasLabels,
		Pixels: make([]float32, 0, n*d.Dim)}
	for i, r := range rows {
		row := d.Row(r)
		if i < d.N() {
			out.Pixels = append(out.Pixels, row...)
		} else {
			for _, v := range row {
				out.Pixels = append(out.Pixels, float32(min(255, max(0, int(v)+rng.IntN(5)-2))))
			}
		}
		out.Labels = append(out.Labels, d.Labels[r])
		out.Usage = append(out.Usage, d.Usage[r])
		out.Line = append(out.Line, i+2)
	}
	return out
}

// writeCSV writes d in FER2013's layout.
func writeCSV(path string, d *dataset.Dataset) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("emotion,pixels,Usage\n")
	var buf []byte
	for i := range d.N() {
		buf = strconv.AppendInt(buf[:0], int64(d.Labels[i]), 10)
		buf = append(buf, ',')
		for j, v := range d.Row(i) {
			if j > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
		buf = append(buf, ',')
		buf = append(buf, d.Usage[i].String()...)
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// BenchmarkScaling times each stage of a sweep cell at n = 3,829, 35,887
// and 143,548 images (see images): parsing the plain CSV (load), the
// per-pixel statistics of min-max scaling (scale), PCA to 5 components
// with the transform of every row (reduce), k-means with k = 10 and
// n_init = 10 on the 5 components (kmeans), the exact silhouettes of the
// 11 labelings k = 5..15 of one embedding (silhouette, quadratic in n) and
// the silhouette of a 2,000-row sample of one labeling (silhouette-sample,
// constant in n). All but the exact silhouette grow linearly. Run it with
// -benchtime 1x: the exact silhouette at 143,548 images takes minutes.
func BenchmarkScaling(b *testing.B) {
	full, err := dataset.Load(ferPath(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range scalingSizes {
		in := &inputs{d: images(b, full, n)}
		b.Run(fmt.Sprintf("load/n=%d", n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "images.csv")
			if err := writeCSV(path, in.d); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dataset.Load(path); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("scale/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				reduce.ColumnStats(in.d.Pixels, in.d.Dim, in.rows())
			}
		})
		b.Run(fmt.Sprintf("reduce/n=%d", n), func(b *testing.B) {
			src := in.source(b)
			b.ReportAllocs()
			for b.Loop() {
				m, err := reduce.Fit(src, 5, reduce.Options{}, rand.New(rand.NewPCG(1, 2)))
				if err != nil {
					b.Fatal(err)
				}
				m.Transform(src, 5, nil)
				b.ReportMetric(float64(m.Iter), "iter")
			}
		})
		b.Run(fmt.Sprintf("kmeans/n=%d", n), func(b *testing.B) {
			emb := in.embedding(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := kmeans.Fit(emb, 5, kmeans.Options{K: 10, NInit: 10}, rand.New(rand.NewPCG(3, 4))); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("silhouette/n=%d", n), func(b *testing.B) {
			emb, labelings := in.embedding(b), in.labelings(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := metrics.SilhouetteBatch(emb, 5, labelings); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("silhouette-sample/n=%d", n), func(b *testing.B) {
			emb, labelings := in.embedding(b), in.labelings(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := metrics.SilhouetteSampled(emb, 5, labelings[5], 2000, rand.New(rand.NewPCG(6, 7))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// inputs holds the data of one size and what the stages after the first
// need, computed on first use (outside the timed loops).
type inputs struct {
	d     *dataset.Dataset
	src   *reduce.Source
	emb   []float64
	parts [][]int
}

func (in *inputs) rows() []int {
	rows := make([]int, in.d.N())
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// source is min-max scaled, centred PCA input over every row.
func (in *inputs) source(tb testing.TB) reduce.Source {
	if in.src == nil {
		rows := in.rows()
		st := reduce.ColumnStats(in.d.Pixels, in.d.Dim, rows)
		scale := make([]float64, in.d.Dim)
		for j := range scale {
			scale[j] = 1
			if r := st.Max[j] - st.Min[j]; r > 0 {
				scale[j] = 1 / r
			}
		}
		in.src = &reduce.Source{Pixels: in.d.Pixels, Dim: in.d.Dim, Rows: rows, Shift: st.Mean, Scale: scale}
	}
	return *in.src
}

// embedding is every row in 5 principal components.
func (in *inputs) embedding(tb testing.TB) []float64 {
	if in.emb == nil {
		src := in.source(tb)
		m, err := reduce.Fit(src, 5, reduce.Options{}, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			tb.Fatal(err)
		}
		in.emb = m.Transform(src, 5, nil)
	}
	return in.emb
}

// labelings are k-means partitions (one restart each) of the embedding
// for k = 5..15, the 11 clusterings of one embedding in the sweep's grid.
func (in *inputs) labelings(tb testing.TB) [][]int {
	if in.parts == nil {
		emb := in.embedding(tb)
		for k := 5; k <= 15; k++ {
			r, err := kmeans.Fit(emb, 5, kmeans.Options{K: k, NInit: 1}, rand.New(rand.NewPCG(5, uint64(k))))
			if err != nil {
				tb.Fatal(err)
			}
			in.parts = append(in.parts, r.Labels)
		}
	}
	return in.parts
}
