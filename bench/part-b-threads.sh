#!/usr/bin/env bash
# Issue 23: the automatic thread choice against fixed 1 and 2 threads over whole epochs of part b (not only the
# calibration's steps). Runs `samples/Cifar10 -- b --epochs N` with Fit's automatic choice, then --threads 1, then
# --threads 2, for the given number of rounds (interleaved, so a passing load touches all alike), and prints each run's
# mean seconds per epoch, wall time, the count it ran on and whether the re-check before epoch 2 changed it.
# Usage: bench/part-b-threads.sh [rounds] [epochs]   (default 2 rounds of 10 epochs; needs DSLNET_DATA or ../shared/datasets)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-2}"
epochs="${2:-10}"
data="${DSLNET_DATA:-$root/../shared/datasets}"
work="$(mktemp -d /tmp/dslnet-part-b-threads.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$root"
dotnet build -c Release samples/Cifar10 > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
echo "| round | threads | s per epoch | wall (s) | ran on | re-check |"
echo "| ---: | --- | ---: | ---: | ---: | --- |"
for round in $(seq 1 "$rounds"); do
  for t in auto 1 2; do
    arg=(); [ "$t" != auto ] && arg=(--threads "$t")
    out="$work/$t-$round"
    start=$(date +%s.%N)
    dotnet run -c Release --no-build --project samples/Cifar10 -- b --epochs "$epochs" "${arg[@]}" --data "$data" --quiet --out "$out" > "$out.log" 2>&1
    end=$(date +%s.%N)
    perEpoch=$(grep 'kept model' "$out.log" | sed 's/.*; \([0-9.]*\) s\/epoch.*/\1/')
    ranOn=$(grep -o '"threads":[0-9]*' "$out/b/result.json" | cut -d: -f2)
    recheck=$(grep -ao 'threads re-checked[^)]*)' "$out.log" || true)
    [ -z "$recheck" ] && { [ "$t" = auto ] && recheck="kept" || recheck="—"; }
    echo "| $round | $t | $perEpoch | $(echo "$end - $start" | bc) | $ranOn | $recheck |"
  done
done
