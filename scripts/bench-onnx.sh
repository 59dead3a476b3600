#!/usr/bin/env bash
# ONNX Runtime against TorchSharp on this machine, printed as tables (docs/onnx.md, "Measurements"):
#  1. `trm bench onnx`: solving throughput at batch 1, 16 and 256 for the default run's model (sudoku4-cpu) and the paper's
#     Sudoku model (sudoku-mlp: hidden 512, 9x9, seq 81), random weights, float32 in both engines, side by side in one process;
#     then cold start, a fresh `trm solve --onnx` / `--checkpoint` process to its answer (median of three).
#  2. What a solver's folder weighs: `dotnet publish` of examples/SolveWithOnnx (ONNX Runtime only) against that of `trm`
#     (TorchSharp: libtorch's libraries counted apart).
#   scripts/bench-onnx.sh [--seconds 5] [--steps 4] [--out runs/bench-onnx] [-- more `trm bench onnx` flags, e.g. --model default --batch 1 16]
# Run it on a quiet machine; it builds Release outputs under --out.
set -euo pipefail
seconds=5 steps=4 out=runs/bench-onnx extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown flag '$1' (flags: --seconds S, --steps N, --out DIR, -- trm bench onnx flags)" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out" && out=$(cd "$out" && pwd)

dotnet publish "$root/src/Trm.Cli" -c Release -o "$out/trm" -nologo -v q > "$out/publish-trm.log"
dotnet publish "$root/examples/SolveWithOnnx" -c Release -o "$out/solve-with-onnx" -nologo -v q > "$out/publish-example.log"

dotnet "$out/trm/trm.dll" bench onnx --seconds "$seconds" --steps "$steps" "${extra[@]}"

mib() { du -sk "$@" | awk '{ s += $1 } END { printf "%.1f MiB", s / 1024 }'; }
echo
echo "| published folder | size | of which native engine |"
echo "| --- | ---: | ---: |"
echo "| examples/SolveWithOnnx (ONNX Runtime) | $(mib "$out/solve-with-onnx") | $(mib "$out"/solve-with-onnx/libonnxruntime*.so*) |"
echo "| trm (TorchSharp, the CLI with every command) | $(mib "$out/trm") | $(mib "$out"/trm/libtorch*.so* "$out"/trm/libc10*.so* "$out"/trm/libLibTorchSharp*.so* "$out"/trm/libgomp*.so* 2>/dev/null) |"
