#!/bin/sh
# Issue 13's seed-axis target: BenchmarkSweepFER2013Seeds (configs/fer2013.yaml
# with grid.seed=[1,2,3], 1,320 cells) against BenchmarkSweepFER2013 (the
# single-seed 440 cells), one run each per pair, interleaved and in
# alternating order so that a load from elsewhere falls on both.
# Usage: FER2013_CSV=... bench/seeds.sh [PAIRS] (run from the repo root;
# default 9 pairs). bench/seeds.md holds one run's output and its medians.
set -e
pairs=${1:-9}
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" ./cmd/sweep
cd cmd/sweep
i=1
while [ "$i" -le "$pairs" ]; do
  if [ $((i % 2)) = 1 ]; then order='SweepFER2013$ SweepFER2013Seeds$'; else order='SweepFER2013Seeds$ SweepFER2013$'; fi
  for b in $order; do
    "$bin" -test.run '^$' -test.bench "$b" -test.benchmem -test.benchtime 1x -test.count 1 | grep -E '^Benchmark|FAIL|_test.go'
  done
  uptime
  i=$((i + 1))
done
