package dataset

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func TestReadLenient(t *testing.T) {
	text := "emotion,pixels,Usage\r\n" +
		"0,1 2 3 4,Training\r\n" +
		"1,1 2 3,Training\r\n" + // too few pixels
		"2,1 2 3 300,PublicTest\r\n" + // out of range
		"\r\n" + // blank lines are skipped but counted
		"3,5 6 7 8,Test\r\n" + // unknown usage
		"x,5 6 7 8,Training\r\n" + // label
		"4,9 9 9 9,PrivateTest" // no final newline
	want := []string{
		"line 3: pixels: 3 values, want 4 (as line 2)",
		"line 4: pixels: value 300 out of range 0..255 (pixel 3)",
		`line 6: Usage: unknown value "Test" (want Training, PublicTest or PrivateTest)`,
		`line 7: emotion: "x" is not an integer`,
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(text))
	w.Close()
	for _, tc := range []struct {
		name string
		in   []byte
	}{{"plain", []byte(text)}, {"gzip", gz.Bytes()}} {
		t.Run(tc.name, func(t *testing.T) {
			d, rej, err := ReadLenient(bytes.NewReader(tc.in), "bad.csv")
			if err != nil {
				t.Fatal(err)
			}
			if d.N() != 2 || d.Side != 2 || d.Line[0] != 2 || d.Line[1] != 8 || d.Labels[1] != 4 || d.Usage[1] != PrivateTest {
				t.Errorf("rows %d side %d lines %v labels %v usage %v", d.N(), d.Side, d.Line, d.Labels, d.Usage)
			}
			if len(rej) != len(want) {
				t.Fatalf("%d rejections %v, want %d", len(rej), rej, len(want))
			}
			for i, r := range rej {
				if r.String() != want[i] {
					t.Errorf("rejection %d: %q, want %q", i, r.String(), want[i])
				}
			}
			// The good rows read as Read reads them.
			strict, err := Read(strings.NewReader("emotion,pixels,Usage\n0,1 2 3 4,Training\n4,9 9 9 9,PrivateTest\n"), "good.csv")
			if err != nil {
				t.Fatal(err)
			}
			for i := range strict.Pixels {
				if int(d.Pixels[i]) != int(strict.Pixels[i]) { // grey levels are integers
					t.Fatalf("pixel %d: %v, want %v", i, d.Pixels[i], strict.Pixels[i])
				}
			}
		})
	}
	for _, tc := range []struct{ name, text, want string }{
		{"empty", "", "bad.csv: empty file"},
		{"bad header", "emotion,colour\n", `bad.csv:1: header: unknown column "colour" (want emotion, pixels or Usage)`},
		{"all bad", "pixels\n1 2 3\n", "bad.csv: no valid data rows (1 rejected)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadLenient(strings.NewReader(tc.text), "bad.csv")
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
