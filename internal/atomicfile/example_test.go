package atomicfile_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"sweep/internal/atomicfile"
)

func ExampleWrite() {
	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "summary.txt")

	// The file appears only once fn has succeeded and the data is synced.
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "best: 2 components, 5 clusters")
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	// A failing fn leaves the previous file in place.
	err = atomicfile.Write(path, func(w io.Writer) error {
		return fmt.Errorf("sweep interrupted")
	})
	fmt.Println(err != nil)

	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(b))
	// Output:
	// true
	// best: 2 components, 5 clusters
}
