package userfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestNotRegular(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(file, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct{ path, want string }{
		{file, ""},
		{filepath.Join(dir, "missing"), ""}, // left to the read
		{dir, "not a regular file (a directory)"},
		{fifo, "not a regular file (a named pipe)"},
		{"/dev/null", "not a regular file (a device)"},
	} {
		err := NotRegular(tc.path)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || err.Error() != tc.want) {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
	}
}

func TestReadLimited(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(path, []byte(strings.Repeat("x", 2<<20+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLimited(path, "model", 2<<20); err == nil || !strings.HasSuffix(err.Error(), "is larger than 2 MiB, the limit for a model file") {
		t.Errorf("over the limit: %v", err)
	}
	if b, err := ReadLimited(path, "model", 3<<20); err != nil || len(b) != 2<<20+1 {
		t.Errorf("under the limit: %d bytes, %v", len(b), err)
	}
}
