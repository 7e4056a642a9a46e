# Sourced by run-tests.sh and gpu-check.sh: sets $venv to a virtual environment holding
# requirements.txt, cached outside the repository and keyed by the lock file's hash; creates it
# when missing. A half-built one (no .complete marker) is deleted and built again.
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null || { echo "venv: $python not found; set PYTHON to a Python 3.11" >&2; exit 2; }
lock_sha="$(sha256sum "$here/requirements.txt" | cut -c1-16)"
py_tag="$("$python" -c 'import sys; print(f"py{sys.version_info[0]}{sys.version_info[1]}")')"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/cnai/venv/$py_tag-$lock_sha"
if [[ -x "$venv/bin/python" && -f "$venv/.complete" ]]; then
  echo "venv: reusing $venv" >&2
else
  echo "venv: creating $venv (cold: torch and its CUDA libraries, several GB)" >&2
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
