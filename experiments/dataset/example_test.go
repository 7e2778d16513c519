package dataset_test

import (
	"fmt"
	"log"
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
