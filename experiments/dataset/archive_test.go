package dataset

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarOf is a tar archive of the named files, in order.
func tarOf(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipOf is a zip archive of the named files, in order.
func zipOf(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestArchive reads the CSV from a .zip, .tar and .tar.gz built here, as
// Kaggle ships FER2013 (fer2013.tar.gz inside a zip): the only CSV
// member, or the member named after '#'. Every one gives the rows and the
// SHA-256 of the CSV itself.
func TestArchive(t *testing.T) {
	csv := string(lines(header, "0,"+pix(4, ramp)+",Training", "3,"+pix(4, ramp)+",PublicTest"))
	want, err := Read(strings.NewReader(csv), "fer2013.csv")
	if err != nil {
		t.Fatal(err)
	}
	tgz := string(gz(t, tarOf(t, [2]string{"fer2013/README", "notes"}, [2]string{"fer2013/fer2013.csv", csv})))
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	kaggle := write("kaggle.zip", zipOf(t, [2]string{"fer2013.tar.gz", tgz}, [2]string{"README.txt", "hi"}))
	two := write("two.zip", zipOf(t, [2]string{"train.csv", csv}, [2]string{"test.csv", csv}))
	for _, tc := range []struct{ name, path string }{
		{"zip", write("a.zip", zipOf(t, [2]string{"notes.txt", "x"}, [2]string{"fer2013.csv", csv}))},
		{"tar", write("a.tar", tarOf(t, [2]string{"fer2013/fer2013.csv", csv}))},
		{"tar.gz", write("a.tar.gz", []byte(tgz))},
		{"zip holding tar.gz", kaggle},
		{"zip#member", two + "#test.csv"},
		{"nested members", kaggle + "#fer2013.tar.gz#fer2013/fer2013.csv"},
		{"member by base name", write("b.tar", tarOf(t, [2]string{"d/x.csv", csv}, [2]string{"d/y.csv", csv})) + "#y.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(Source{Path: tc.path})
			if err != nil {
				t.Fatal(err)
			}
			if d.N() != want.N() || d.SHA256 != want.SHA256 || !slicesEqual(d.Pixels, want.Pixels) || d.Name != tc.path {
				t.Errorf("%d rows, sha %s, name %s; want %d, %s, %s", d.N(), d.SHA256, d.Name, want.N(), want.SHA256, tc.path)
			}
		})
	}
	for _, tc := range []struct{ name, path, want string }{
		{"two CSVs", two, "open " + two + ": 2 CSV files in the archive (train.csv, test.csv); name one as " + two + "#train.csv"},
		{"no such member", two + "#fer.csv", "open " + two + ": no member fer.csv in the archive (CSV files: train.csv, test.csv)"},
		{"no CSV", write("n.zip", zipOf(t, [2]string{"a.txt", "x"})), "open " + filepath.Join(dir, "n.zip") + ": no CSV file in the archive (members: a.txt)"},
		{"member of a CSV", write("p.csv", []byte(csv)) + "#x.csv", "open " + filepath.Join(dir, "p.csv") + ": not a zip or tar archive, so it has no member x.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(Source{Path: tc.path})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n  %v\nwant\n  %s", err, tc.want)
			}
		})
	}
}

// TestBinaryNotCSV: binary input read as CSV says what it looks like.
func TestBinaryNotCSV(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "this looks like a PNG image, not a CSV file (an image folder is read as a folder: pass its directory)"},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "this looks like a JPEG image, not a CSV file (an image folder is read as a folder: pass its directory)"},
		{"pdf", []byte("%PDF-1.7\n"), "this looks like a PDF document, not a CSV file"},
		{"gzip of png", gz(t, []byte("\x89PNG\r\n\x1a\n\x00\x00")), "this looks like a PNG image, not a CSV file (an image folder is read as a folder: pass its directory)"},
		{"bzip2", []byte("BZh91AY&SY"), "this is a bzip2 file; decompress it (bunzip2) or recompress it with gzip"},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), "this is a 7-Zip archive; extract the CSV file (7z x) or repack it as zip or tar.gz"},
		{"binary", []byte("emotion\x00\x01\x02\x03"), "this is binary data, not a CSV file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(Source{Path: p, Format: FormatCSV})
			if want := p + ":1: " + tc.want; err == nil || err.Error() != want {
				t.Errorf("error\n  %v\nwant\n  %s", err, want)
			}
		})
	}
}

func slicesEqual(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
