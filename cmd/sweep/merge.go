package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sweep/experiments"
	"sweep/runner"
)

// runMerge combines the results stores of shard directories into one
// report, the same a single run writes.
func runMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: sweep merge [-out DIR] [-data FILE] SHARD_DIR...\n\nCombines the shards of a sweep (sweep -shard i/N) into one report.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	outDir := fs.String("out", "", "report `directory` (default: report.dir of the shards' config)")
	dataPath := fs.String("data", "", "data `file` (default: the path the shards read)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		return usageError{errors.New("merge: name the shard directories")}
	}
	type shard struct {
		dir string
		h   experiments.StoreHeader
	}
	var shards []shard
	for _, d := range dirs {
		h, _, err := experiments.ReadStore(d)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		shards = append(shards, shard{d, h})
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
	for i := 0; i < first.h.Shards; i++ {
		if _, ok := seen[i]; !ok {
			return fmt.Errorf("merge: shard %d/%d is missing", i+1, first.h.Shards)
		}
	}
	cfg := first.h.Config
	if *dataPath != "" {
		cfg.Data.Path = *dataPath
	}
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
		_, recs, err := experiments.ReadStore(s.dir)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		if err := sw.Records(recs, s.dir, results, from); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	var missing []string
	failed := 0
	for i, r := range results {
		switch {
		case r == nil:
			missing = append(missing, sw.Cells[i].Key())
		case r.Failed != "":
			failed++
		}
	}
	if len(missing) > 0 {
		list := strings.Join(missing[:min(len(missing), 5)], ", ")
		if len(missing) > 5 {
			list += ", ..."
		}
		return fmt.Errorf("merge: %d cells missing: %s (rerun their shards to finish them)", len(missing), list)
	}
	dir := cfg.Report.Dir
	if *outDir != "" {
		dir = *outDir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create report directory: %w", err)
	}
	info := experiments.ReportInfo{ConfigFile: "(merged from " + strings.Join(dirs, ", ") + ")", Workers: runner.Workers(cfg.Workers),
		Started: start, Wall: time.Since(start), LoadSeconds: loadSec}
	if err := experiments.WriteReport(ctx, dir, sw, results, info); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "report: %s (%d cells from %d shards)\n", dir, len(results), len(shards))
	if failed > 0 {
		return fmt.Errorf("%d of %d cells failed (see the note column of %s)", failed, len(results), filepath.Join(dir, "results.csv"))
	}
	return nil
}
