package plot

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var sampleDir = flag.String("samples", "", "write sample pictures to this directory for viewing")

// TestSamples writes one sample of each picture to -samples, for looking at.
func TestSamples(t *testing.T) {
	if *sampleDir == "" {
		t.Skip("no -samples directory")
	}
	for name, draw := range samplePictures() {
		var buf bytes.Buffer
		if err := draw(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(*sampleDir, name+".png"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
