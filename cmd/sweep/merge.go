package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"sweep/experiments"
	"sweep/experiments/store"
	"sweep/internal/dirlock"
	"sweep/report"
	"sweep/runner"
)

// runMerge combines the results stores of shard directories into one
// report, the same a single run writes.
func runMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", stdout, stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: sweep merge [-out DIR] [-data FILE] SHARD_DIR...\n\nCombines the shards of a sweep (sweep -shard i/N) into one report.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	outDir := fs.String("out", "", "report `directory` (default: report.dir of the shards' config)")
	dataPath := fs.String("data", "", "data `file` (default: the path the shards read)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		return usageError{errors.New("merge: name the shard directories")}
	}
	type shard struct {
		dir string
		h   store.Header
		st  *store.Shard
	}
	var shards []shard
	for _, d := range dirs {
		st, err := store.Read(d)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		shards = append(shards, shard{d, st.Header, st})
	}
	first := shards[0]
	seen := map[int]string{}
	for _, s := range shards {
		if s.h.Fingerprint != first.h.Fingerprint {
			return fmt.Errorf("merge: %s comes from another config or data than %s (fingerprint %.12s, not %.12s)",
				s.dir, first.dir, s.h.Fingerprint, first.h.Fingerprint)
		}
		if s.h.Shards != first.h.Shards {
			return fmt.Errorf("merge: %s is shard %d of %d, %s is of %d", s.dir, s.h.Shard+1, s.h.Shards, first.dir, first.h.Shards)
		}
		if d, dup := seen[s.h.Shard]; dup {
			return fmt.Errorf("merge: %s and %s are both shard %d/%d", d, s.dir, s.h.Shard+1, s.h.Shards)
		}
		seen[s.h.Shard] = s.dir
	}
	if err := missingShards(seen, first.h.Shards); err != nil {
		return err
	}
	cfg := first.h.Config
	if *dataPath != "" {
		cfg.Data.Path = *dataPath
	}
	dir := cfg.Report.Dir
	if *outDir != "" {
		dir = *outDir
	}
	lock, err := dirlock.Acquire(dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	start := time.Now()
	data, err := loadData(ctx, cfg.Data, stderr)
	if err != nil {
		return err
	}
	if data.SHA256 != first.h.DataSHA256 {
		return fmt.Errorf("merge: %s has sha256 %.12s, the shards read %.12s", data.Name, data.SHA256, first.h.DataSHA256)
	}
	loadSec := time.Since(start).Seconds()
	sw, err := experiments.NewSweep(cfg, data)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	results := make([]*experiments.Result, len(sw.Cells))
	from := make([]string, len(sw.Cells))
	for _, s := range shards {
		warnings, err := store.Records(sw, s.st, s.dir, results, from)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		for _, w := range append(s.st.Warnings, warnings...) {
			fmt.Fprintf(stderr, "sweep: merge: %s\n", w)
		}
	}
	failed := 0
	for _, r := range results {
		if r != nil && r.Failed != "" {
			failed++
		}
	}
	if err := missingCells(cfg, sw.Cells, results, seen, first.h.Shards); err != nil {
		return err
	}
	info := report.ReportInfo{ConfigFile: "(merged from " + strings.Join(dirs, ", ") + ")", Workers: runner.Workers(cfg.Workers),
		Started: start, Wall: time.Since(start), LoadSeconds: loadSec}
	if err := report.WriteReport(ctx, dir, sw, results, info); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "report: %s (%d cells from %d shards)\n", dir, len(results), len(shards))
	if failed > 0 {
		return fmt.Errorf("%d of %d cells failed (see the note column of %s)", failed, len(results), filepath.Join(dir, "results.csv"))
	}
	return nil
}

// missingShards names every shard of n that no directory holds.
func missingShards(seen map[int]string, n int) error {
	var miss []string
	for i := range n {
		if _, ok := seen[i]; !ok {
			miss = append(miss, fmt.Sprintf("%d/%d", i+1, n))
		}
	}
	switch len(miss) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("merge: shard %s is missing; run it, then merge again", miss[0])
	}
	return fmt.Errorf("merge: shards %s are missing; run them, then merge again", strings.Join(miss, ", "))
}

// missingCells names, shard by shard, the cells that no store holds: a
// shard that was killed or pre-empted before it finished. Its rerun
// resumes from its cells.jsonl.
func missingCells(cfg experiments.Config, cells []experiments.Cell, results []*experiments.Result, dirs map[int]string, n int) error {
	var lines []string
	total := 0
	for i := range n {
		mine := cfg.ShardCells(i, n)
		var keys []string
		for _, c := range mine {
			if results[c] == nil {
				keys = append(keys, cells[c].Key())
			}
		}
		if len(keys) == 0 {
			continue
		}
		total += len(keys)
		list := strings.Join(keys[:min(len(keys), 5)], ", ")
		if len(keys) > 5 {
			list += ", ..."
		}
		lines = append(lines, fmt.Sprintf("shard %d/%d (%s) lacks %d of its %d cells: %s", i+1, n, dirs[i], len(keys), len(mine), list))
	}
	if total == 0 {
		return nil
	}
	return fmt.Errorf("merge: %d of %d cells are missing, so no report is written:\n\t%s\nrun those shards again (each resumes from its cells.jsonl), then merge again",
		total, len(cells), strings.Join(lines, "\n\t"))
}
