#!/bin/sh
# Worker-pool scaling of configs/fer2013.yaml past two cores: the sweep at
# 1, 2, 4, 8 and 16 workers, 3 runs each, interleaved; prints each run's
# total wall time (ns), manifest.json's wall_seconds and its load stage.
# Usage: bench/workers16.sh SWEEP_BINARY DATA_FILE (run from the repo root).
# bench/workers16.md holds one run's output and what it shows.
sweep=$1
data=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
nproc
grep -m1 "model name" /proc/cpuinfo
for run in 1 2 3; do
  for w in 1 2 4 8 16; do
    rm -rf "$out/r"
    s=$(date +%s%N)
    "$sweep" -q -config configs/fer2013.yaml -data "$data" -workers $w -out "$out/r" > /dev/null || echo "sweep failed"
    e=$(date +%s%N)
    ws=$(grep -o '"wall_seconds": [0-9.]*' "$out/r/manifest.json" | cut -d' ' -f2)
    ld=$(grep -A1 '"Stage": "load"' "$out/r/manifest.json" | grep -o '[0-9.]*$')
    echo "run $run workers $w total_ns $((e - s)) wall_seconds $ws load $ld"
  done
done
