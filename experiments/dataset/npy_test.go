package dataset

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// npyFile builds a .npy file by hand, as NumPy's format writes it
// (numpy.lib.format, version 1.0 unless v2): magic, version, header length,
// the dict padded with spaces to a multiple of 64 bytes and ended by a
// newline, then data.
func npyFile(descr string, fortran bool, shape string, data []byte, v2 bool) []byte {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }",
		descr, map[bool]string{false: "False", true: "True"}[fortran], shape)
	pre := 10
	if v2 {
		pre = 12
	}
	pad := 64 - (pre+len(dict)+1)%64
	hdr := dict + strings.Repeat(" ", pad%64) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	if v2 {
		b.Write([]byte{2, 0})
		binary.Write(&b, binary.LittleEndian, uint32(len(hdr)))
	} else {
		b.Write([]byte{1, 0})
		binary.Write(&b, binary.LittleEndian, uint16(len(hdr)))
	}
	b.WriteString(hdr)
	b.Write(data)
	return b.Bytes()
}

// le encodes values little-endian (big-endian with be).
func le(be bool, vals ...any) []byte {
	var b bytes.Buffer
	order := binary.ByteOrder(binary.LittleEndian)
	if be {
		order = binary.BigEndian
	}
	for _, v := range vals {
		binary.Write(&b, order, v)
	}
	return b.Bytes()
}

func f32s(v ...float32) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

func f64s(v ...float64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// npzFile builds a .npz archive of the members given (name -> .npy bytes),
// deflated unless store.
func npzFile(t testing.TB, store bool, members ...any) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for i := 0; i < len(members); i += 2 {
		h := &zip.FileHeader{Name: members[i].(string), Method: zip.Deflate}
		if store {
			h.Method = zip.Store
		}
		w, err := z.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[i+1].([]byte))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeTemp(t *testing.T, dir, name string, b []byte) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// m23 is the 2x3 matrix [[1 2 3] [4 5 6]] used by the good cases.
var m23 = []float32{1, 2, 3, 4, 5, 6}

func TestReadNPYGood(t *testing.T) {
	dir := t.TempDir()
	x32 := npyFile("<f4", false, "(2, 3)", le(false, f32s(m23...)...), false)
	y := npyFile("|u1", false, "(2,)", []byte{7, 0}, false)
	tests := []struct {
		name   string
		x, y   []byte
		labels []int
	}{
		{"float32", x32, nil, nil},
		{"float32 v2", npyFile("<f4", false, "(2, 3)", le(false, f32s(m23...)...), true), nil, nil},
		{"float64", npyFile("<f8", false, "(2, 3)", le(false, f64s(1, 2, 3, 4, 5, 6)...), false), nil, nil},
		{"big-endian float64", npyFile(">f8", false, "(2, 3)", le(true, f64s(1, 2, 3, 4, 5, 6)...), false), nil, nil},
		// Fortran order: the columns one after the other.
		{"fortran float32", npyFile("<f4", true, "(2, 3)", le(false, f32s(1, 4, 2, 5, 3, 6)...), false), nil, nil},
		{"fortran float64", npyFile("<f8", true, "(2, 3)", le(false, f64s(1, 4, 2, 5, 3, 6)...), false), nil, nil},
		{"uint8 labels", x32, y, []int{7, 0}},
		{"int64 labels (n, 1)", x32, npyFile("<i8", false, "(2, 1)", le(false, int64(3), int64(999)), false), []int{3, 999}},
		{"big-endian int16 labels", x32, npyFile(">i2", false, "(2,)", le(true, int16(1), int16(2)), false), []int{1, 2}},
		{"npz deflated", npzFile(t, false, "x.npy", x32, "y.npy", y), nil, []int{7, 0}},
		{"npz stored, no labels", npzFile(t, true, "x.npy", x32, "other.npy", y), nil, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xp := writeTemp(t, dir, fmt.Sprintf("x%d", i), tt.x)
			yp := ""
			if tt.y != nil {
				yp = writeTemp(t, dir, fmt.Sprintf("y%d.npy", i), tt.y)
			}
			x, rows, cols, labels, err := ReadNPY(xp, yp)
			if err != nil {
				t.Fatal(err)
			}
			if rows != 2 || cols != 3 || !slices.Equal(x, m23) || !slices.Equal(labels, tt.labels) {
				t.Fatalf("got %dx%d %v labels %v, want 2x3 %v labels %v", rows, cols, x, labels, m23, tt.labels)
			}
		})
	}
}

