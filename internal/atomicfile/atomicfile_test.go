package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dirNames returns the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func TestWriteAtomic(t *testing.T) {
	errFn := errors.New("fn failed")
	for _, tc := range []struct {
		name    string
		old     string // existing content; "" for none
		fn      func(io.Writer) error
		want    string // content afterwards
		wantErr error  // nil for success
	}{
		{name: "create", fn: writeString("new\n"), want: "new\n"},
		{name: "replace", old: "old\n", fn: writeString("new\n"), want: "new\n"},
		{name: "empty", old: "old\n", fn: func(io.Writer) error { return nil }, want: ""},
		{name: "fn error keeps old", old: "old\n", fn: func(w io.Writer) error {
			if _, err := io.WriteString(w, "partial"); err != nil {
				return err
			}
			return errFn
		}, want: "old\n", wantErr: errFn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.csv")
			if tc.old != "" {
				if err := os.WriteFile(path, []byte(tc.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := Write(path, tc.fn)
			if tc.wantErr == nil && err != nil {
				t.Fatalf("Write: %v", err)
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Write error %v, want %v", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("error %q does not name %s", err, path)
				}
			}
			if tc.old == "" && tc.wantErr != nil {
				if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("stat after failed write: %v, want not exist", err)
				}
			} else {
				got, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != tc.want {
					t.Errorf("content %q, want %q", got, tc.want)
				}
			}
			if names := dirNames(t, dir); len(names) != 1 || names[0] != "out.csv" {
				t.Errorf("directory holds %q, want only out.csv", names)
			}
			if tc.wantErr == nil {
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o644 {
					t.Errorf("mode %v, want 0644", fi.Mode().Perm())
				}
			}
		})
	}
}

// TestWriteAtomicOldVisible checks that while fn runs, path still holds the
// old content and the new bytes go to a hidden temporary file beside it.
func TestWriteAtomicOldVisible(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "table.md")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, "new"); err != nil {
			return err
		}
		got, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if string(got) != "old" {
			t.Errorf("during write %s holds %q, want %q", path, got, "old")
		}
		names := dirNames(t, dir)
		if len(names) != 2 {
			t.Errorf("during write directory holds %q, want table.md and a temporary file", names)
		}
		for _, n := range names {
			if n != "table.md" && !strings.HasPrefix(n, ".table.md") {
				t.Errorf("temporary file %q does not start with .table.md", n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "new" {
		t.Errorf("content %q, want %q", got, "new")
	}
}

// TestWriteAtomicParentIsFile provokes a failure that root cannot bypass:
// the parent of path is a regular file.
func TestWriteAtomicParentIsFile(t *testing.T) {
	dir := t.TempDir()
	parent := filepath.Join(dir, "file")
	if err := os.WriteFile(parent, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(parent, "out.png")
	called := false
	err := Write(path, func(io.Writer) error { called = true; return nil })
	if err == nil {
		t.Fatal("Write into a file's child succeeded")
	}
	if !strings.Contains(err.Error(), "write "+path+":") {
		t.Errorf("error %q does not name %s", err, path)
	}
	if called {
		t.Error("fn called although the temporary file could not be created")
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only file", names)
	}
}

// TestWriteAtomicReadOnlyDir checks the error for a read-only directory;
// root ignores the permission, so it is skipped there.
func TestWriteAtomicReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write to read-only directories; see TestWriteAtomicParentIsFile")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Error(err)
		}
	})
	path := filepath.Join(dir, "out.csv")
	err := Write(path, writeString("x"))
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want one naming %s", err, path)
	}
}

func TestWriteAtomicPanic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic in fn not propagated")
			}
		}()
		_ = Write(path, func(io.Writer) error { panic("boom") }) // Panics; no error to check.
	}()
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("directory holds %q after panic, want nothing", names)
	}
}

func TestIsTemp(t *testing.T) {
	for _, tc := range []struct {
		name, base string
		want       bool
	}{
		{".cells.jsonl.0.tmp", "cells.jsonl", true},
		{".cells.jsonl.1234567.tmp", "cells.jsonl", true},
		{".cells.jsonl.tmp", "cells.jsonl", false},
		{".cells.jsonl.12a.tmp", "cells.jsonl", false},
		{"cells.jsonl.1.tmp", "cells.jsonl", false},
		{".cells.jsonl.1.tmpx", "cells.jsonl", false},
		{".results.csv.1.tmp", "cells.jsonl", false},
	} {
		if got := IsTemp(tc.name, tc.base); got != tc.want {
			t.Errorf("IsTemp(%q, %q) = %v", tc.name, tc.base, got)
		}
	}
}
