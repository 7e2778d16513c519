package experiments

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckReportDir(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"faces/Happy", "work", "reports/run"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "work", "fer.csv"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// link -> faces/Happy: an -out through it is inside the data.
	if err := os.Symlink(filepath.Join(root, "faces", "Happy"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "faces"), filepath.Join(root, "reports", "run", "data")); err != nil {
		t.Fatal(err)
	}
	p := func(s string) string { return filepath.Join(root, s) }
	for _, tc := range []struct {
		name, out, data, want string // want: "" accepts; "out" or "data" says which is inside
	}{
		{"sibling", "reports/run", "faces", ""},
		{"name prefix is not inside", "faces2", "faces", ""},
		{"out is the data", "faces", "faces", "out"},
		{"out in a class folder", "faces/Happy", "faces", "out"},
		{"out not yet made, inside", "faces/report/x", "faces", "out"},
		{"out through dot-dot", "work/../faces/report", "faces", "out"},
		{"out through a link", "link/report", "faces", "out"},
		{"data inside out", "work/..", "faces", "data"},
		// The link lies inside out, but the images it leads to do not.
		{"data link inside out to a folder outside", "reports", "reports/run/data", ""},
		{"csv file inside out", "work", "work/fer.csv", ""},
		{"missing data", "faces", "nope", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckReportDir(p(tc.out), p(tc.data))
			switch tc.want {
			case "":
				if err != nil {
					t.Errorf("refused: %v", err)
				}
			case "out":
				want := "report directory " + p(tc.out) + " is inside the data folder " + p(tc.data) + ":"
				if err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("%v, want %q...", err, want)
				}
			case "data":
				want := "data folder " + p(tc.data) + " is inside the report directory " + p(tc.out) + ":"
				if err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("%v, want %q...", err, want)
				}
			}
		})
	}
	// Relative paths are compared absolute.
	t.Chdir(root)
	if err := CheckReportDir("faces/out", "./faces/"); err == nil {
		t.Error("relative -out inside the data accepted")
	}
}