// TestReadNPYBad lists every bad input with its exact error; the file is
// named X (or the labels Y) in the messages.
func TestReadNPYBad(t *testing.T) {
	dir := t.TempDir()
	good := npyFile("<f4", false, "(2, 3)", le(false, f32s(m23...)...), false)
	hdr := func(h string) []byte { // a v1 file with header h as given
		b := append([]byte("\x93NUMPY\x01\x00"), le(false, uint16(len(h)))...)
		return append(append(b, h...), le(false, f32s(m23...)...)...)
	}
	nan := float32(math.NaN())
	tests := []struct {
		name string
		x, y []byte
		want string // with X and Y for the paths
	}{
		{"empty", []byte{}, nil, "{X}: truncated: 0 bytes, shorter than a .npy header"},
		{"no magic", []byte("\x93NUMPZ\x01\x00\x10\x00xxxxxxxxxxxxxxxx"), nil, `{X}: not a .npy file (no \x93NUMPY magic)`},
		{"version 3", append([]byte("\x93NUMPY\x03\x00"), good[8:]...), nil, "{X}: .npy version 3.0 not supported (want 1.0 or 2.0)"},
		{"absurd header length", append([]byte("\x93NUMPY\x02\x00\xff\xff\xff\xff"), good[10:]...), nil,
			"{X}: header of 4294967295 bytes, more than NumPy's limit of 10000"},
		{"header past the end", good[:40], nil, "{X}: truncated: the header of 118 bytes ends past the end of the file (40 bytes)"},
		{"keys out of order", hdr("{'fortran_order': False, 'descr': '<f4', 'shape': (2, 3), }\n"), nil,
			`{X}: header "{'fortran_order': False, 'descr': '<f4', 'shape': (2, 3), }\n": keys not in NumPy's order`},
		{"no newline", hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), nil,
			`{X}: header "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }": not a dict ending in a newline`},
		{"wrong dtype int64", npyFile("<i8", false, "(2, 3)", make([]byte, 48), false), nil,
			"{X}: dtype int64 ('<i8'); want float32 or float64"},
		{"wrong dtype float16", npyFile("<f2", false, "(2, 3)", make([]byte, 12), false), nil,
			"{X}: dtype '<f2' not supported (want a number type such as '<f4')"},
		{"object dtype", npyFile("|O", false, "(2, 3)", make([]byte, 48), false), nil,
			"{X}: dtype '|O' not supported (want a number type such as '<f4')"},
		{"3-D", npyFile("<f4", false, "(1, 2, 3)", le(false, f32s(m23...)...), false), nil,
			"{X}: shape (1, 2, 3) is 3-D; want a 2-D matrix (rows, columns)"},
		{"1-D", npyFile("<f4", false, "(6,)", le(false, f32s(m23...)...), false), nil,
			"{X}: shape (6,) is 1-D; want a 2-D matrix (rows, columns)"},
		{"no rows", npyFile("<f4", false, "(0, 3)", nil, false), nil, "{X}: shape (0, 3): no values"},
		{"NaN", npyFile("<f4", false, "(2, 3)", le(false, f32s(1, 2, 3, 4, nan, nan)...), false), nil,
			"{X}: row 1: x[1, 1] is NaN; want finite float32 values"},
		{"Inf in fortran order", npyFile("<f8", true, "(2, 3)", le(false, f64s(1, 4, 2, math.Inf(-1), 3, 6)...), false), nil,
			"{X}: row 1: x[1, 1] is -Inf; want finite float32 values"},
		{"float64 beyond float32", npyFile("<f8", false, "(2, 3)", le(false, f64s(1, 2, 1e300, 4, 5, 6)...), false), nil,
			"{X}: row 0: x[0, 2] is beyond the float32 range; want finite float32 values"},
		{"truncated", good[:len(good)-13], nil,
			"{X}: truncated: shape (2, 3) needs 24 bytes of data, the file holds 11 (row 0 is cut short)"},
		{"truncated in row 1", good[:len(good)-5], nil,
			"{X}: truncated: shape (2, 3) needs 24 bytes of data, the file holds 19 (row 1 is cut short)"},
		{"absurd shape", npyFile("<f8", false, "(1000000000000, 1000000000)", nil, false), nil,
			"{X}: truncated: shape (1000000000000, 1000000000) needs 8000000000000000000000 bytes of data, the file holds 0 (row 0 is cut short)"},
		{"label count", good, npyFile("<i8", false, "(3,)", le(false, int64(0), int64(1), int64(2)), false),
			"{Y}: 3 labels for the 2 rows of {X}"},
		{"float labels", good, npyFile("<f8", false, "(2,)", le(false, 0.0, 1.0), false),
			"{Y}: dtype float64 ('<f8'); want an integer type"},
		{"2-D labels", good, npyFile("<i8", false, "(2, 2)", make([]byte, 32), false),
			"{Y}: shape (2, 2); want a vector (n,)"},
		{"negative label", good, npyFile("|i1", false, "(2,)", []byte{0, 0xff}, false),
			"{Y}: row 1: label -1 out of range 0..999"},
		{"huge label", good, npyFile("<u8", false, "(2,)", le(false, uint64(0), uint64(math.MaxUint64)), false),
			"{Y}: row 1: label 18446744073709551615 out of range 0..999"},
		{"truncated labels", good, npyFile("<i4", false, "(2,)", make([]byte, 7), false),
			"{Y}: truncated: shape (2,) needs 8 bytes of data, the file holds 7 (row 1 is cut short)"},
		{"npz without x", npzFile(t, false, "X.npy", good), nil, "{X}: no array x in the archive (it has X)"},
		{"npz labels twice", npzFile(t, false, "x.npy", good, "y.npy", npyFile("|u1", false, "(2,)", []byte{1, 2}, false)),
			npyFile("|u1", false, "(2,)", []byte{1, 2}, false),
			"{X}: the archive holds labels y and a labels file is given too; give one"},
		{"npz label count", npzFile(t, false, "x.npy", good, "y.npy", npyFile("|u1", false, "(1,)", []byte{1}, false)), nil,
			"{X}: y: 1 labels for the 2 rows of {X}: x"},
		{"npz 3-D", npzFile(t, true, "x.npy", npyFile("<f4", false, "(1, 2, 3)", le(false, f32s(m23...)...), false)), nil,
			"{X}: x: shape (1, 2, 3) is 3-D; want a 2-D matrix (rows, columns)"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xp := writeTemp(t, dir, fmt.Sprintf("x%d.npy", i), tt.x)
			yp := ""
			if tt.y != nil {
				yp = writeTemp(t, dir, fmt.Sprintf("y%d.npy", i), tt.y)
			}
			_, _, _, _, err := ReadNPY(xp, yp)
			want := strings.NewReplacer("{X}", xp, "{Y}", yp).Replace(tt.want)
			if err == nil || err.Error() != want {
				t.Fatalf("error %v\nwant  %s", err, want)
			}
		})
	}
}

