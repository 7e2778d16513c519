package dataset_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"sweep/experiments/dataset"
)

func ExampleRead() {
	const data = `emotion,pixels,Usage
3,0 64 128 255,Training
0,"10 20 30 40",PrivateTest
`
	d, err := dataset.Read(strings.NewReader(data), "tiny.csv")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("rows:", d.N(), "side:", d.Side)
	for i := range d.N() {
		fmt.Println(d.Line[i], d.Labels[i], d.Usage[i], d.Row(i))
	}

	_, err = dataset.Read(strings.NewReader("pixels\n1 2 3\n"), "bad.csv")
	fmt.Println(err)
	// Output:
	// rows: 2 side: 2
	// 2 3 Training [0 64 128 255]
	// 3 0 PrivateTest [10 20 30 40]
	// bad.csv:2: pixels: 3 values is not a perfect square
}

func ExampleLoad() {
	// Gzip input is recognised by its content, whatever the file name.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte("pixels,emotion\n1 2 3 4 5 6 7 8 9,4\n")); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "dataset")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "faces.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}

	d, err := dataset.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.N(), d.Side, d.Labels, d.Usage, d.HasLabels)
	// Output:
	// 1 3 [4] [Training] true
}

func ExampleParseUsage() {
	u, err := dataset.ParseUsage("PublicTest")
	fmt.Println(u, err)
	_, err = dataset.ParseUsage("Validation")
	fmt.Println(err)
	// Output:
	// PublicTest <nil>
	// parse usage: unknown value "Validation" (want Training, PublicTest or PrivateTest)
}
