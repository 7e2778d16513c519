package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// resolveShard returns the 0-based shard index and the shard count. The
// count comes only from the command line: -shard i/N, or -shards N with the
// index taken from the scheduler: a Slurm job array's SLURM_ARRAY_TASK_ID,
// which is the 1-based shard number whatever the --array spec (a stepped
// --array=1-7:2, or --array=3 resubmitting one task, whose
// SLURM_ARRAY_TASK_COUNT is 1), or a Kubernetes Indexed Job's 0-based
// JOB_COMPLETION_INDEX. The array's task count is never used. With neither
// flag the run is shard 0 of 1.
func resolveShard(flagValue string, shardsFlag int, getenv func(string) string) (int, int, error) {
	atoi := func(name, v string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not an integer", name, v)
		}
		return n, nil
	}
	if shardsFlag < 0 {
		return 0, 0, fmt.Errorf("-shards: %d is not a shard count", shardsFlag)
	}
	if flagValue != "" {
		a, b, ok := strings.Cut(flagValue, "/")
		if !ok {
			return 0, 0, fmt.Errorf("-shard: %q is not i/N", flagValue)
		}
		i, err := atoi("-shard", a)
		if err != nil {
			return 0, 0, err
		}
		n, err := atoi("-shard", b)
		if err != nil {
			return 0, 0, err
		}
		if n < 1 || i < 1 || i > n {
			return 0, 0, fmt.Errorf("-shard: shard %d of %d is out of range", i, n)
		}
		if shardsFlag > 0 && shardsFlag != n {
			return 0, 0, fmt.Errorf("-shard %s and -shards %d disagree on the shard count", flagValue, shardsFlag)
		}
		return i - 1, n, nil
	}
	if shardsFlag == 0 {
		return 0, 1, nil
	}
	n := shardsFlag
	slurm, k8s := getenv("SLURM_ARRAY_TASK_ID"), getenv("JOB_COMPLETION_INDEX")
	switch {
	case slurm != "" && k8s != "":
		return 0, 0, errors.New("-shards: both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set; use -shard i/N")
	case slurm != "":
		id, err := atoi("SLURM_ARRAY_TASK_ID", slurm)
		if err != nil {
			return 0, 0, err
		}
		if id < 1 || id > n {
			return 0, 0, fmt.Errorf("SLURM_ARRAY_TASK_ID %d is not a shard of -shards %d: the array task ids are the shard numbers 1..%d (sbatch --array=1-%d)", id, n, n, n)
		}
		return id - 1, n, nil
	case k8s != "":
		idx, err := atoi("JOB_COMPLETION_INDEX", k8s)
		if err != nil {
			return 0, 0, err
		}
		if idx < 0 || idx >= n {
			return 0, 0, fmt.Errorf("JOB_COMPLETION_INDEX %d is not a shard of -shards %d: the indexes are 0..%d (completions: %d)", idx, n, n-1, n)
		}
		return idx, n, nil
	}
	return 0, 0, errors.New("-shards needs SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); use -shard i/N otherwise")
}
