package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tables are the report files that must be byte-identical however a sweep
// was run: interrupted and resumed, sharded and merged, any -workers.
var tables = []string{"results.csv", "summary.csv", "summary.md"}

func sameTables(t *testing.T, a, b string) {
	t.Helper()
	for _, name := range tables {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
}

// buildBinary compiles the sweep command once per test binary.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sweep")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func storedCells(dir string) int {
	b, _ := os.ReadFile(filepath.Join(dir, "cells.jsonl"))
	return max(bytes.Count(b, []byte{'\n'})-1, 0) // minus the header line
}

// TestKillAndResume starts the real binary on configs/quick.yaml and
// FER2013, kills it with SIGKILL after some cells are stored, runs it again
// and compares the tables byte for byte with an uninterrupted run, at
// several kill points.
func TestKillAndResume(t *testing.T) { checkKillAndResume(t, fer2013) }

// TestKillAndResumeMNIST is TestKillAndResume on configs/ci-mnist.yaml and
// MNIST's test digits, which need no download by hand.
func TestKillAndResumeMNIST(t *testing.T) { checkKillAndResume(t, mnist) }

func checkKillAndResume(t *testing.T, src source) {
	data := src.flags(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	cfg := configPath(src.quick)
	sweep := func(out string, extra ...string) *exec.Cmd {
		args := append([]string{"-config", cfg, "-out", out}, data...)
		return exec.Command(bin, append(args, extra...)...)
	}
	ref := filepath.Join(dir, "ref")
	if out, err := sweep(ref).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	for _, killAt := range src.killAt {
		name := fmt.Sprintf("kill-after-%d", killAt)
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name)
			cmd := sweep(out, "-workers", "1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(60 * time.Second)
			for storedCells(out) < killAt && time.Now().Before(deadline) {
				time.Sleep(2 * time.Millisecond)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			n := storedCells(out)
			if n >= src.cells {
				t.Skipf("the run finished before the kill (%d cells stored)", n)
			}
			if _, err := os.Stat(filepath.Join(out, "results.csv")); err == nil {
				t.Fatal("results.csv written by a killed run")
			}
			res, err := sweep(out).CombinedOutput()
			if err != nil {
				t.Fatalf("resume: %v\n%s", err, res)
			}
			if !bytes.Contains(res, []byte("resuming: ")) {
				t.Errorf("resume did not say it resumed (%d cells were stored):\n%s", n, res)
			}
			sameTables(t, ref, out)
		})
	}
}

// TestShardsMerge runs 4 shards of configs/quick.yaml on FER2013 as
// separate processes, as a Slurm array would (one through SLURM_ARRAY_*
// variables), merges them, and compares with single runs at -workers 1
// and 8.
func TestShardsMerge(t *testing.T) { checkShardsMerge(t, fer2013) }

// TestShardsMergeMNIST is TestShardsMerge on configs/ci-mnist.yaml and
// MNIST's test digits, which need no download by hand.
func TestShardsMergeMNIST(t *testing.T) { checkShardsMerge(t, mnist) }

