package dataset_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"sweep/experiments/dataset"
)

// An image folder with one subfolder per label: a 2x2 image is kept as is;
// a 4x4 one is resized to 2x2, its alternating columns of 200 and 201
// averaged (200.5, rounded to 201).
func ExampleOpen() {
	root, err := os.MkdirTemp("", "faces")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	write := func(rel string, side int, grey uint8) {
		m := image.NewGray(image.Rect(0, 0, side, side))
		for i := range m.Pix {
			m.Pix[i] = grey + uint8(i%2)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, m); err != nil {
			log.Fatal(err)
		}
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	write("sad/b.png", 2, 10)
	write("happy/a.png", 4, 200)

	d, err := dataset.Open(dataset.Source{Path: root, Size: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("rows:", d.N(), "side:", d.Side, "labels:", d.LabelNames)
	for i := range d.N() {
		rel, _ := filepath.Rel(root, d.Paths[i])
		fmt.Println(filepath.ToSlash(rel), d.Labels[i], d.Row(i))
	}
	// Output:
	// rows: 2 side: 2 labels: [happy sad]
	// happy/a.png 0 [201 201 201 201]
	// sad/b.png 1 [10 11 10 11]
}
