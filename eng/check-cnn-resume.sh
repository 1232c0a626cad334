#!/usr/bin/env bash
# The cnn sample killed with SIGKILL inside epochs 2, 3 and 4 and resumed from its backup each time must end with the
# same weights (bit for bit) and the same history (all but the seconds) as an uninterrupted run with the same threads.
# A few minutes on 2 cores (4,000 training images, 4 epochs); not part of CI. Usage: bash eng/check-cnn-resume.sh [DATA]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-${DSLNET_DATA:-../shared/datasets}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(cnn --data "$data" --train-size 4000 --epochs 4 --threads 2)
dotnet build samples/Cifar10 -c Release -nologo -v quiet
run() { dotnet run -c Release --project samples/Cifar10 --no-build -- "${args[@]}" "$@"; }

run --quiet --out "$work/uninterrupted" > "$work/uninterrupted.log" 2>&1
for epoch in 2 3 4; do
  setsid dotnet run -c Release --project samples/Cifar10 --no-build -- "${args[@]}" --out "$work/killed" --backup "$work/backup" > "$work/part.log" 2>&1 &
  pid=$!
  until grep -q "Epoch $epoch/4" "$work/part.log" || ! kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
  sleep $((RANDOM % 4 + 1))
  if kill -0 "$pid" 2>/dev/null; then kill -9 -- "-$pid"; echo "killed in epoch $epoch"; fi
  wait "$pid" 2>/dev/null || true
  grep -a "Resuming" "$work/part.log" || true
done
run --out "$work/killed" --backup "$work/backup" > "$work/last.log" 2>&1
grep -a "Resuming" "$work/last.log" || true
cmp "$work/uninterrupted/cnn/ConvNet.weights" "$work/killed/cnn/ConvNet.weights" && echo "weights: bit-identical"
diff <(cut -d, -f1-6 "$work/uninterrupted/cnn/ConvNet.history.csv") <(cut -d, -f1-6 "$work/killed/cnn/ConvNet.history.csv") && echo "history: identical"
