package plot

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

// errWriter fails every write.
type errWriter struct{}

var errWrite = errors.New("disk full")

func (errWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestPNGErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		draw func(io.Writer) error
		want string // in the error message
	}{
		{"heatmap empty scale", func(w io.Writer) error {
			return HeatmapPNG(w, Heatmap{Values: [][]float64{{1}}, Min: 1, Max: 1})
		}, "is empty"},
		{"heatmap reversed scale", func(w io.Writer) error {
			return HeatmapPNG(w, Heatmap{Values: [][]float64{{1}}, Min: 1, Max: 0})
		}, "is empty"},
		{"heatmap NaN scale", func(w io.Writer) error {
			return HeatmapPNG(w, Heatmap{Values: [][]float64{{1}}, Min: nan, Max: 1})
		}, "not finite"},
		{"heatmap zero diverging scale", func(w io.Writer) error {
			return HeatmapPNG(w, Heatmap{Values: [][]float64{{0}}, Diverging: true})
		}, "is empty"},
		{"line NaN", func(w io.Writer) error {
			return LinePlotPNG(w, LinePlot{Series: []Series{{Name: "s", X: []float64{1, 2}, Y: []float64{1, nan}}}})
		}, `series "s": y[1] is NaN`},
		{"line Inf err", func(w io.Writer) error {
			return LinePlotPNG(w, LinePlot{Series: []Series{{Name: "s", X: []float64{1}, Y: []float64{1}, Err: []float64{inf}}}})
		}, "err[0] is +Inf"},
		{"hline NaN", func(w io.Writer) error {
			return LinePlotPNG(w, LinePlot{HLines: []HLine{{Name: "base", Y: nan}}})
		}, `reference line "base"`},
		{"scatter NaN", func(w io.Writer) error {
			s := Scatter{X: []float64{nan}, Y: []float64{0}, Group: []int{0}}
			return ScatterPairPNG(w, s, Scatter{}, 200, 100)
		}, "x[0] is NaN"},
		{"silhouette NaN", func(w io.Writer) error {
			return SilhouettePlotPNG(w, SilhouettePlot{Values: []float64{0.1, nan}, Labels: []int{0, 1}})
		}, "value[1] is NaN"},
		{"silhouette NaN mean", func(w io.Writer) error {
			return SilhouettePlotPNG(w, SilhouettePlot{Values: []float64{0.1}, Labels: []int{0}, Mean: nan})
		}, "mean is NaN"},
		{"bars Inf", func(w io.Writer) error {
			return BarsPNG(w, Bars{Categories: []string{"a"}, Groups: []string{"g"}, Values: [][]float64{{inf}}})
		}, "values[0][0] is +Inf"},
		{"write error", func(io.Writer) error {
			return BarsPNG(errWriter{}, sampleBars())
		}, "disk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.draw(&bytes.Buffer{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestPNGPanics(t *testing.T) {
	var w bytes.Buffer
	img := make([]float32, 4)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"heatmap empty", func() { _ = HeatmapPNG(&w, Heatmap{Max: 1}) }},
		{"heatmap ragged", func() { _ = HeatmapPNG(&w, Heatmap{Values: [][]float64{{1, 2}, {1}}, Max: 1}) }},
		{"heatmap ticks", func() { _ = HeatmapPNG(&w, Heatmap{Values: [][]float64{{1}}, XTicks: []string{"a", "b"}, Max: 1}) }},
		{"heatmap text", func() { _ = HeatmapPNG(&w, Heatmap{Values: [][]float64{{1}}, Text: [][]string{{"a", "b"}}, Max: 1}) }},
		{"heatmap mark", func() { _ = HeatmapPNG(&w, Heatmap{Values: [][]float64{{1}}, Mark: [][2]int{{0, 1}}, Max: 1}) }},
		{"negative size", func() { _ = HeatmapPNG(&w, Heatmap{Values: [][]float64{{1}}, Max: 1, Width: -1}) }},
		{"series lengths", func() { _ = LinePlotPNG(&w, LinePlot{Series: []Series{{X: []float64{1}}}}) }},
		{"series err", func() {
			_ = LinePlotPNG(&w, LinePlot{Series: []Series{{X: []float64{1}, Y: []float64{1}, Err: []float64{}}}})
		}},
		{"montage side", func() { _ = MontagePNG(&w, Montage{Rows: []MontageRow{{}}}) }},
		{"montage scale", func() { _ = MontagePNG(&w, Montage{Side: 2, Scale: -1, Rows: []MontageRow{{}}}) }},
		{"montage rows", func() { _ = MontagePNG(&w, Montage{Side: 2}) }},
		{"montage pixels", func() { _ = MontagePNG(&w, Montage{Side: 3, Rows: []MontageRow{{Images: [][]float32{img}}}}) }},
		{"scatter lengths", func() { _ = ScatterPairPNG(&w, Scatter{X: []float64{1}}, Scatter{}, 0, 0) }},
		{"scatter centres", func() { _ = ScatterPairPNG(&w, Scatter{}, Scatter{CX: []float64{1}}, 0, 0) }},
		{"scatter negative group", func() {
			_ = ScatterPairPNG(&w, Scatter{X: []float64{1}, Y: []float64{1}, Group: []int{-1}}, Scatter{}, 0, 0)
		}},
		{"scatter unnamed group", func() {
			_ = ScatterPairPNG(&w, Scatter{X: []float64{1}, Y: []float64{1}, Group: []int{1}, GroupNames: []string{"a"}}, Scatter{}, 0, 0)
		}},
		{"silhouette lengths", func() { _ = SilhouettePlotPNG(&w, SilhouettePlot{Values: []float64{1}}) }},
		{"silhouette label", func() { _ = SilhouettePlotPNG(&w, SilhouettePlot{Values: []float64{1}, Labels: []int{-1}}) }},
		{"bars no categories", func() { _ = BarsPNG(&w, Bars{}) }},
		{"bars groups", func() { _ = BarsPNG(&w, Bars{Categories: []string{"a"}, Groups: []string{"g"}}) }},
		{"bars values", func() {
			_ = BarsPNG(&w, Bars{Categories: []string{"a"}, Groups: []string{"g"}, Values: [][]float64{{1, 2}}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { mustPanic(t, tc.f) })
	}
}