func checkShardsMerge(t *testing.T, src source) {
	data := src.flags(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	cfg := configPath(src.quick)
	sweep := func(cfg, out string, extra ...string) *exec.Cmd {
		args := append([]string{"-config", cfg, "-out", out}, data...)
		return exec.Command(bin, append(args, extra...)...)
	}
	for _, w := range []string{"1", "8"} {
		if out, err := sweep(cfg, filepath.Join(dir, "w"+w), "-workers", w).CombinedOutput(); err != nil {
			t.Fatalf("workers %s: %v\n%s", w, err, out)
		}
	}
	sameTables(t, filepath.Join(dir, "w1"), filepath.Join(dir, "w8"))
	var shardDirs []string
	for i := 1; i <= 4; i++ {
		out := filepath.Join(dir, "shards", string(rune('0'+i)))
		shardDirs = append(shardDirs, out)
		cmd := sweep(cfg, out)
		switch i {
		case 2:
			// Slurm: task 2 with -shards 4 is shard 2/4.
			cmd.Env = append(os.Environ(), "SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=4", "SLURM_ARRAY_TASK_MIN=1")
			cmd.Args = append(cmd.Args, "-shards", "4")
		case 3:
			// Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based.
			cmd.Env = append(os.Environ(), "JOB_COMPLETION_INDEX=2")
			cmd.Args = append(cmd.Args, "-shards", "4")
		default:
			cmd.Args = append(cmd.Args, "-shard", string(rune('0'+i))+"/4")
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("shard %d: %v\n%s", i, err, out)
		}
	}
	merged := filepath.Join(dir, "merged")
	args := append([]string{"merge", "-out", merged}, shardDirs...)
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	sameTables(t, filepath.Join(dir, "w1"), merged)

	// A missing shard is named.
	_, stderr, code := runCmd(t, append([]string{"merge", "-out", filepath.Join(dir, "m2")}, shardDirs[:3]...)...)
	if code != 1 || !strings.Contains(stderr, "shard 4/4 is missing") {
		t.Errorf("merge without shard 4: exit %d, %q", code, stderr)
	}
	// A shard of another config is named.
	other := filepath.Join(dir, "other")
	otherCfg := writeConfig(t, dir, strings.Replace(mustRead(t, cfg), "seed: 1", "seed: 2", 1))
	if out, err := sweep(otherCfg, other, "-shard", "4/4").CombinedOutput(); err != nil {
		t.Fatalf("other shard: %v\n%s", err, out)
	}
	_, stderr, code = runCmd(t, "merge", "-out", filepath.Join(dir, "m3"), shardDirs[0], shardDirs[1], shardDirs[2], other)
	if code != 1 || !strings.Contains(stderr, other+" comes from another config or data") {
		t.Errorf("merge with a foreign shard: exit %d, %q", code, stderr)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A report directory of another config is refused unless -fresh.
func TestResumeRefusesOtherConfig(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	out := filepath.Join(dir, "report")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out); code != 0 {
		t.Fatal(stderr)
	}
	cfg2 := writeConfig(t, dir, strings.Replace(syntheticGrid, "seed: 3", "seed: 4", 1))
	_, stderr, code := runCmd(t, "-config", cfg2, "-data", data, "-out", out)
	if code != 1 || !strings.Contains(stderr, "report directory was made by a different config or data") || !strings.Contains(stderr, "-fresh") {
		t.Fatalf("exit %d, %q", code, stderr)
	}
	if _, stderr, code := runCmd(t, "-config", cfg2, "-data", data, "-out", out, "-fresh"); code != 0 {
		t.Fatalf("-fresh: exit %d, %q", code, stderr)
	}
}

func TestResolveShard(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name   string
		flag   string
		shards int
		env    func(string) string
		i, n   int
		err    string
	}{
		{"none", "", 0, env(), 0, 1, ""},
		{"flag", "3/4", 0, env(), 2, 4, ""},
		// Slurm: the task id is the 1-based shard number; the array's
		// COUNT, MIN, MAX and STEP are never read.
		{"slurm", "", 4, env("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "1"), 1, 4, ""},
		{"slurm resubmitted --array=3", "", 4, env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "1", "SLURM_ARRAY_TASK_MIN", "3", "SLURM_ARRAY_TASK_MAX", "3"), 2, 4, ""},
		{"slurm stepped --array=2-6:2", "", 7, env("SLURM_ARRAY_TASK_ID", "6", "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_ARRAY_TASK_MIN", "2", "SLURM_ARRAY_TASK_STEP", "2"), 5, 7, ""},
		{"slurm last", "", 4, env("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "2", "SLURM_ARRAY_TASK_MIN", "2"), 3, 4, ""},
		{"slurm task 0", "", 4, env("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "0"), 0, 0, "SLURM_ARRAY_TASK_ID 0 is not a shard of -shards 4: the array task ids are the shard numbers 1..4"},
		{"slurm past N", "", 4, env("SLURM_ARRAY_TASK_ID", "6"), 0, 0, "SLURM_ARRAY_TASK_ID 6 is not a shard of -shards 4"},
		{"slurm not a number", "", 4, env("SLURM_ARRAY_TASK_ID", "x"), 0, 0, `SLURM_ARRAY_TASK_ID: "x" is not an integer`},
		// Without -shards an array task runs the whole grid: the count
		// is never guessed from the array.
		{"slurm without -shards", "", 0, env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "1"), 0, 1, ""},
		{"indexed job", "", 3, env("JOB_COMPLETION_INDEX", "2"), 2, 3, ""},
		{"indexed job 0", "", 3, env("JOB_COMPLETION_INDEX", "0"), 0, 3, ""},
		{"indexed job past N", "", 3, env("JOB_COMPLETION_INDEX", "3"), 0, 0, "JOB_COMPLETION_INDEX 3 is not a shard of -shards 3: the indexes are 0..2"},
		{"both schedulers", "", 3, env("JOB_COMPLETION_INDEX", "0", "SLURM_ARRAY_TASK_ID", "1"), 0, 0, "both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set"},
		{"flag wins", "1/2", 0, env("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "4"), 0, 2, ""},
		{"flag and same -shards", "2/4", 4, env("SLURM_ARRAY_TASK_ID", "3"), 1, 4, ""},
		{"flag and other -shards", "1/2", 4, env(), 0, 0, "-shard 1/2 and -shards 4 disagree"},
		{"bad flag", "3", 0, env(), 0, 0, `-shard: "3" is not i/N`},
		{"out of range", "5/4", 0, env(), 0, 0, "-shard: shard 5 of 4 is out of range"},
		{"zero", "0/4", 0, env(), 0, 0, "-shard: shard 0 of 4 is out of range"},
		{"negative shards", "", -2, env(), 0, 0, "-shards: -2 is not a shard count"},
		{"shards without index", "", 3, env(), 0, 0, "-shards needs SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, n, err := resolveShard(tc.flag, tc.shards, tc.env)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || i != tc.i || n != tc.n {
				t.Fatalf("got %d/%d %v, want %d/%d", i, n, err, tc.i, tc.n)
			}
		})
	}
}
