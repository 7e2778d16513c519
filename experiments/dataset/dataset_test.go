package dataset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pix returns n space-separated grey levels, value(j) for pixel j.
func pix(n int, value func(j int) int) string {
	var b strings.Builder
	for j := range n {
		if j > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(value(j)))
	}
	return b.String()
}

// ramp is a pixel value function: pixel j has value j mod 256.
func ramp(j int) int { return j % 256 }

// lines joins lines with LF and ends the text with LF.
func lines(ls ...string) []byte {
	return []byte(strings.Join(ls, "\n") + "\n")
}

// repeat returns n copies of s.
func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// gz returns data gzip-compressed.
func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const header = "emotion,pixels,Usage"

func TestReadErrors(t *testing.T) {
	row16 := "0," + pix(16, ramp) + ",Training"     // a good 4x4 row
	row2304 := "3," + pix(2304, ramp) + ",Training" // a good 48x48 row
	row4 := "0,1 2 3 4,Training"                    // a good 2x2 row
	bad17 := "0," + pix(16, func(j int) int {
		if j == 12 {
			return 256
		}
		return j
	}) + ",Training"
	valid := lines(header, row4, row4)
	gzValid := gz(t, valid)
	badSum := slices.Clone(gzValid)
	badSum[len(badSum)-8] ^= 0xff // the CRC-32 of the gzip trailer (RFC 1952)

	tests := []struct {
		name string
		file string
		data []byte
		want string
	}{
		// The messages given in the specification of the package.
		{"out of range", "fer.csv", lines(append(append([]string{header}, repeat(row16, 15)...), bad17)...),
			"fer.csv:17: pixels: value 256 out of range 0..255 (pixel 12)"},
		{"label not integer", "fer.csv", lines(header, row16, "x,"+pix(16, ramp)+",Training"),
			`fer.csv:3: emotion: "x" is not an integer`},
		{"short row", "fer.csv", lines(append(append([]string{header}, repeat(row2304, 7)...), "3,"+pix(2303, ramp)+",Training")...),
			"fer.csv:9: pixels: 2303 values, want 2304 (as line 2)"},
		{"not square", "fer.csv", lines(header, "0,"+pix(2300, ramp)+",Training"),
			"fer.csv:2: pixels: 2300 values is not a perfect square"},
		{"unknown usage", "fer.csv", lines(header, row4, row4, row4, "0,1 2 3 4,Test"),
			`fer.csv:5: Usage: unknown value "Test" (want Training, PublicTest or PrivateTest)`},
		{"missing pixels", "fer.csv", lines("emotion,Usage", "0,Training"),
			`fer.csv:1: header: missing column "pixels"`},
		{"empty", "fer.csv", nil, "fer.csv: empty file"},
		{"no rows", "fer.csv", lines(header), "fer.csv: no data rows"},
		{"too many fields", "fer.csv", lines(header, row4, row4, row4+",x"), "fer.csv:4: 4 fields, want 3"},
		{"truncated gzip", "fer.csv.gz", gzValid[:len(gzValid)-10], "fer.csv.gz: gzip: unexpected EOF"},

		// Pixels.
		{"fraction", "fer.csv", lines(header, "0,1 3.5 3 4,Training"), `fer.csv:2: pixels: "3.5" is not an integer (pixel 1)`},
		{"negative", "fer.csv", lines(header, "0,-1 2 3 4,Training"), "fer.csv:2: pixels: value -1 out of range 0..255 (pixel 0)"},
		{"text", "fer.csv", lines(header, "0,1 2 abc 4,Training"), `fer.csv:2: pixels: "abc" is not an integer (pixel 2)`},
		{"four digits", "fer.csv", lines(header, "0,1 2 3 1000,Training"), "fer.csv:2: pixels: value 1000 out of range 0..255 (pixel 3)"},
		{"long number", "fer.csv", lines(header, "0,1 2 3 "+strings.Repeat("9", 50)+",Training"),
			"fer.csv:2: pixels: value " + strings.Repeat("9", 40) + "... out of range 0..255 (pixel 3)"},
		{"tab", "fer.csv", lines(header, "0,1\t2 3 4,Training"), `fer.csv:2: pixels: "1\t2" is not an integer (pixel 0)`},
		{"plus", "fer.csv", lines(header, "0,1 +2 3 4,Training"), `fer.csv:2: pixels: "+2" is not an integer (pixel 1)`},
		{"no values", "fer.csv", lines(header, "0,  ,Training"), "fer.csv:2: pixels: no values"},
		{"long row", "fer.csv", lines(header, row4, "0,1 2 3 4 5,Training"), "fer.csv:3: pixels: 5 values, want 4 (as line 2)"},
		{"empty row", "fer.csv", lines(header, row4, "0,,Training"), "fer.csv:3: pixels: 0 values, want 4 (as line 2)"},
		{"first row later", "fer.csv", lines(header, "", "", row4, "0,1,Training"), "fer.csv:5: pixels: 1 values, want 4 (as line 4)"},

		// Labels and usage.
		{"label too big", "fer.csv", lines(header, "1000,1 2 3 4,Training"), "fer.csv:2: emotion: value 1000 out of range 0..999"},
		{"label negative", "fer.csv", lines(header, "-1,1 2 3 4,Training"), "fer.csv:2: emotion: value -1 out of range 0..999"},
		{"label empty", "fer.csv", lines(header, ",1 2 3 4,Training"), `fer.csv:2: emotion: "" is not an integer`},
		{"label fraction", "fer.csv", lines(header, "1.0,1 2 3 4,Training"), `fer.csv:2: emotion: "1.0" is not an integer`},
		{"usage case", "fer.csv", lines(header, "0,1 2 3 4,training"),
			`fer.csv:2: Usage: unknown value "training" (want Training, PublicTest or PrivateTest)`},

		// Header.
		{"unknown column", "fer.csv", lines("emotion,pixels,label", row4),
			`fer.csv:1: header: unknown column "label" (want emotion, pixels or Usage)`},
		{"duplicate column", "fer.csv", lines("pixels,emotion,pixels", row4), `fer.csv:1: header: duplicate column "pixels"`},
		{"only blank lines", "fer.csv", []byte("\n\r\n\n"), "fer.csv: empty file"},
		{"header after blank lines", "fer.csv", lines("", "emotion,Usage"), `fer.csv:2: header: missing column "pixels"`},

		// Fields and quoting.
		{"too few fields", "fer.csv", lines(header, "0,1 2 3 4"), "fer.csv:2: 2 fields, want 3"},
		{"bare quote", "fer.csv", lines(header, `0,1 2" 3 4,Training`), `fer.csv:2: pixels: bare " in non-quoted field`},
		{"bare quote label", "fer.csv", lines(header, `"0"0,1 2 3 4,Training`), `fer.csv:2: emotion: extraneous or missing " in quoted field`},
		{"unclosed quote", "fer.csv", lines(header, `0,"1 2 3 4,Training`), `fer.csv:2: pixels: extraneous or missing " in quoted field`},
		{"quote across lines", "fer.csv", lines(header, `0,"1 2`, `3 4",Training`), `fer.csv:2: pixels: extraneous or missing " in quoted field`},
		{"text after quote", "fer.csv", lines(header, `0,1 2 3 4,"Training"x`), `fer.csv:2: Usage: extraneous or missing " in quoted field`},
		{"escaped quote", "fer.csv", lines(header, `0,"1 2 "" 4",Training`), `fer.csv:2: pixels: "\"" is not an integer (pixel 2)`},
		{"extra quoted field", "fer.csv", lines(header, `0,1 2 3 4,Training,"x`), `fer.csv:2: field 4: extraneous or missing " in quoted field`},
		{"crlf and blank lines", "fer.csv", []byte(header + "\r\n\r\n" + row4 + "\r\n\r\nx,1 2 3 4,Training\r\n"),
			`fer.csv:5: emotion: "x" is not an integer`},
		{"first bad line wins", "fer.csv", lines(header, row4, "0,1 2 3,Training", "0,1 2 3 4,Test"),
			"fer.csv:3: pixels: 3 values, want 4 (as line 2)"},

		// Gzip.
		{"gzip empty", "fer.csv.gz", gz(t, nil), "fer.csv.gz: empty file"},
		{"gzip bad row", "fer.csv.gz", gz(t, lines(header, row4, "0,1 2 3 4,Test")),
			`fer.csv.gz:3: Usage: unknown value "Test" (want Training, PublicTest or PrivateTest)`},
		{"gzip checksum", "fer.csv.gz", badSum, "fer.csv.gz: gzip: invalid checksum"},
		{"gzip trailing garbage", "fer.csv.gz", append(slices.Clone(gzValid), "this is not gzip"...), "fer.csv.gz: gzip: invalid header"},
		{"gzip header only", "fer.csv.gz", gzValid[:2], "fer.csv.gz: gzip: unexpected EOF"},
		{"gzip bad row before truncation", "fer.csv.gz", func() []byte {
			z := gz(t, lines(append([]string{header, "0,1 2 3,Training"}, repeat(row2304, 100)...)...))
			return z[:len(z)/2]
		}(), "fer.csv.gz:2: pixels: 3 values is not a perfect square"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{1, 7, 100, defaultChunk} {
				_, err := read(bytes.NewReader(tt.data), tt.file, chunk)
				if err == nil {
					t.Fatalf("chunk %d: no error, want %q", chunk, tt.want)
				}
				if err.Error() != tt.want {
					t.Fatalf("chunk %d: error\n%q, want\n%q", chunk, err, tt.want)
				}
			}
		})
	}
}

