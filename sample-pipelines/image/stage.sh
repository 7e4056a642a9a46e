#!/usr/bin/env bash
# Stages the sample-pipelines image, cnai.local/sample-pipelines:0.1.0, from what this machine has:
# its Python 3.11, the locked environment (requirements.txt, built by venv.sh), the shared libraries
# both load (their ldd closure, with the dynamic loader) and the samples. Nothing is pulled.
# Prints the path of the image file it writes, for `cnai images build|push`.
#
#   bash sample-pipelines/image/stage.sh            # -> .../image.yaml on stdout, progress on stderr
#
# The staging folder lives under ${XDG_CACHE_HOME:-~/.cache}/cnai/images/stage/, keyed by the lock
# file's and the Python's hashes; the libraries are found once per key (about a minute).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/venv.sh"
base_prefix="$("$venv/bin/python" -c 'import sys; print(sys.base_prefix)')"
py_version="$("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
case "$base_prefix" in
  /usr|/usr/local|/) echo "image: Python's prefix is $base_prefix, which cannot be copied whole; use a Python built in a prefix of its own (PYTHON=/opt/python3.11/bin/python3.11)" >&2; exit 2;;
esac
key="$(printf '%s %s %s' "$lock_sha" "$base_prefix" "$py_version" | sha256sum | cut -c1-16)"
stage="${XDG_CACHE_HOME:-$HOME/.cache}/cnai/images/stage/sample-pipelines-$key"
mkdir -p "$stage"

if [[ ! -f "$stage/sys.complete" ]]; then
  echo "image: finding the shared libraries of $base_prefix and $venv (once per lock file)" >&2
  start=$(date +%s)
  rm -rf "$stage/sys"
  mkdir -p "$stage/sys"
  # every ELF object of the Python and the environment; the libraries they need from this machine
  find "$base_prefix" "$venv" -type f \( -name '*.so' -o -name '*.so.*' -o -perm -u+x \) -print0 2>/dev/null \
    | xargs -0 -n 64 -P "$(nproc)" ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' \
    | sort -u > "$stage/libs.txt" || true   # ldd fails on files that are not dynamic objects
  : > "$stage/libs-copied.txt"
  while read -r lib; do
    case "$lib" in "$base_prefix"/*|"$venv"/*) continue;; esac
    [[ -e "$lib" ]] || continue
    dir="$(dirname "$lib")"
    # Debian links /lib to /usr/lib: keep the path ldd printed, which the loader searches too
    mkdir -p "$stage/sys$dir"
    cp -L "$lib" "$stage/sys$lib"
    echo "$lib" >> "$stage/libs-copied.txt"
  done < "$stage/libs.txt"
  # the loader at the path every x86_64/aarch64 binary names
  for ld in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
    if [[ -e "$ld" ]]; then mkdir -p "$stage/sys$(dirname "$ld")"; cp -L "$ld" "$stage/sys$ld"; fi
  done
  echo "image: $(wc -l < "$stage/libs-copied.txt") libraries, $(du -sh "$stage/sys" | cut -f1), in $(( $(date +%s) - start ))s" >&2
  touch "$stage/sys.complete"
fi

# Ray starts its workers through bash (runtime environments run `bash -c "exec ..."`), which the
# busybox base lacks: this machine's bash, with any library of its closure not staged yet.
if [[ ! -x "$stage/tools/bin/bash" ]]; then
  mkdir -p "$stage/tools/bin"
  bash_bin="$(command -v bash)"
  ldd "$bash_bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | while read -r lib; do
    [[ -e "$stage/sys$lib" ]] || { mkdir -p "$stage/sys$(dirname "$lib")"; cp -L "$lib" "$stage/sys$lib"; }
  done
  cp -L "$bash_bin" "$stage/tools/bin/bash"
fi

# The environment's largest packages as layers of their own, so that the image builder compresses
# them in parallel (one thread a layer); the rest, hard-linked (no copy), as one more.
site="$venv/lib/python3.11/site-packages"
big=(nvidia torch triton)
if [[ ! -f "$stage/venv-rest.complete" ]]; then
  rm -rf "$stage/venv-rest"
  mkdir -p "$stage/venv-rest/site-packages"
  for entry in "$site"/* "$site"/.[!.]*; do
    [[ -e "$entry" ]] || continue
    name="$(basename "$entry")"
    [[ " ${big[*]} " == *" $name "* ]] && continue
    cp -al "$entry" "$stage/venv-rest/site-packages/" 2>/dev/null || cp -a "$entry" "$stage/venv-rest/site-packages/"
  done
  touch "$stage/venv-rest.complete"
fi

# the samples, as committed (no caches, no test output)
rm -rf "$stage/samples"
mkdir -p "$stage/samples"
( cd "$here" && tar -cf - --exclude=__pycache__ --exclude=target --exclude='*.pyc' \
    common digits ray-tune feast-features queued-training cluster requirements.txt ) | tar -xf - -C "$stage/samples"

cat > "$stage/image.yaml" <<YAML
# written by sample-pipelines/image/stage.sh: Python $py_version, requirements.txt $lock_sha
apiVersion: cnai.io/v1alpha1
kind: Image
name: cnai.local/sample-pipelines:0.1.0
base: busybox
entrypoint: [$venv/bin/python]
cmd: ["-c", "import torch, mlflow, kserve, ray; print('sample-pipelines ready')"]
env:
  PATH: $venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  VIRTUAL_ENV: $venv
  PYTHONPATH: /opt/cnai/sample-pipelines/common:/opt/cnai/sample-pipelines/digits:/opt/cnai/sample-pipelines/cluster
  PYTHONDONTWRITEBYTECODE: "1"
  OMP_NUM_THREADS: "1"
  HOME: /tmp
labels:
  org.opencontainers.image.title: cnai sample pipelines
  io.cnai.python: "$py_version"
  io.cnai.requirements-sha256: "$lock_sha"
workingDir: /opt/cnai/sample-pipelines
layers:
  - from: sys/lib
    to: /lib
  - from: sys/lib64
    to: /lib64
  - from: $base_prefix
    to: $base_prefix
  # the environment without its lib64 link to lib (layers copy what links point at)
  - from: $site/nvidia
    to: $site/nvidia
  - from: $site/torch
    to: $site/torch
  - from: $site/triton
    to: $site/triton
  - from: venv-rest/site-packages
    to: $site
  - from: $venv/bin
    to: $venv/bin
  - from: $venv/pyvenv.cfg
    to: $venv/pyvenv.cfg
  - from: tools/bin
    to: /usr/local/bin
  # KubeRay starts Ray's head and workers, and its RayJob submitter, with /bin/bash -c
  - from: tools/bin/bash
    to: /bin/bash
  - from: samples
    to: /opt/cnai/sample-pipelines
YAML
echo "$stage/image.yaml"
