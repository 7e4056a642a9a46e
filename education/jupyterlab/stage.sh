#!/usr/bin/env bash
# Stages the classroom's JupyterLab image, cnai.local/jupyterlab:2026.11, from what this machine has:
# its Python 3.11 (a Python in a prefix of its own), the locked environment of requirements.txt
# (JupyterLab and what the lessons' notebooks import; built on first use, cached under
# ${XDG_CACHE_HOME:-~/.cache}/cnai/venv/ keyed by the lock's hash), the shared libraries both load
# (their ldd closure, with the dynamic loader) and, when built, the cluster's kubectl (the lessons run
# `!kubectl ...` in a cell, as the student's ServiceAccount). Nothing is pulled.
# Prints the path of the image file it writes, for `cnai images build|push`.
#
#   bash education/jupyterlab/stage.sh            # -> .../image.yaml on stdout, progress on stderr
#   ./cnai images push "$(bash education/jupyterlab/stage.sh)" --registry http://10.201.1.1:5000
#
# The classroom's Deployment runs `jupyter lab ...` (no entrypoint: PATH finds the environment's
# jupyter), as uid 1000, token from $JUPYTER_TOKEN, HOME on an emptyDir.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null || { echo "venv: $python not found; set PYTHON to a Python 3.11" >&2; exit 2; }
lock_sha="$(sha256sum "$here/requirements.txt" | cut -c1-16)"
py_tag="$("$python" -c 'import sys; print(f"py{sys.version_info[0]}{sys.version_info[1]}")')"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/cnai/venv/jupyterlab-$py_tag-$lock_sha"
# The image keeps the environment at this path (its scripts name it), and JupyterLab's pods mount
# a folder of their own at /tmp: an environment under /tmp would be hidden there.
case "$(realpath -m "$venv")" in
  /tmp/*)
    echo "venv: $venv lies under /tmp, which JupyterLab's pods mount a folder of their own over" >&2
    echo "  hint: set XDG_CACHE_HOME (or HOME) to a folder outside /tmp" >&2
    exit 2 ;;
esac
if [[ -x "$venv/bin/python" && -f "$venv/.complete" ]]; then
  echo "venv: reusing $venv" >&2
else
  echo "venv: creating $venv (JupyterLab, numpy, scikit-learn, matplotlib: about 400 MB)" >&2
  venv_start=$(date +%s)
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  # Every package, transitive ones included, is pinned with its hashes in requirements.txt.
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
      --require-hashes --no-deps -r "$here/requirements.txt" >&2
  "$venv/bin/python" -m pip check >&2
  touch "$venv/.complete"
  echo "venv: ready in $(( $(date +%s) - venv_start ))s, $(du -sh "$venv" | cut -f1)" >&2
fi

# Image layers carry fixed file times, so byte code that is checked against its source's time would
# be found stale and compiled again by every server at every start (30 servers: minutes of CPU).
# Byte code checked by nothing (the environment never changes: its path is its lock's hash) is used as is.
if [[ ! -f "$venv/.pyc-unchecked" ]]; then
  echo "venv: compiling byte code (unchecked-hash)" >&2
  "$venv/bin/python" -W ignore -m compileall -q -f -j 0 --invalidation-mode unchecked-hash "$venv/lib/python3.11/site-packages" >/dev/null || true
  touch "$venv/.pyc-unchecked"
fi

base_prefix="$("$venv/bin/python" -c 'import sys; print(sys.base_prefix)')"
py_version="$("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
case "$base_prefix" in
  /usr|/usr/local|/) echo "image: Python's prefix is $base_prefix, which cannot be copied whole; use a Python built in a prefix of its own (PYTHON=/opt/python3.11/bin/python3.11)" >&2; exit 2;;
esac
kubectl="${KUBECTL:-$(ls -d "${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"/kubectl/*/kubectl 2>/dev/null | sort -V | tail -1 || true)}"
key="$(printf '%s %s %s' "$lock_sha" "$base_prefix" "$py_version" | sha256sum | cut -c1-16)"
stage="${XDG_CACHE_HOME:-$HOME/.cache}/cnai/images/stage/jupyterlab-$key"
mkdir -p "$stage"