// TestNPYRoundTrip writes features and labels with WriteNPY and
// WriteLabelsNPY and reads them back, through ReadNPY and LoadNPY.
func TestNPYRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, shape := range [][2]int{{1, 1}, {5, 900}, {3, 2304}, {70000, 3}} {
		rows, cols := shape[0], shape[1]
		x := make([]float32, rows*cols)
		for i := range x {
			x[i] = float32(i%977)*0.37 - 100
		}
		labels := make([]int, rows)
		for i := range labels {
			labels[i] = i % 7
		}
		xp, yp := filepath.Join(dir, "features.npy"), filepath.Join(dir, "labels.npy")
		if err := WriteNPY(xp, x, rows, cols); err != nil {
			t.Fatal(err)
		}
		if err := WriteLabelsNPY(yp, labels); err != nil {
			t.Fatal(err)
		}
		gx, gr, gc, gl, err := ReadNPY(xp, yp)
		if err != nil {
			t.Fatal(err)
		}
		if gr != rows || gc != cols || !slices.Equal(gx, x) || !slices.Equal(gl, labels) {
			t.Fatalf("%dx%d: read back %dx%d, values equal %v, labels equal %v",
				rows, cols, gr, gc, slices.Equal(gx, x), slices.Equal(gl, labels))
		}
		d, err := LoadNPY(xp, yp)
		if err != nil {
			t.Fatal(err)
		}
		side := map[int]int{1: 1, 900: 30, 2304: 48, 3: 0}[cols]
		if d.N() != rows || d.Dim != cols || d.Side != side || !d.HasLabels || d.Line[rows-1] != rows ||
			len(d.LabelNames) != min(rows, 7) || len(d.SHA256) != 64 {
			t.Fatalf("%dx%d: dataset N %d Dim %d Side %d HasLabels %v names %v", rows, cols,
				d.N(), d.Dim, d.Side, d.HasLabels, d.LabelNames)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Fatalf("%d files left in the folder, want 2 (no temporary files)", len(ents))
	}
}

// TestWriteNPYNothingHalfWritten checks that a failed write leaves no file.
func TestWriteNPYNothingHalfWritten(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "x.npy")
	err := WriteNPY(p, m23, 2, 3)
	if err == nil || !strings.HasPrefix(err.Error(), "write "+p+": ") {
		t.Fatalf("error %v", err)
	}
}

// FuzzNPY is the fuzz target of the .npy and .npz reader (not FuzzReadNPY:
// "-fuzz FuzzRead" in the Makefile would then match two targets).
func FuzzNPY(f *testing.F) {
	good := npyFile("<f4", false, "(2, 3)", le(false, f32s(m23...)...), false)
	f.Add(good)
	f.Add(npyFile("<f8", true, "(2, 3)", le(false, f64s(1, 4, 2, 5, 3, 6)...), true))
	f.Add(npyFile("<i8", false, "(2, 3)", make([]byte, 48), false))
	f.Add(npyFile("<f4", false, "(1, 2, 3)", make([]byte, 24), false))
	f.Add(good[:len(good)-3])
	f.Add(npzFile(f, false, "x.npy", good, "y.npy", npyFile("|u1", false, "(2,)", []byte{1, 2}, false)))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, rows, cols, labels, err := readX("fuzz", bytes.NewReader(b), int64(len(b)), false, limit{})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz: ") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if rows < 1 || cols < 1 || len(x) != rows*cols || (labels != nil && len(labels) != rows) {
			t.Fatalf("%dx%d with %d values and %d labels", rows, cols, len(x), len(labels))
		}
		for _, v := range x {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatal("non-finite value accepted")
			}
		}
	})
}
