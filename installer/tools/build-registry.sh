#!/usr/bin/env bash
# Builds the CNCF distribution registry (the OCI registry used by cnai's tests) from its Go module
# at a pinned version, into the tools cache. Idempotent: returns at once when the binary is there.
#
#   installer/tools/build-registry.sh          # prints the path of the binary
#   CNAI_TOOLS=/some/dir installer/tools/build-registry.sh
#
# Needs: go (1.23+) and the Go module proxy. Nothing else is downloaded.
set -euo pipefail

REGISTRY_MODULE="github.com/distribution/distribution/v3"
# Same version as the registry library embedded in helm-java's native Helm.
REGISTRY_VERSION="${CNAI_REGISTRY_VERSION:-v3.1.1}"

tools="${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"
dest_dir="$tools/registry/$REGISTRY_VERSION"
dest="$dest_dir/registry"

if [[ -x "$dest" ]]; then
  echo "$dest"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-registry: 'go' is not on PATH; install Go 1.23 or newer and run again" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cnai-registry-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

mkdir -p "$dest_dir"
cd "$work"
export GOFLAGS=-mod=mod
export CGO_ENABLED=0
go mod init cnai.local/registry-build >/dev/null 2>&1
# Resolve the pinned module (and its go.sum entries) through the module proxy.
go get "$REGISTRY_MODULE@$REGISTRY_VERSION" >&2
go build -trimpath -ldflags "-s -w" -o "$work/registry" "$REGISTRY_MODULE/cmd/registry" >&2
"$work/registry" --version >&2 || true
mv "$work/registry" "$dest.tmp.$$"
mv "$dest.tmp.$$" "$dest"
echo "$dest"
