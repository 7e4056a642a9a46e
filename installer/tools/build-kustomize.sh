#!/usr/bin/env bash
# Builds kustomize from its Go module at a pinned version, into the tools cache. cnai runs it to
# render the components that upstream ships only as kustomize bases (Kubeflow Pipelines, Katib,
# Notebooks, Dashboard), for 'cnai distro lock' and 'cnai render'. Idempotent: returns at once when
# the binary is there.
#
#   installer/tools/build-kustomize.sh        # prints the path of the binary
#
# Needs: go and the Go module proxy. Nothing else is downloaded.
set -euo pipefail

KUSTOMIZE_VERSION="${CNAI_KUSTOMIZE_VERSION:-v5.7.1}"
tools="${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"
dest_dir="$tools/kustomize/$KUSTOMIZE_VERSION"
dest="$dest_dir/kustomize"

if [[ -x "$dest" ]]; then
  echo "$dest"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "build-kustomize: 'go' is not on PATH; install Go and run again" >&2
  exit 2
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/cnai-kustomize-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest_dir"
echo "build-kustomize: building sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
(cd "$work" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$work/bin" \
  go install -trimpath -ldflags="-s -w" "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION")
mv "$work/bin/kustomize" "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "$dest"
