#!/usr/bin/env bash
# Runs the sample-pipelines tests in the cached virtual environment of venv.sh, with JUnit XML in
# sample-pipelines/target/. Fails on any failed test, and when pytest collects none (its exit 5).
#   bash sample-pipelines/run-tests.sh [pytest args...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
source "$here/venv.sh"

mkdir -p target
# One math thread per process: the models are tiny, and oversubscribed threads on a busy machine
# make torch many times slower.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
set +e
"$venv/bin/python" -m pytest --junitxml=target/pytest-junit.xml "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then
  echo "run-tests: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit $rc
