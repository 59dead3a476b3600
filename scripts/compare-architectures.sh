#!/usr/bin/env bash
# The TRM paper's comparison at CPU scale: trains TRM, HRM and the ablations on the same generated 4x4 Sudoku data
# (the default run's: 1000 training puzzles x 8, 1000 held-out test puzzles) with the same step budget, batch and seeds,
# and prints parameters, held-out exact accuracy per seed, their mean with a 95 % Wilson interval (over all seeds' test
# puzzles together) and the mean wall time per run. Every row is the default run's configuration (sudoku4-cpu: hidden
# 128, T=2, n=2, halt_max_steps 4) changed only where the row says.
#
#   scripts/compare-architectures.sh [--epochs 48] [--seeds "0 1"] [--rows "trm-att trm-mlp ..."] [--out runs/compare] [--threads N]
#
# --threads sets libtorch's threads per run (default: all cores); 1 leaves the other cores free for other work.
# Needs `trm` on the PATH (README, command 1) or TRM="dotnet path/to/trm.dll". Re-running skips finished runs.
set -euo pipefail

epochs=48 seeds="0 1" out=runs/compare threads=0
rows="trm-att trm-mlp act-continue no-ema single-z six-latents hrm baseline"
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "unknown flag '$1' (flags: --epochs N, --seeds \"0 1\", --rows \"trm-att hrm ...\", --out DIR, --threads N)" >&2; exit 2 ;;
  esac
done
read -r -a trm <<< "${TRM:-trm}"
mkdir -p "$out"
out=$(cd "$out" && pwd)
data="$out/data/sudoku4-1k-aug-7"

# The arch section of each row: the fields every row shares, then its own. TRM rows keep the default run's arch and
# change one field; HRM and the baseline take the layer counts of their reference configs (scaled to this width).
shared_arch() {   # $1 name
  cat <<YAML
arch:
  name: $1
  loss: {name: losses@ACTLossHead, loss_type: stablemax_cross_entropy}
  halt_exploration_prob: 0.1
  halt_max_steps: 4
  hidden_size: 128
  num_heads: 4
  expansion: 4
  puzzle_emb_ndim: 0
  forward_dtype: float32
YAML
}
trm_arch() {   # $1 name, $2 mlp_t, $3 pos_encodings, $4 no_ACT_continue
  shared_arch "$1"
  printf '  H_cycles: 2\n  L_cycles: 2\n  H_layers: 0\n  L_layers: 2\n  puzzle_emb_len: 0\n  pos_encodings: %s\n  mlp_t: %s\n  no_ACT_continue: %s\n' "$3" "$2" "$4"
}
arch_of() {
  case "$1" in
    trm-att|no-ema) trm_arch trm false rope true ;;
    trm-mlp) trm_arch trm true none true ;;
    act-continue) trm_arch trm false rope false ;;
    single-z) trm_arch trm_singlez false rope true ;;
    six-latents) trm_arch trm_hier6 false rope true ;;
    hrm) shared_arch hrm
      printf '  H_cycles: 2\n  L_cycles: 2\n  H_layers: 4\n  L_layers: 4\n  pos_encodings: rope\n  mlp_t: false\n' ;;
    baseline) shared_arch transformers_baseline
      printf '  H_cycles: 1\n  H_layers: 4\n  pos_encodings: rope\n  act_enabled: true\n  act_inference: false\n' ;;
    *) echo "unknown row '$1' (rows: trm-att trm-mlp act-continue no-ema single-z six-latents hrm baseline)" >&2; exit 2 ;;
  esac
}
label_of() {
  case "$1" in
    trm-att) echo "TRM, self-attention (default run)" ;;
    trm-mlp) echo "TRM, mlp_t" ;;
    act-continue) echo "TRM w/ ACT (Q-continue loss)" ;;
    no-ema) echo "TRM, no EMA" ;;
    single-z) echo "TRM, single z" ;;
    six-latents) echo "TRM, six latents (trm_hier6)" ;;
    hrm) echo "HRM (4 + 4 layers)" ;;
    baseline) echo "Transformer baseline (4 layers)" ;;
  esac
}
for row in $rows; do arch_of "$row" > /dev/null; done   # unknown rows fail before anything runs

