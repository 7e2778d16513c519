package plot

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sweep/internal/atomicfile"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(got); return err }); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update to accept):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// sampleTable has awkward cells: a comma, quotes, a pipe, a line break,
// non-ASCII text, an empty cell and a numeric column with NaN.
var (
	sampleHeader = []string{"reducer", "components", "clusters", "silhouette", "note"}
	sampleRows   = [][]string{
		{"pca", "2", "5", "0.4123", "best"},
		{"svd", "3", "12", "-0.0100", `says "hi", twice`},
		{"pca", "5", "15", "NaN", "a|b"},
		{"svd", "4", "7", "", "line\nbreak"},
		{"pca", "2", "10", "1e-3", "émotion"},
		{"svd", "3", "6", "+Inf", `back\slash\|`},
	}
)

func TestWriteCSVGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "table.csv")
	if err := WriteCSV(path, sampleHeader, sampleRows); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got, []byte("\r\n")) {
		t.Error("CSV has CRLF line ends")
	}
	golden(t, "table.csv.golden", got)
}

func TestMarkdownTableGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		rows   [][]string
	}{
		{"table.md.golden", sampleHeader, sampleRows},
		{"table_header_only.md.golden", []string{"a", "long header"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := MarkdownTable(&buf, tc.header, tc.rows); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, buf.Bytes())
		})
	}
}

func TestTablePanics(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		rows   [][]string
	}{
		{"no header", nil, nil},
		{"short row", []string{"a", "b"}, [][]string{{"1"}}},
		{"long row", []string{"a"}, [][]string{{"1", "2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustPanic(t, func() { _ = MarkdownTable(&bytes.Buffer{}, tc.header, tc.rows) }) // Panics; no error.
			mustPanic(t, func() { _ = WriteCSV(filepath.Join(t.TempDir(), "x.csv"), tc.header, tc.rows) })
		})
	}
}

// mustPanic checks that f panics with a "report: " message.
func mustPanic(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Error("no panic")
			return
		}
		if s, ok := r.(string); !ok || !strings.HasPrefix(s, "report: ") {
			t.Errorf("panic %v, want a string starting with \"report: \"", r)
		}
	}()
	f()
}

// checkMarkdown checks the shape of a MarkdownTable output: len(rows)+2
// lines, each with ncol+1 unescaped pipes, all of the same rune length.
func checkMarkdown(t *testing.T, out string, ncol, nrow int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !strings.HasSuffix(out, "\n") || len(lines) != nrow+2 {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), nrow+2, out)
	}
	width := utf8.RuneCountInString(lines[0])
	for i, l := range lines {
		// Like GitHub's parser: a backslash escapes the next byte.
		pipes := 0
		for j := 0; j < len(l); j++ {
			switch l[j] {
			case '\\':
				j++
			case '|':
				pipes++
			}
		}
		if pipes != ncol+1 {
			t.Errorf("line %d has %d column separators, want %d: %q", i, pipes, ncol+1, l)
		}
		if n := utf8.RuneCountInString(l); n != width {
			t.Errorf("line %d is %d runes wide, line 0 %d: %q", i, n, width, l)
		}
	}
}

func TestMarkdownTableShape(t *testing.T) {
	var buf bytes.Buffer
	if err := MarkdownTable(&buf, sampleHeader, sampleRows); err != nil {
		t.Fatal(err)
	}
	checkMarkdown(t, buf.String(), len(sampleHeader), len(sampleRows))
}

func FuzzMarkdownTable(f *testing.F) {
	f.Add("a", "b", "1", "x|y")
	f.Add("", "\\", "\r\n", "é|")
	f.Fuzz(func(t *testing.T, h0, h1, c0, c1 string) {
		if !utf8.ValidString(h0 + h1 + c0 + c1) {
			t.Skip("padding counts runes of valid UTF-8")
		}
		var buf bytes.Buffer
		if err := MarkdownTable(&buf, []string{h0, h1}, [][]string{{c0, c1}, {c1, c0}}); err != nil {
			t.Fatal(err)
		}
		checkMarkdown(t, buf.String(), 2, 2)
	})
}

func TestWriteCSVError(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(parent, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(parent, "table.csv")
	err := WriteCSV(path, sampleHeader, sampleRows)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want one naming %s", err, path)
	}
}
