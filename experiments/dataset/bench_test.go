package dataset

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// BenchmarkLoadGzip loads the FER2013 file named by FER2013_CSV as stored
// (gzip).
func BenchmarkLoadGzip(b *testing.B) {
	path := os.Getenv("FER2013_CSV")
	if path == "" {
		b.Skip("FER2013_CSV not set")
	}
	benchLoad(b, path)
}

// BenchmarkLoadCSV loads the FER2013 file named by FER2013_CSV after
// decompressing it to a temporary file outside the timer.
func BenchmarkLoadCSV(b *testing.B) {
	path := os.Getenv("FER2013_CSV")
	if path == "" {
		b.Skip("FER2013_CSV not set")
	}
	plain := filepath.Join(b.TempDir(), "fer2013.csv")
	if err := gunzipFile(path, plain); err != nil {
		b.Fatal(err)
	}
	benchLoad(b, plain)
}

// BenchmarkGunzipOnly decompresses the file named by FER2013_CSV with
// klauspost/compress/gzip, the decompressor of Read, alone, discarding the
// output: the floor for BenchmarkLoadGzip, measured under the same
// conditions.
func BenchmarkGunzipOnly(b *testing.B) {
	benchGunzip(b, func(raw []byte) (io.Reader, error) { return kgzip.NewReader(bytes.NewReader(raw)) })
}

// benchGunzip reads the file named by FER2013_CSV into memory and times
// reading to the end what open makes of its bytes.
func benchGunzip(b *testing.B, open func([]byte) (io.Reader, error)) {
	path := os.Getenv("FER2013_CSV")
	if path == "" {
		b.Skip("FER2013_CSV not set")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		zr, err := open(raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
}

func benchLoad(b *testing.B, path string) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

// gunzipFile decompresses the gzip file src to the new file dst, or copies
// it if it is not compressed.
func gunzipFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var r io.Reader = in
	var head [2]byte
	if _, err := io.ReadFull(in, head[:]); err != nil {
		return err
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if head == [2]byte{0x1f, 0x8b} {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return err
		}
		r = zr
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, r)
	return err
}

// BenchmarkParse reads a generated in-memory CSV of 2000 48x48 images.
func BenchmarkParse(b *testing.B) {
	data := genCSV(rand.New(rand.NewPCG(1, 2)), 2000, 48)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), "bench.csv"); err != nil {
			b.Fatal(err)
		}
	}
}

// genCSV returns a FER2013-layout CSV of n random side x side images.
func genCSV(rnd *rand.Rand, n, side int) []byte {
	var buf bytes.Buffer
	buf.WriteString("emotion,pixels,Usage\n")
	for range n {
		buf.WriteString(strconv.Itoa(rnd.IntN(7)))
		buf.WriteByte(',')
		for j := range side * side {
			if j > 0 {
				buf.WriteByte(' ')
			}
			buf.WriteString(strconv.Itoa(rnd.IntN(256)))
		}
		buf.WriteByte(',')
		buf.WriteString(Usage(rnd.IntN(3)).String())
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// BenchmarkParsePixels2304 parses the pixels field of a generated 48x48
// row.
func BenchmarkParsePixels2304(b *testing.B) {
	rnd := rand.New(rand.NewPCG(5, 6))
	field := []byte(pix(2304, func(int) int { return rnd.IntN(256) }))
	dst := make([]uint8, 2304)
	b.SetBytes(int64(len(field)))
	b.ReportAllocs()
	for b.Loop() {
		if n, err := parsePixels(field, dst, false); err != nil || n != len(dst) {
			b.Fatal(n, err)
		}
	}
}
