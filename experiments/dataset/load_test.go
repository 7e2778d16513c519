package dataset

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadGzip loads gzip files from disk and compares with Read on the
// same bytes in memory: the same data set and digest, or the same error,
// which names the file. The cases are those of every kind of gzip damage,
// and files too short to hold a gzip header and trailer.
func TestLoadGzip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	text := genCSV(rnd, 400, 16) // about 400 KB, several deflate blocks
	good := gz(t, text)
	bad := bytes.Replace(text, []byte(",Training\n"), []byte(",Trainin\n"), 1)
	if bytes.Equal(bad, text) {
		t.Fatal("fixture has no Training row to spoil")
	}
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 0x40
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"good", good},
		{"two members", append(append([]byte(nil), good...), gz(t, genCSV(rnd, 3, 16)[len("emotion,pixels,Usage\n"):])...)},
		{"bad row", gz(t, bad)},
		{"flipped bit", flipped},
		{"truncated", good[:len(good)*2/3]},
		{"bad trailer", append(append([]byte(nil), good[:len(good)-4]...), 1, 2, 3, 4)},
		{"magic only", []byte{0x1f, 0x8b}},
		{"short header", []byte{0x1f, 0x8b, 8, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "data.csv.gz")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			want, werr := read(bytes.NewReader(tc.data), path, defaultChunk)
			got, err := load(path, limit{})
			if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
				t.Fatalf("error %v, want %v", err, werr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), path) {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if d := diffDatasets(got, want); d != "" {
				t.Fatal(d)
			}
			if got.SHA256 != want.SHA256 {
				t.Fatalf("SHA256 %s, want %s", got.SHA256, want.SHA256)
			}
		})
	}
}
