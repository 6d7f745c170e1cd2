#!/usr/bin/env bash
# The one prepared check for a machine with an NVIDIA GPU, run from a clean checkout in a few
# minutes: the machine's own CuPy (cupy-cuda12x or cupy-cuda13x) and PyTorch, nothing installed.
#   bash benchmarks/gpu_check.sh [OUT_DIR]        (or NDGRAD_GPU_OUT=DIR; default ./gpu-check)
# Writes OUT_DIR/check.log (versions, the GPU test run, the benchmark table), results.json and
# the benchmark plots. Each step has a time cap, so the whole script stays under 8 minutes.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-${NDGRAD_GPU_OUT:-gpu-check}}"
mkdir -p "$OUT"
LOG="$OUT/check.log"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"      # ndgrad and reference/ from this checkout
PY="${PYTHON:-python3}"

{
  echo "== machine"
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || true
  "$PY" - <<'EOF'
import importlib
for name in ("numpy", "cupy", "torch", "hypothesis", "pytest", "safetensors", "matplotlib", "tqdm", "PIL"):
    try:
        print(f"{name:12}", importlib.import_module(name).__version__)
    except Exception as e:                 # a missing package is reported, not fatal
        print(f"{name:12} missing ({type(e).__name__})")
import ndgrad
print("ndgrad sees a GPU:", ndgrad.cuda.is_available(), "| devices:", ndgrad.cuda.device_count())
EOF

  echo "== the GPU test suite (pytest -m gpu), capped at 5 minutes"
  timeout 300 "$PY" -m pytest -m gpu -x -q -p no:cacheprovider 2>&1 | tail -n 40
  echo "pytest exit status: ${PIPESTATUS[0]}"

  echo "== the benchmark suite on every backend (--quick), capped at 2 minutes"
  timeout 120 "$PY" benchmarks/run.py --device all --quick --out "$OUT" 2>&1 | grep -v "it/s\]" | tail -n 60
  echo "benchmark exit status: ${PIPESTATUS[0]}"
} 2>&1 | tee "$LOG"