if [[ ! -f "$stage/sys.complete" ]]; then
  echo "image: finding the shared libraries of $base_prefix and $venv (once per lock file)" >&2
  start=$(date +%s)
  rm -rf "$stage/sys"
  mkdir -p "$stage/sys"
  find "$base_prefix" "$venv" -type f \( -name '*.so' -o -name '*.so.*' -o -perm -u+x \) -print0 2>/dev/null \
    | xargs -0 -n 64 -P "$(nproc)" ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' \
    | sort -u > "$stage/libs.txt" || true   # ldd fails on files that are not dynamic objects
  : > "$stage/libs-copied.txt"
  while read -r lib; do
    case "$lib" in "$base_prefix"/*|"$venv"/*) continue;; esac
    [[ -e "$lib" ]] || continue
    mkdir -p "$stage/sys$(dirname "$lib")"
    cp -L "$lib" "$stage/sys$lib"
    echo "$lib" >> "$stage/libs-copied.txt"
  done < "$stage/libs.txt"
  for ld in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
    if [[ -e "$ld" ]]; then mkdir -p "$stage/sys$(dirname "$ld")"; cp -L "$ld" "$stage/sys$ld"; fi
  done
  mkdir -p "$stage/sys/lib" "$stage/sys/lib64"
  echo "image: $(wc -l < "$stage/libs-copied.txt") libraries, $(du -sh "$stage/sys" | cut -f1), in $(( $(date +%s) - start ))s" >&2
  touch "$stage/sys.complete"
fi

# The Python prefix without what a notebook server never loads (its test suite, idle, tkinter's
# demos) and without this machine's own packages (the environment does not see them), hard-linked.
if [[ ! -f "$stage/python-3.complete" ]]; then
  rm -rf "$stage/python"
  mkdir -p "$stage/python"
  cp -al "$base_prefix/." "$stage/python/" 2>/dev/null || cp -a "$base_prefix/." "$stage/python/"
  rm -rf "$stage/python/lib/python3.11/test" "$stage/python/lib/python3.11/idlelib" \
         "$stage/python/lib/python3.11/turtledemo" "$stage/python/lib/python3.11/ensurepip"
  rm -rf "$stage/python/lib/python3.11/site-packages"
  mkdir -p "$stage/python/lib/python3.11/site-packages"
  find "$stage/python/lib" -name '*.a' -delete
  # (compileall writes each file anew: the hard-linked originals of this machine's Python stay as they were)
  "$venv/bin/python" -W ignore -m compileall -q -f -j 0 --invalidation-mode unchecked-hash "$stage/python/lib/python3.11" >/dev/null || true
  touch "$stage/python-3.complete"
fi

extra=""
if [[ -n "$kubectl" && -x "$kubectl" ]]; then
  mkdir -p "$stage/bin"
  cp -l "$kubectl" "$stage/bin/kubectl" 2>/dev/null || cp "$kubectl" "$stage/bin/kubectl"
  extra="  - from: bin/kubectl
    to: /usr/local/bin/kubectl"
else
  echo "image: no kubectl built (installer/tools/build-sim.sh builds one); the lessons' !kubectl cells will not run" >&2
fi

site="$venv/lib/python3.11/site-packages"
# The environment's packages for the image, hard-linked, without rfc3987_syntax: jsonschema imports
# it when it is there (an optional "iri" format check, which a notebook server never asks for) and
# it builds a Lark grammar at import. That import was 0.8 of the 1.25 CPU-seconds a server needs to
# start (python -X importtime); without it a server starts in 0.47 s, which is what lets 30 servers
# of a classroom start in under a minute on 2 cores. jsonschema then simply has no "iri" check.
if [[ ! -f "$stage/site-1.complete" ]]; then
  rm -rf "$stage/site"
  mkdir -p "$stage/site"
  cp -al "$site/." "$stage/site/" 2>/dev/null || cp -a "$site/." "$stage/site/"
  rm -rf "$stage/site/rfc3987_syntax" "$stage/site"/rfc3987_syntax-*.dist-info
  touch "$stage/site-1.complete"
fi
sys_layers="$(for d in "$stage"/sys/*/; do d="$(basename "$d")"; printf '  - from: sys/%s\n    to: /%s\n' "$d" "$d"; done)"
cat > "$stage/image.yaml" <<YAML
# written by education/jupyterlab/stage.sh: Python $py_version, requirements.txt $lock_sha
apiVersion: cnai.io/v1alpha1
kind: Image
name: cnai.local/jupyterlab:2026.11
base: busybox
cmd: [jupyter, lab, --ip=0.0.0.0, --port=8888, --no-browser]
env:
  PATH: $venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  VIRTUAL_ENV: $venv
  HOME: /home/jovyan
  SHELL: /bin/sh
  MPLBACKEND: module://matplotlib_inline.backend_inline
  MPLCONFIGDIR: /tmp/matplotlib
  PYTHONDONTWRITEBYTECODE: "1"
  OMP_NUM_THREADS: "1"
  OPENBLAS_NUM_THREADS: "1"
labels:
  org.opencontainers.image.title: cnai classroom JupyterLab
  io.cnai.python: "$py_version"
  io.cnai.requirements-sha256: "$lock_sha"
workingDir: /home/jovyan
user: "1000"
layers:
$sys_layers
  - from: python
    to: $base_prefix
  - from: site
    to: $site
  - from: $venv/bin
    to: $venv/bin
  - from: $venv/share
    to: $venv/share
  - from: $venv/etc
    to: $venv/etc
  - from: $venv/pyvenv.cfg
    to: $venv/pyvenv.cfg
$extra
YAML
echo "$stage/image.yaml"
