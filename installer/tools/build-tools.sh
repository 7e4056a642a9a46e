#!/usr/bin/env bash
# Builds every tool the tests use, from their Go modules, into the tools cache (seconds when
# cached; about 45 minutes on a fresh 2-core machine): the sim control plane, the real-node
# binaries, the OCI registry, the Helm CLI and kustomize. `./mvnw verify` runs it before the tests
# (skip with -Dcnai.tools.skip=true), so the tests that need these run instead of reporting "not run".
# The operating system's packages for real nodes are not installed here (that needs root and apt:
# see installer/tools/build-node.sh --check); without them those tests say "not run" and why.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in sim node registry helm kustomize; do
  start=$(date +%s)
  echo "[tools] $tool: building or checking the cache ..."
  bash "$here/build-$tool.sh" >/dev/null
  echo "[tools] $tool: ready ($(( $(date +%s) - start )) s)"
done