if [ ! -d "$data" ]; then
  echo "generating the default run's data in $data"
  "${trm[@]}" data generate-sudoku --size 4 --train 1000 --test 1000 --seed 0 --out "$out/data/csv" > /dev/null
  "${trm[@]}" data sudoku --input "$out/data/csv" --out "$data" --num-aug 7 --seed 0 > /dev/null
fi

for row in $rows; do
  for seed in $seeds; do
    run="$out/$row-seed$seed"
    [ -f "$run/done" ] && continue
    rm -rf "$run"
    mkdir -p "$out/configs"
    config="$out/configs/$row.yaml"
    { arch_of "$row"; cat <<YAML; } > "$config"
data_paths: [$data]
evaluators: []
global_batch_size: 64
epochs: $epochs
eval_interval: $epochs
checkpoint_every_eval: false
lr: 1.0e-3
lr_min_ratio: 1.0
lr_warmup_steps: 100
beta1: 0.9
beta2: 0.95
weight_decay: 0.1
puzzle_emb_weight_decay: 0.1
puzzle_emb_lr: 1.0e-2
seed: $seed
min_eval_interval: 0
ema: $([ "$row" = no-ema ] && echo false || echo true)
ema_rate: 0.99
freeze_weights: false
device: cpu
threads: $threads
YAML
    echo "training $row, seed $seed ($epochs epochs)"
    start=$(date +%s.%N)
    "${trm[@]}" train --config "$config" checkpoint_path="$run" > "$out/$row-seed$seed.log"
    end=$(date +%s.%N)
    echo "$start $end" | awk '{printf "%.1f\n", $2 - $1}' > "$run/wall_seconds"
    touch "$run/done"
  done
done

# One line per row: label, parameters, per-seed exact accuracy, mean, 95 % Wilson interval over all test puzzles, wall time.
printf '\n| %-34s | %10s | %-22s | %6s | %-15s | %9s |\n' "row" "parameters" "exact accuracy by seed" "mean" "95 % interval" "wall time"
printf '| %s | %s | %s | %s | %s | %s |\n' "$(printf -- '-%.0s' {1..34})" "----------" "----------------------" "------" "---------------" "---------"
for row in $rows; do
  params=$(sed -n 's/^model: \([0-9,]*\) parameters.*/\1/p' "$out/$row-seed${seeds%% *}.log")
  stats=""
  for seed in $seeds; do
    line=$(grep '"split":"all"' "$out/$row-seed$seed/metrics.jsonl" | tail -1)
    exact=$(sed -E 's/.*"exact_accuracy":([-0-9.eE+]+).*/\1/' <<< "$line")
    count=$(sed -E 's/.*"count":([-0-9.eE+]+).*/\1/' <<< "$line")
    stats="$stats $exact $count $(cat "$out/$row-seed$seed/wall_seconds")"
  done
  awk -v label="$(label_of "$row")" -v params="$params" -v stats="$stats" 'BEGIN {
    n = split(stats, s, " "); seeds = n / 3; z = 1.959964
    for (i = 1; i <= n; i += 3) { acc = s[i]; cnt = s[i + 1]; correct += acc * cnt; total += cnt; wall += s[i + 2]; list = list sprintf("%s%.1f", (i > 1 ? " / " : ""), 100 * acc) }
    p = correct / total; d = 1 + z * z / total
    c = (p + z * z / (2 * total)) / d; h = z * sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / d
    printf "| %-34s | %10s | %-22s | %5.1f%% | %5.1f - %5.1f %% | %7.0f s |\n", label, params, list, 100 * p, 100 * (c - h), 100 * (c + h), wall / seeds
  }'
done
