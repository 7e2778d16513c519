package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sweep/experiments"
)

// slurm runs deploy/slurm/sweep.sbatch under the stand-in scheduler
// testdata/sbatch.sh, from the repository root as a user submits it.
type slurm struct {
	t      *testing.T
	root   string // the repository
	sbatch string // the stand-in, on PATH as sbatch
	state  string // its FAKE_SLURM directory
	env    []string
}

func newSlurm(t *testing.T, env ...string) *slurm {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "bin")
	state := filepath.Join(dir, "slurm")
	for _, d := range []string{fake, state} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sbatch := filepath.Join(fake, "sbatch")
	if err := os.WriteFile(sbatch, []byte(mustRead(t, filepath.Join("testdata", "sbatch.sh"))), 0o755); err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	env = append([]string{"PATH=" + fake + string(filepath.ListSeparator) + os.Getenv("PATH"), "FAKE_SLURM=" + state}, env...)
	return &slurm{t: t, root: root, sbatch: sbatch, state: state, env: env}
}

// submit runs `sbatch --array=SPEC deploy/slurm/sweep.sbatch` with extra
// environment variables. It returns the array's job id and the exit status
// and output of each job that the array submitted (its merge job) and
// that ran once the array had ended.
func (s *slurm) submit(spec string, env ...string) (job string, rcs, outs []string) {
	s.t.Helper()
	before, _ := filepath.Glob(filepath.Join(s.state, "job-*.sh"))
	// --cpus-per-task on the command line overrides the script's 8.
	cmd := exec.Command(s.sbatch, "--array="+spec, "--cpus-per-task=1", filepath.Join("deploy", "slurm", "sweep.sbatch"))
	cmd.Dir = s.root
	cmd.Env = append(append(os.Environ(), s.env...), env...)
	out, err := cmd.CombinedOutput()
	job, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "Submitted batch job ")
	if err != nil || !ok {
		s.t.Fatalf("sbatch --array=%s: %v\n%s", spec, err, out)
	}
	after, _ := filepath.Glob(filepath.Join(s.state, "job-*.sh"))
	for _, f := range after {
		if !slices.Contains(before, f) {
			rc, out := s.read(strings.TrimSuffix(filepath.Base(f), ".sh"))
			rcs, outs = append(rcs, rc), append(outs, out)
		}
	}
	return job, rcs, outs
}

// task returns the exit status and output of task id of array job job.
func (s *slurm) task(job, id string) (rc, out string) {
	s.t.Helper()
	return s.read("array-" + job + "_" + id)
}

func (s *slurm) read(base string) (rc, out string) {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.state, base+".rc"))
	if err != nil {
		s.t.Fatalf("%s never ran: %v", base, err)
	}
	o, _ := os.ReadFile(filepath.Join(s.state, base+".out"))
	return strings.TrimSpace(string(b)), string(o)
}

