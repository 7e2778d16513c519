package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestHelp checks issue 17's help: every command's usage, with every one
// of its flags, on standard output with exit status 0, whether asked by
// -h or by sweep help COMMAND.
func TestHelp(t *testing.T) {
	sweepFlags := []string{"-config", "-data", "-labels", "-out", "-workers", "-dry-run", "-assignments",
		"-fresh", "-shard", "-shards", "-keep-going", "-q", "-v"}
	for _, tc := range []struct {
		args  []string
		first string   // the usage's first line starts so
		flags []string // each listed
	}{
		{[]string{"-h"}, "sweep runs a grid", sweepFlags},
		{[]string{"-help"}, "sweep runs a grid", sweepFlags},
		{[]string{"help"}, "sweep runs a grid", sweepFlags},
		{[]string{"help", "compare"}, "Usage: sweep compare", []string{"-out", "-tol", "-metric"}},
		{[]string{"compare", "-h"}, "Usage: sweep compare", []string{"-out", "-tol", "-metric"}},
		{[]string{"help", "inspect"}, "Usage: sweep inspect", []string{"-data", "-labels", "-out"}},
		{[]string{"inspect", "-h"}, "Usage: sweep inspect", []string{"-data", "-labels", "-out"}},
		{[]string{"help", "fit"}, "Usage: sweep fit", []string{"-config", "-cell", "-o"}},
		{[]string{"help", "predict"}, "Usage: sweep predict", []string{"-model", "-data", "-o"}},
		{[]string{"help", "merge"}, "Usage: sweep merge", []string{"-out", "-data"}},
		{[]string{"help", "features"}, "Usage: sweep features", []string{"-data", "-features", "-o"}},
		{[]string{"help", "version"}, "Usage: sweep version", nil},
		{[]string{"help", "serve"}, "Usage: sweep serve", []string{"-addr", "-model"}},
		{[]string{"serve", "-h"}, "Usage: sweep serve", []string{"-addr", "-model"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, code := runCmd(t, tc.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, stderr)
			}
			if !strings.HasPrefix(stdout, tc.first) {
				t.Errorf("stdout begins %q, want %q", firstLine(stdout), tc.first)
			}
			for _, f := range tc.flags {
				if !strings.Contains(stdout, "\n  "+f+" ") && !strings.Contains(stdout, "\n  "+f+"\n") && !strings.Contains(stdout, "\n  "+f+"\t") {
					t.Errorf("flag %s not listed in:\n%s", f, stdout)
				}
			}
		})
	}
}

// TestHelpMisuse: help for a command that does not exist, and a bad flag,
// are misuse: exit 2 and the message (and usage) on standard error only.
func TestHelpMisuse(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"help", "colour"}, `sweep: help: unknown command "colour" (commands: compare, features, fit, help, inspect, merge, predict, serve, version)`},
		{[]string{"compare", "-colour"}, "flag provided but not defined: -colour"},
		{[]string{"configs/quick.yaml"}, `sweep: unexpected argument "configs/quick.yaml": a config file is given with -config, as in: sweep -config configs/quick.yaml`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, code := runCmd(t, tc.args...)
			if code != 2 || stdout != "" || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, and %q", code, stdout, stderr, tc.msg)
			}
		})
	}
}

// TestVersion: sweep version says the version, the commit and whether the
// tree was modified. A test binary has no module version and no VCS
// settings, so it says "(devel)" and that the commit is unknown; with a
// version set at link time (make build), that version.
func TestVersion(t *testing.T) {
	stdout, stderr, code := runCmd(t, "version")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if want := "sweep (devel), commit unknown, go"; !strings.HasPrefix(stdout, want) {
		t.Errorf("version printed %q, want it to begin %q", stdout, want)
	}
	if _, _, code := runCmd(t, "version", "extra"); code != 2 {
		t.Errorf("version extra: exit %d, want 2", code)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// ferSourceMsg is what an error about a missing data file adds.
const ferSourceMsg = `FER2013 is fer2013.csv from the Kaggle challenge "Challenges in Representation Learning: Facial Expression Recognition Challenge", https://www.kaggle.com/c/challenges-in-representation-learning-facial-expression-recognition-challenge/data`

// TestMissingDataOneError: a data path that does not exist is one error,
// on one line, saying where FER2013 comes from (issue 17 item 3), for the
// sweep command and for inspect.
func TestMissingDataOneError(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "fer.csv")
	want := "sweep: open " + missing + ": no such file or directory (" + ferSourceMsg + ")\n"
	for _, args := range [][]string{
		{"-q", "-config", filepath.Join("..", "..", "configs", "quick.yaml"), "-data", missing, "-out", filepath.Join(dir, "out")},
		{"inspect", "-data", missing, "-out", filepath.Join(dir, "inspect")},
	} {
		_, stderr, code := runCmd(t, args...)
		if code != 1 || stderr != want {
			t.Errorf("%v: exit %d, stderr\n%q\nwant\n%q", args, code, stderr, want)
		}
	}
}
