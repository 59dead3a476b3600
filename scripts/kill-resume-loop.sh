#!/usr/bin/env bash
# Kills a tiny training run with SIGKILL at random moments, N times (default 20), and checks each time that the run
# directory holds either a complete checkpoint from which `trm train --resume RUN_DIR` finishes with the same bytes as
# an uninterrupted run, or (killed before its first evaluation) no checkpoint, in which case --resume must refuse with
# exit 2. Then checks that SIGTERM (what `timeout` sends) saves interrupted/ and exits 143.
# Usage: scripts/kill-resume-loop.sh [N] [WORK_DIR]   (build first: dotnet build -c Release Trm.slnx)
set -u
N=${1:-20}
WORK=${2:-$(mktemp -d /tmp/trm-kill-XXXXXX)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TRM=(dotnet "$ROOT/src/Trm.Cli/bin/Release/net10.0/trm.dll")
# The default preset's generated 4x4 Sudoku, a tiny model, 6 evaluations over 42 steps, one thread.
ARGS=(arch.hidden_size=32 arch.num_heads=2 arch.L_layers=1 arch.expansion=2 epochs=12 eval_interval=2 global_batch_size=256 threads=1)
FILES=(model.pt ema.pt optimizer.pt carry.pt trainer_state.json)
mkdir -p "$WORK" && cd "$WORK" || exit 1

"${TRM[@]}" train "${ARGS[@]}" checkpoint_path="$WORK/whole" > whole.log 2>&1 || { echo "uninterrupted run failed"; tail whole.log; exit 1; }
FINAL=$(ls -d "$WORK"/whole/step_* | tail -1); FINAL=$(basename "$FINAL")
START=$(date +%s.%N); "${TRM[@]}" train "${ARGS[@]}" checkpoint_path="$WORK/timing" > /dev/null 2>&1; END=$(date +%s.%N)
SPAN_MS=$(echo "($END - $START) * 1000 / 1" | bc)
echo "uninterrupted run: $FINAL in ${SPAN_MS} ms; killing $N runs at random moments within it"

same() { for f in "${FILES[@]}"; do cmp -s "$WORK/whole/$FINAL/$f" "$1/$FINAL/$f" || { echo "  $f differs"; return 1; }; done; }
failures=0; resumed=0; empty=0
for i in $(seq 1 "$N"); do
  run="$WORK/k$i"
  "${TRM[@]}" train "${ARGS[@]}" checkpoint_path="$run" > "k$i.log" 2>&1 &
  pid=$!
  sleep "$(echo "scale=3; $((RANDOM % SPAN_MS)) / 1000" | bc)"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  checkpoints=$(find "$run" -maxdepth 2 -name trainer_state.json -not -path '*/.*' 2>/dev/null | wc -l)
  if [ "$checkpoints" -eq 0 ]; then
    "${TRM[@]}" train --resume "$run" > "r$i.log" 2>&1; rc=$?
    if [ -d "$run" ] && [ $rc -ne 2 ]; then echo "run $i: no checkpoint, but --resume exited $rc"; failures=$((failures + 1)); else empty=$((empty + 1)); echo "run $i: killed before the first evaluation (nothing to resume)"; fi
    continue
  fi
  "${TRM[@]}" train --resume "$run" > "r$i.log" 2>&1; rc=$?
  if [ $rc -ne 0 ] || ! same "$run"; then echo "run $i: resume exited $rc or differs"; tail -3 "r$i.log"; failures=$((failures + 1))
  elif ls -a "$run" | grep -q 'partial-\|replaced-'; then echo "run $i: temporaries left"; failures=$((failures + 1))
  else resumed=$((resumed + 1)); echo "run $i: resumed from $(sed -n "s/^resuming from //p" "r$i.log" | xargs basename) to identical bytes"; fi
done

timeout --preserve-status -s TERM "$(echo "scale=3; $SPAN_MS / 2000" | bc)" "${TRM[@]}" train "${ARGS[@]}" checkpoint_path="$WORK/term" > term.log 2>&1; rc=$?
if [ $rc -eq 143 ] && [ -f "$WORK/term/interrupted/trainer_state.json" ] && "${TRM[@]}" train --resume "$WORK/term" > term-r.log 2>&1 && same "$WORK/term"; then
  echo "SIGTERM: exit 143, interrupted/ saved, resumed to identical bytes"
else echo "SIGTERM: exit $rc, or no interrupted/, or the resume differs"; failures=$((failures + 1)); fi
echo "$N kills: $resumed resumed identically, $empty before any checkpoint, $failures failures (work: $WORK)"
[ $failures -eq 0 ]