// TestSlurmRecipe runs deploy/slurm/sweep.sbatch as `sbatch --array=1-4`
// under a stand-in sbatch, on synthetic data. Task 3 is killed half-way: its
// cells.jsonl is cut to half its bytes (the header, some records, a torn
// one) and it exits 137. The array's merge job, which waits for every task
// however it ended, then fails and names shard 3 and its missing cells.
// Task 3 resubmitted alone as --array=3 (SLURM_ARRAY_TASK_COUNT=1,
// SLURM_ARRAY_TASK_MIN=3) resumes shard 3/4, and its array's merge job
// writes tables byte-identical to a single unsharded run.
func TestSlurmRecipe(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	bin := buildBinary(t)
	ref := filepath.Join(dir, "ref")
	if b, err := exec.Command(bin, "-config", cfg, "-data", data, "-out", ref).CombinedOutput(); err != nil {
		t.Fatalf("single run: %v\n%s", err, b)
	}
	c, err := experiments.LoadConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cells3 := len(c.ShardCells(2, 4))

	// Task 3 of the first array dies half-way through its store.
	killer := filepath.Join(dir, "killer.sh")
	script := `#!/bin/bash
"$REAL_SWEEP" "$@" || exit
if [ "${SLURM_ARRAY_TASK_ID-}" = 3 ]; then
  f=$OUT/shard-3/cells.jsonl
  truncate -s $(($(wc -c <"$f") / 2)) "$f"
  exit 137
fi
`
	if err := os.WriteFile(killer, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report")
	s := newSlurm(t, "CONFIG="+cfg, "DATA="+data, "OUT="+out, "REAL_SWEEP="+bin)
	job, rcs, outs := s.submit("1-4", "SWEEP="+killer)
	for _, id := range []string{"1", "2", "4"} {
		if rc, o := s.task(job, id); rc != "0" {
			t.Fatalf("task %s: exit %s\n%s", id, rc, o)
		}
	}
	if rc, o := s.task(job, "3"); rc != "137" {
		t.Fatalf("task 3 should have been killed: exit %s\n%s", rc, o)
	}
	if n := storedCells(filepath.Join(out, "shard-3")); n < 1 || n >= cells3 {
		t.Fatalf("the cut left %d of shard 3's %d cells; want some but not all", n, cells3)
	}
	if len(rcs) != 1 {
		t.Fatalf("%d merge jobs ran after the first array, want 1", len(rcs))
	}
	if rcs[0] != "1" || !strings.Contains(outs[0], "shard 3/4 ("+filepath.Join(out, "shard-3")+") lacks ") ||
		!strings.Contains(outs[0], "no report is written") {
		t.Fatalf("merge job of an incomplete array: exit %s, want 1 naming shard 3/4:\n%s", rcs[0], outs[0])
	}
	if _, err := os.Stat(filepath.Join(out, "results.csv")); err == nil {
		t.Fatal("an incomplete merge wrote results.csv")
	}

	// Resubmit task 3 alone, with the real binary.
	job, rcs, outs = s.submit("3", "SWEEP="+bin)
	if rc, o := s.task(job, "3"); rc != "0" || !strings.Contains(o, "resuming: ") {
		t.Fatalf("resubmitted task 3: exit %s, want 0 and a resume:\n%s", rc, o)
	}
	if len(rcs) != 1 || rcs[0] != "0" {
		t.Fatalf("merge jobs after the resubmission: exit %v\n%s", rcs, strings.Join(outs, "\n"))
	}
	sameTables(t, ref, out)
}

// TestSlurmSteppedArrays: the array task id is the shard number whatever
// the --array spec. Shards 1 and 3 (--array=1-3:2) and then 2 and 4
// (--array=2-4:2) make the whole sweep; the first merge names the two
// shards still missing, the second writes a single run's tables. Task ids
// outside 1..SHARDS (--array=0-6:2 with SHARDS=4: 0 and 6) are refused
// with the convention spelled out, and do not stop the others.
func TestSlurmSteppedArrays(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	bin := buildBinary(t)
	ref := filepath.Join(dir, "ref")
	if b, err := exec.Command(bin, "-config", cfg, "-data", data, "-out", ref).CombinedOutput(); err != nil {
		t.Fatalf("single run: %v\n%s", err, b)
	}
	out := filepath.Join(dir, "report")
	s := newSlurm(t, "CONFIG="+cfg, "DATA="+data, "OUT="+out, "SWEEP="+bin, "SHARDS=4")
	_, rcs, outs := s.submit("1-3:2")
	if len(rcs) != 1 || rcs[0] != "1" || !strings.Contains(outs[0], "shards 2/4, 4/4 are missing") {
		t.Fatalf("merge after shards 1 and 3: exit %v, want 1 naming shards 2 and 4:\n%s", rcs, strings.Join(outs, "\n"))
	}
	_, rcs, outs = s.submit("2-4:2")
	if len(rcs) != 1 || rcs[0] != "0" {
		t.Fatalf("merge after shards 2 and 4: exit %v\n%s", rcs, strings.Join(outs, "\n"))
	}
	sameTables(t, ref, out)

	s = newSlurm(t, "CONFIG="+cfg, "DATA="+data, "OUT="+filepath.Join(dir, "wide"), "SWEEP="+bin, "SHARDS=4")
	job, _, _ := s.submit("0-6:2")
	for id, want := range map[string]string{
		"0": "SLURM_ARRAY_TASK_ID 0 is not a shard of -shards 4: the array task ids are the shard numbers 1..4",
		"6": "SLURM_ARRAY_TASK_ID 6 is not a shard of -shards 4",
		"2": "", "4": "",
	} {
		rc, o := s.task(job, id)
		if want == "" && rc != "0" || want != "" && (rc != "2" || !strings.Contains(o, want)) {
			t.Errorf("task %s of --array=0-6:2: exit %s, want %q\n%s", id, rc, want, o)
		}
	}
}