func TestReadErrorWrapping(t *testing.T) {
	valid := lines(header, "0,1 2 3 4,Training", "1,5 6 7 8,PublicTest")
	z := gz(t, valid)
	_, err := Read(bytes.NewReader(z[:len(z)-3]), "fer.csv.gz")
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated gzip: error %v does not wrap io.ErrUnexpectedEOF", err)
	}
	boom := errors.New("boom")
	tests := []struct {
		name string
		data []byte
		n    int // bytes read before the error
		want string
	}{
		{"plain at start", valid, 0, "read fer.csv: boom"},
		{"plain in header", valid, 1, "read fer.csv: boom"},
		{"plain later", valid, len(valid) - 5, "read fer.csv: boom"},
		{"gzip", z, len(z) / 2, "read fer.csv: boom"},
		{"bad row before read error", lines(header, "x,1 2 3 4,Training", "0,1 2 3 4,Training"), 40,
			`fer.csv:2: emotion: "x" is not an integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := io.MultiReader(bytes.NewReader(tt.data[:tt.n]), iotestErr{boom})
			_, err := Read(r, "fer.csv")
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if strings.HasPrefix(tt.want, "read") && !errors.Is(err, boom) {
				t.Errorf("error %v does not wrap the reader's error", err)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: error %v, want one wrapping os.ErrNotExist", err)
	}
}

// iotestErr is a reader that always fails with err.
type iotestErr struct{ err error }

func (r iotestErr) Read([]byte) (int, error) { return 0, r.err }

func TestReadLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	t.Run("pixels", func(t *testing.T) {
		row := "0," + strings.Repeat("0 ", maxPixels) + "0,Training"
		_, err := Read(bytes.NewReader(lines(header, row)), "fer.csv")
		want := fmt.Sprintf("fer.csv:2: pixels: more than %d values", maxPixels)
		if err == nil || err.Error() != want {
			t.Fatalf("error %v, want %q", err, want)
		}
	})
	t.Run("line", func(t *testing.T) {
		r := io.MultiReader(bytes.NewReader(lines(header, "0,1 2 3 4,Training")),
			io.LimitReader(repeatReader(' '), maxLine+10))
		_, err := Read(r, "fer.csv")
		want := fmt.Sprintf("fer.csv:3: line longer than %d bytes", maxLine)
		if err == nil || err.Error() != want {
			t.Fatalf("error %v, want %q", err, want)
		}
	})
	t.Run("square limit", func(t *testing.T) {
		// 2048*2048 == maxPixels is allowed.
		row := "0," + strings.Repeat("7 ", maxPixels) + ",Training"
		d, err := Read(bytes.NewReader(lines(header, row)), "fer.csv")
		if err != nil {
			t.Fatal(err)
		}
		if d.Side != 2048 || d.Dim != maxPixels {
			t.Fatalf("Side, Dim = %d, %d, want 2048, %d", d.Side, d.Dim, maxPixels)
		}
	})
}

// repeatReader yields the byte c forever.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// small is a 3x3 data set in several layouts; want is what all of them
// hold.
var smallRows = []struct {
	label int
	usage Usage
	pix   []int
}{
	{0, Training, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}},
	{6, PublicTest, []int{255, 254, 253, 10, 20, 30, 100, 200, 99}},
	{3, PrivateTest, []int{9, 99, 199, 0, 0, 0, 7, 77, 177}},
	{999, Training, []int{1, 10, 100, 2, 20, 200, 3, 30, 255}},
}

// smallCSV writes the small data set with the given columns, line end and
// field formatter.
func smallCSV(cols []string, eol string, last bool, field func(col, s string) string) []byte {
	var b strings.Builder
	b.WriteString(strings.Join(cols, ",") + eol)
	for i, r := range smallRows {
		var fs []string
		for _, c := range cols {
			var s string
			switch c {
			case "emotion":
				s = strconv.Itoa(r.label)
			case "Usage":
				s = r.usage.String()
			case "pixels":
				s = pix(len(r.pix), func(j int) int { return r.pix[j] })
			}
			fs = append(fs, field(c, s))
		}
		b.WriteString(strings.Join(fs, ","))
		if last || i < len(smallRows)-1 {
			b.WriteString(eol)
		}
	}
	return []byte(b.String())
}

// wantSmall returns the small data set as read from a file with the given
// columns, rows on lines 2, 3, ....
func wantSmall(name string, hasLabels, hasUsage bool) *Dataset {
	d := &Dataset{Name: name, Side: 3, Dim: 9, HasLabels: hasLabels}
	for i, r := range smallRows {
		for _, v := range r.pix {
			d.Pixels = append(d.Pixels, float32(v))
		}
		l, u := -1, Training
		if hasLabels {
			l = r.label
		}
		if hasUsage {
			u = r.usage
		}
		d.Labels = append(d.Labels, l)
		d.Usage = append(d.Usage, u)
		d.Line = append(d.Line, i+2)
	}
	return d
}

func TestReadLayouts(t *testing.T) {
	all := []string{"emotion", "pixels", "Usage"}
	plain := func(_, s string) string { return s }
	quoted := func(_, s string) string { return `"` + s + `"` }
	spaced := func(c, s string) string {
		if c == "pixels" {
			return "  " + strings.ReplaceAll(s, " ", "   ") + " "
		}
		return " " + s + "  "
	}
	tests := []struct {
		name                string
		data                []byte
		hasLabels, hasUsage bool
	}{
		{"lf", smallCSV(all, "\n", true, plain), true, true},
		{"lf no final newline", smallCSV(all, "\n", false, plain), true, true},
		{"crlf", smallCSV(all, "\r\n", true, plain), true, true},
		{"crlf no final newline", smallCSV(all, "\r\n", false, plain), true, true},
		{"quoted", smallCSV(all, "\n", true, quoted), true, true},
		{"quoted crlf", smallCSV(all, "\r\n", false, quoted), true, true},
		{"spaces", smallCSV(all, "\n", true, spaced), true, true},
		{"bom", append([]byte("\xef\xbb\xbf"), smallCSV(all, "\n", true, plain)...), true, true},
		{"column order", smallCSV([]string{"Usage", "pixels", "emotion"}, "\n", true, plain), true, true},
		{"pixels only", smallCSV([]string{"pixels"}, "\n", true, plain), false, false},
		{"no usage", smallCSV([]string{"emotion", "pixels"}, "\r\n", true, plain), true, false},
		{"no emotion", smallCSV([]string{"pixels", "Usage"}, "\n", false, quoted), false, true},
	}
	for _, tt := range tests {
		want := wantSmall("small.csv", tt.hasLabels, tt.hasUsage)
		for _, z := range []bool{false, true} {
			data := tt.data
			if z {
				data = gz(t, data)
			}
			sum := sha256.Sum256(data)
			want.SHA256 = hex.EncodeToString(sum[:])
			for _, chunk := range []int{1, 5, 64, defaultChunk} {
				t.Run(fmt.Sprintf("%s/gzip=%v/chunk=%d", tt.name, z, chunk), func(t *testing.T) {
					got, err := read(bytes.NewReader(data), "small.csv", chunk)
					if err != nil {
						t.Fatal(err)
					}
					if msg := diffDatasets(got, want); msg != "" {
						t.Fatal(msg)
					}
				})
			}
		}
	}
}

func TestReadBlankLines(t *testing.T) {
	// Blank lines are skipped but counted in Line.
	data := []byte("\n" + header + "\r\n\r\n0,1 2 3 4,Training\n\n\n1,5 6 7 8,PrivateTest\n\n")
	d, err := Read(bytes.NewReader(data), "blank.csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{4, 7}; !slices.Equal(d.Line, want) { // counted by hand in data
		t.Errorf("Line = %v, want %v", d.Line, want)
	}
	checkAgainstRef(t, data, defaultChunk)
}

func TestReadMultistreamGzip(t *testing.T) {
	data := smallCSV([]string{"emotion", "pixels", "Usage"}, "\n", true, func(_, s string) string { return s })
	cut := bytes.IndexByte(data, '\n') + 10 // inside the first row
	z := append(gz(t, data[:cut]), gz(t, data[cut:])...)
	got, err := Read(bytes.NewReader(z), "multi.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	want := wantSmall("multi.csv.gz", true, true)
	sum := sha256.Sum256(z)
	want.SHA256 = hex.EncodeToString(sum[:])
	if msg := diffDatasets(got, want); msg != "" {
		t.Fatal(msg)
	}
}

func TestRead28x28(t *testing.T) {
	const side = 28
	value := func(i, r, c int) int { return (i*7 + r*side + c) % 256 }
	var ls []string
	ls = append(ls, "pixels,emotion")
	for i := range 3 {
		ls = append(ls, pix(side*side, func(j int) int { return value(i, j/side, j%side) })+","+strconv.Itoa(i))
	}
	data := lines(ls...)
	path := filepath.Join(t.TempDir(), "mnist-like.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if d.N() != 3 || d.Side != side || d.Dim != side*side || !d.HasLabels || d.Name != path {
		t.Fatalf("N, Side, Dim, HasLabels, Name = %d, %d, %d, %v, %q", d.N(), d.Side, d.Dim, d.HasLabels, d.Name)
	}
	for i := range d.N() {
		row := d.Row(i)
		for r := range side {
			for c := range side {
				if got, want := int(row[r*side+c]), value(i, r, c); got != want {
					t.Fatalf("row %d pixel (%d,%d) = %d, want %d", i, r, c, got, want)
				}
			}
		}
		if d.Labels[i] != i || d.Usage[i] != Training || d.Line[i] != i+2 {
			t.Errorf("row %d: label %d, usage %v, line %d", i, d.Labels[i], d.Usage[i], d.Line[i])
		}
	}
}

func TestSHA256(t *testing.T) {
	plain := smallCSV([]string{"emotion", "pixels", "Usage"}, "\n", true, func(_, s string) string { return s })
	for _, data := range [][]byte{plain, gz(t, plain)} {
		path := filepath.Join(t.TempDir(), "data")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if want := hex.EncodeToString(sum[:]); d.SHA256 != want {
			t.Errorf("SHA256 = %s, want %s", d.SHA256, want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, u := range []Usage{Training, PublicTest, PrivateTest} {
		got, err := ParseUsage(u.String())
		if err != nil || got != u {
			t.Errorf("ParseUsage(%q) = %v, %v", u.String(), got, err)
		}
	}
	if s := Usage(7).String(); s != "Usage(7)" {
		t.Errorf("Usage(7).String() = %q", s)
	}
	for _, s := range []string{"", "training", " Training", "Test"} {
		if _, err := ParseUsage(s); err == nil {
			t.Errorf("ParseUsage(%q): no error", s)
		}
	}
	_, err := ParseUsage("Test")
	if want := `parse usage: unknown value "Test" (want Training, PublicTest or PrivateTest)`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestRowPanics(t *testing.T) {
	d := wantSmall("small.csv", true, true)
	for _, i := range []int{-1, d.N()} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("Row(%d) did not panic", i)
				} else if s, ok := r.(string); !ok || !strings.HasPrefix(s, "dataset: ") {
					t.Errorf("Row(%d) panicked with %v", i, r)
				}
			}()
			d.Row(i)
		}()
	}
	// Appending to a row must not overwrite the next one.
	r0 := d.Row(0)
	_ = append(r0, -1)
	if got := d.Row(1)[0]; got != 255 { // smallRows[1].pix[0]
		t.Errorf("Row(1)[0] = %v after append to Row(0)", got)
	}
}

// randomCSV returns a random small file in the package's format, possibly
// with one random corruption.
func randomCSV(rnd *rand.Rand) []byte {
	cols := []string{"pixels"}
	if rnd.IntN(2) == 0 {
		cols = append(cols, "emotion")
	}
	if rnd.IntN(2) == 0 {
		cols = append(cols, "Usage")
	}
	rnd.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	eol := []string{"\n", "\r\n"}[rnd.IntN(2)]
	side := 1 + rnd.IntN(4)
	if rnd.IntN(4) == 0 {
		side = 5 + rnd.IntN(10) // long enough for the fast path of parsePixels
	}
	var b strings.Builder
	if rnd.IntN(8) == 0 {
		b.WriteString("\xef\xbb\xbf")
	}
	b.WriteString(strings.Join(cols, ",") + eol)
	rows := rnd.IntN(12)
	quote := func(s string) string {
		if rnd.IntN(4) == 0 {
			return `"` + s + `"`
		}
		return s
	}
	for i := range rows {
		var fs []string
		for _, c := range cols {
			switch c {
			case "emotion":
				fs = append(fs, quote(strconv.Itoa(rnd.IntN(1000))))
			case "Usage":
				fs = append(fs, quote(Usage(rnd.IntN(3)).String()))
			case "pixels":
				var p strings.Builder
				for j := range side * side {
					if j > 0 || rnd.IntN(8) == 0 {
						p.WriteString(strings.Repeat(" ", 1+rnd.IntN(2)*rnd.IntN(3)))
					}
					p.WriteString(strconv.Itoa([]int{0, 9, 10, 99, 100, 255, rnd.IntN(256)}[rnd.IntN(7)]))
				}
				fs = append(fs, quote(p.String()))
			}
		}
		b.WriteString(strings.Join(fs, ","))
		if i < rows-1 || rnd.IntN(2) == 0 {
			b.WriteString(eol)
		}
		if rnd.IntN(6) == 0 {
			b.WriteString(eol)
		}
	}
	data := []byte(b.String())
	if len(data) > 0 && rnd.IntN(2) == 0 {
		k := rnd.IntN(len(data))
		switch rnd.IntN(3) {
		case 0:
			data = append(data[:k], data[k+1:]...)
		case 1:
			data[k] = "x\",- 9.\r\n0"[rnd.IntN(10)]
		case 2:
			data = slices.Insert(data, k, "x\",- 9.\r\n0"[rnd.IntN(10)])
		}
	}
	return data
}

func TestReadRandomAgainstReference(t *testing.T) {
	// Random files, clean and corrupted, read with several chunk sizes
	// must give what the encoding/csv-based reference gives, and errors on
	// the same line.
	rnd := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		data := randomCSV(rnd)
		for _, chunk := range []int{1, 3, 16, defaultChunk} {
			checkAgainstRef(t, data, chunk)
		}
		if rnd.IntN(10) == 0 {
			checkAgainstRef(t, gz(t, data), defaultChunk)
		}
	}
}

func TestReadChunksGenerated(t *testing.T) {
	// A larger generated file across chunk sizes: identical datasets, and
	// an error planted late is reported on its line.
	data := genCSV(rand.New(rand.NewPCG(3, 4)), 300, 48)
	want, err := read(bytes.NewReader(data), "gen.csv", defaultChunk)
	if err != nil {
		t.Fatal(err)
	}
	if want.N() != 300 || want.Side != 48 {
		t.Fatalf("N, Side = %d, %d, want 300, 48", want.N(), want.Side)
	}
	for _, chunk := range []int{1000, 4096, 100000} {
		got, err := read(bytes.NewReader(data), "gen.csv", chunk)
		if err != nil {
			t.Fatal(err)
		}
		if msg := diffDatasets(got, want); msg != "" {
			t.Fatalf("chunk %d: %s", chunk, msg)
		}
	}
	// Break line 250 and line 280; line 250 must be reported.
	ls := bytes.SplitAfter(slices.Clone(data), []byte("\n"))
	ls[249] = bytes.Replace(ls[249], []byte(" "), []byte(" 300 "), 1)
	ls[279] = bytes.Replace(ls[279], []byte(","), []byte(",x"), 1)
	bad := bytes.Join(ls, nil)
	for _, chunk := range []int{1000, 4096, defaultChunk} {
		_, err := read(bytes.NewReader(bad), "gen.csv", chunk)
		if err == nil || !strings.HasPrefix(err.Error(), "gen.csv:250: pixels: ") {
			t.Fatalf("chunk %d: error %v, want one on line 250", chunk, err)
		}
	}
}

func TestParsePixelsRandom(t *testing.T) {
	// Random pixel fields, long enough for the 64-byte fast path, with
	// runs of short tokens, repeated spaces, long and bad tokens, compared
	// with a plain split-and-convert; the count and every value must agree,
	// and a bad field must fail at the first bad token.
	rnd := rand.New(rand.NewPCG(7, 8))
	toks := []string{"0", "1", "9", "10", "99", "100", "199", "255", "256", "999", "007", "0255", "1000", "-1", "x", "3.5"}
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		var b strings.Builder
		count := rnd.IntN(300)
		bad := rnd.IntN(4) == 0
		for j := range count {
			if j > 0 || rnd.IntN(10) == 0 {
				b.WriteString(strings.Repeat(" ", 1+rnd.IntN(2)*rnd.IntN(3)))
			}
			switch {
			case bad && rnd.IntN(50) == 0:
				b.WriteString(toks[rnd.IntN(len(toks))])
			case rnd.IntN(3) == 0:
				b.WriteString(toks[rnd.IntN(3)])
			default:
				b.WriteString(strconv.Itoa(rnd.IntN(256)))
			}
		}
		if rnd.IntN(5) == 0 {
			b.WriteString("  ")
		}
		field := []byte(b.String())
		var want []uint8
		wantOK := true
		for _, tok := range strings.Split(string(field), " ") {
			if tok == "" {
				continue
			}
			v, ok := refUint(tok, 255)
			if !ok {
				wantOK = false
				break
			}
			want = append(want, uint8(v))
		}
		for _, size := range []int{len(want), len(want) + 40, max(len(want)-5, 0)} {
			dst := make([]uint8, size)
			got, err := parsePixels(field, dst, false)
			if (err == nil) != wantOK {
				t.Fatalf("field %q: error %v, want ok %v", field, err, wantOK)
			}
			if err != nil {
				continue
			}
			if got != len(want) {
				t.Fatalf("field %q: %d values, want %d", field, got, len(want))
			}
			if k := min(size, len(want)); !slices.Equal(dst[:k], want[:k]) {
				t.Fatalf("field %q (dst %d): values\n%v, want\n%v", field, size, dst[:k], want[:k])
			}
		}
	}
}

func TestReadNoGoroutineLeak(t *testing.T) {
	// Reads that fail early, late, in gzip and in the reader must stop all
	// their goroutines before returning.
	before := runtime.NumGoroutine()
	rnd := rand.New(rand.NewPCG(9, 10))
	for k := range 200 {
		data := randomCSV(rnd)
		if k%3 == 0 {
			data = gz(t, data)
		}
		r := io.MultiReader(bytes.NewReader(data), iotestErr{errors.New("boom")})
		if k%2 == 0 {
			r = bytes.NewReader(data)
		}
		Read(r, "leak.csv")
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after the reads, %d before", n, before)
	}
}
