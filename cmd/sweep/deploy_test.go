package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

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

// job is the part of a Kubernetes Job manifest that the tests run.
type job struct {
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Template       struct {
			Spec struct {
				Containers []struct {
					Command []string `yaml:"command"`
					Args    []string `yaml:"args"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

func readJob(t *testing.T, path string) job {
	t.Helper()
	var j job
	if err := yaml.Unmarshal([]byte(mustRead(t, path)), &j); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(j.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", path, len(j.Spec.Template.Spec.Containers))
	}
	return j
}

// TestKubernetesRecipe runs the pods of deploy/kubernetes/sweep-job.yaml,
// an Indexed Job, as Kubernetes would: the binary (named sweep, on PATH)
// with the manifest's args, $(JOB_COMPLETION_INDEX) expanded and set in
// the environment, the volume's /work a temporary folder holding synthetic
// data under the manifest's names. Index 2's pod is evicted half-way (its
// store cut to half its bytes); merge-job.yaml then fails naming shard 3/4
// and writes no report. The retried index resumes, and merge-job.yaml
// writes tables byte-identical to a single unsharded run.
func TestKubernetesRecipe(t *testing.T) {
	sweepJob := readJob(t, filepath.Join("..", "..", "deploy", "kubernetes", "sweep-job.yaml"))
	mergeJob := readJob(t, filepath.Join("..", "..", "deploy", "kubernetes", "merge-job.yaml"))
	n := sweepJob.Spec.Completions
	pod := sweepJob.Spec.Template.Spec.Containers[0]
	if sweepJob.Spec.CompletionMode != "Indexed" || n < 3 || !slices.Contains(pod.Args, "-shards="+strconv.Itoa(n)) {
		t.Fatalf("sweep-job.yaml: completionMode %q, completions %d, args %q; want Indexed, at least 3 and -shards=completions",
			sweepJob.Spec.CompletionMode, n, pod.Args)
	}
	merge := mergeJob.Spec.Template.Spec.Containers[0]
	if !slices.Equal(merge.Command, []string{"/bin/sh", "-c"}) || len(merge.Args) != 1 {
		t.Fatalf("merge-job.yaml: command %q args %q; want /bin/sh -c and one line", merge.Command, merge.Args)
	}

	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	data := writeSynthetic(t, dir, 30, 8)
	for _, f := range []struct{ name, body string }{
		{"configs/fer2013.yaml", syntheticGrid},
		{"data/fer2013.csv.gz", gzipped(t, mustRead(t, data))},
	} {
		p := filepath.Join(work, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := buildBinary(t)
	ref := filepath.Join(dir, "ref")
	if b, err := exec.Command(bin, "-config", filepath.Join(work, "configs/fer2013.yaml"), "-data", filepath.Join(work, "data/fer2013.csv.gz"), "-out", ref).CombinedOutput(); err != nil {
		t.Fatalf("single run: %v\n%s", err, b)
	}
	env := append(os.Environ(), "PATH="+filepath.Dir(bin)+string(filepath.ListSeparator)+os.Getenv("PATH"))
	runPod := func(index int) (string, error) {
		idx := strconv.Itoa(index)
		var args []string
		for _, a := range pod.Args {
			args = append(args, strings.ReplaceAll(strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", idx), "/work/", work+"/"))
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(env, "JOB_COMPLETION_INDEX="+idx)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	runMerge := func() (string, error) {
		cmd := exec.Command("/bin/sh", "-c", strings.ReplaceAll(merge.Args[0], "/work/", work+"/"))
		cmd.Env = env
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	for i := range n {
		if out, err := runPod(i); err != nil {
			t.Fatalf("index %d: %v\n%s", i, err, out)
		}
	}
	shard := filepath.Join(work, "reports", "fer2013", "shard-2")
	st := filepath.Join(shard, "cells.jsonl")
	fi, err := os.Stat(st)
	if err != nil {
		t.Fatal(err)
	}
	all := storedCells(shard)
	if err := os.Truncate(st, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	if m := storedCells(shard); m < 1 || m >= all {
		t.Fatalf("the cut left %d of index 2's %d cells; want some but not all", m, all)
	}
	out, err := runMerge()
	if err == nil || !strings.Contains(out, fmt.Sprintf("shard 3/%d (%s) lacks ", n, shard)) || !strings.Contains(out, "no report is written") {
		t.Fatalf("merge with index 2 half done: %v, want a failure naming shard 3/%d:\n%s", err, n, out)
	}
	if out, err := runPod(2); err != nil || !strings.Contains(out, "resuming: ") {
		t.Fatalf("retried index 2: %v, want a resume:\n%s", err, out)
	}
	if out, err := runMerge(); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	sameTables(t, ref, filepath.Join(work, "reports", "fer2013"))
}

func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
