package plot_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"
	"math"
	"os"

	"sweep/report/plot"
)

func ExampleHeatmapPNG() {
	h := plot.Heatmap{
		Title:  "mean silhouette",
		XLabel: "clusters",
		YLabel: "components",
		XTicks: []string{"5", "6", "7"},
		YTicks: []string{"2", "3"},
		Values: [][]float64{
			{0.41, 0.38, 0.35},
			{0.33, 0.30, math.NaN()}, // NaN: not computed.
		},
		Min:  0,
		Max:  0.5,
		Mark: [][2]int{{0, 0}}, // The best cell.
	}
	var buf bytes.Buffer
	if err := plot.HeatmapPNG(&buf, h); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Dx(), "x", img.Bounds().Dy())
	// Output:
	// 960 x 540
}

func ExampleMarkdownTable() {
	err := plot.MarkdownTable(os.Stdout,
		[]string{"reducer", "clusters", "silhouette"},
		[][]string{
			{"pca", "5", "0.412"},
			{"truncated svd", "12", "0.287"},
		})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// | reducer       | clusters | silhouette |
	// | ------------- | -------: | ---------: |
	// | pca           |        5 |      0.412 |
	// | truncated svd |       12 |      0.287 |
}

func ExampleMontagePNG() {
	// A 4x4 image, bright in its top-left corner, enlarged 8 times.
	face := make([]float32, 4*4)
	face[0] = 255
	m := plot.Montage{
		Side:  4,
		Scale: 8,
		Rows:  []plot.MontageRow{{Images: [][]float32{face, face, face}}},
	}
	var buf bytes.Buffer
	if err := plot.MontagePNG(&buf, m); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	// 8 + 3*32 + 2*4 + 8 = 120 wide, 8 + 32 + 8 = 48 high.
	fmt.Println(img.Bounds().Dx(), "x", img.Bounds().Dy())
	// Output:
	// 120 x 48
}
