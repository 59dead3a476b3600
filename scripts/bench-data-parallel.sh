#!/usr/bin/env bash
# Data-parallel training measured on this machine: for each model, `trm train` in one process with all cores and as an
# mpirun job of 2 ranks (cores shared out), same global batch and steps, no evaluation. Prints examples per second, and for
# 2 ranks the bytes each rank all-reduces per step, the exchange's time per step, its share of a training step, and the
# time a rank waits for the slower one before the exchange (load imbalance, not transfer).
#   scripts/bench-data-parallel.sh [--epochs-small 8] [--epochs-paper 1] [--out runs/bench-dp]
# Models: the default run's (0.5M parameters, 4x4 Sudoku, batch 64) and the paper's Sudoku model with attention
# (sudoku-att: 7M parameters, 9x9 Sudoku, float32, batch 32 here instead of 768 so that a CPU runs a few steps).
# Needs `trm` on the PATH (or TRM="dotnet path/to/trm.dll") and Open MPI (apt install openmpi-bin libopenmpi-dev).
set -euo pipefail
small=8 paper=1 out=runs/bench-dp
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs-small) small=$2; shift 2 ;;
    --epochs-paper) paper=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown flag '$1' (flags: --epochs-small N, --epochs-paper N, --out DIR)" >&2; exit 2 ;;
  esac
done
read -r -a trm <<< "${TRM:-trm}"
mkdir -p "$out" && out=$(cd "$out" && pwd)
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cores=$(nproc)

if [ ! -d "$out/sudoku4" ]; then
  "${trm[@]}" data generate-sudoku --size 4 --train 1000 --test 10 --seed 0 --out "$out/sudoku4-csv" > /dev/null
  "${trm[@]}" data sudoku --input "$out/sudoku4-csv" --out "$out/sudoku4" --num-aug 7 --seed 0 > /dev/null
fi
if [ ! -d "$out/sudoku9" ]; then
  "${trm[@]}" data generate-sudoku --size 9 --train 256 --test 10 --seed 0 --out "$out/sudoku9-csv" > /dev/null
  "${trm[@]}" data sudoku --input "$out/sudoku9-csv" --out "$out/sudoku9" --num-aug 0 --seed 0 > /dev/null
fi

# $1 label, $2 run name, then trm train arguments. No evaluation (min_eval_interval past the end), so nothing but steps is timed.
measure() {
  local label=$1 name=$2; shift 2
  rm -rf "$out/$name-1" "$out/$name-2"
  "${trm[@]}" train "$@" threads="$cores" min_eval_interval=100000 checkpoint_path="$out/$name-1" > "$out/$name-1.log"
  mpirun --oversubscribe -np 2 "${trm[@]}" train "$@" threads=$((cores / 2 > 0 ? cores / 2 : 1)) min_eval_interval=100000 \
    checkpoint_path="$out/$name-2" > "$out/$name-2.log"
  local one two exchange
  one=$(sed -n 's/^training steps: \([0-9]*\) in .*, \([0-9.]*\) examples\/s.*/\2/p' "$out/$name-1.log")
  two=$(sed -n 's/^training steps: \([0-9]*\) in .*, \([0-9.]*\) examples\/s.*/\2/p' "$out/$name-2.log")
  exchange=$(sed -n 's/^gradient exchange: \(.*\) MB per step and rank in \(.*\) ms, \(.*\) of the training steps; waiting for the slowest rank \(.*\) ms/\1 MB | \2 ms | \3 | \4 ms/p' "$out/$name-2.log")
  printf '| %-40s | %12s | %12s | %s |\n' "$label" "$one" "$two" "$exchange"
}

echo "processor: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $cores cores"
printf '| %-40s | %12s | %12s | %s |\n' "model" "1 proc. ex/s" "2 ranks ex/s" "exchange bytes | exchange time | share of step | waiting for the slowest rank"
printf '| %s | %s | %s | %s |\n' "----------------------------------------" "------------" "------------" "--- | --- | --- | ---"
measure "default run (0.5M, 4x4 Sudoku, batch 64)" small --config sudoku4-cpu data_paths="[$out/sudoku4]" epochs="$small" eval_interval="$small"
measure "paper's Sudoku att (7M, 9x9, batch 32)" paper --config sudoku-att data_paths="[$out/sudoku9]" epochs="$paper" eval_interval="$paper" \
  global_batch_size=32 arch.forward_dtype=float32 lr_warmup_steps=1 device=cpu
echo "examples per second over the training steps (evaluations excluded); logs in $out"
