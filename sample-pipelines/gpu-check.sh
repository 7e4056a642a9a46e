#!/usr/bin/env bash
# Trains the digits classifier on the GPU and on the CPU; prints seconds per epoch for both as JSON.
# Exits 3 with a clear message when torch sees no CUDA GPU. Extra args go to common/gpu_check.py
# (--epochs N, --hidden N).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/venv.sh"
exec "$venv/bin/python" "$here/common/gpu_check.py" "$@"
