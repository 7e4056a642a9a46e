#!/usr/bin/env bash
# Builds the Helm CLI from its Go module at the version embedded in helm-java (so that both render
# alike), into the tools cache. For benchmarks and for cross-checking cnai's in-process rendering.
# Idempotent: returns at once when the binary is there.
#
#   installer/tools/build-helm.sh          # prints the path of the binary
#
# Needs: go (1.24+) and the Go module proxy. Nothing else is downloaded.
set -euo pipefail

HELM_MODULE="helm.sh/helm/v3"
# helm-java 0.0.21 embeds Helm v3.21.0 (go version -m on its native library).
HELM_VERSION="${CNAI_HELM_VERSION:-v3.21.0}"

tools="${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"
dest_dir="$tools/helm/$HELM_VERSION"
dest="$dest_dir/helm"

if [[ -x "$dest" ]]; then
  echo "$dest"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-helm: 'go' is not on PATH; install Go 1.24 or newer and run again" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cnai-helm-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

mkdir -p "$dest_dir"
cd "$work"
export GOFLAGS=-mod=mod
export CGO_ENABLED=0
go mod init cnai.local/helm-build >/dev/null 2>&1
go get "$HELM_MODULE@$HELM_VERSION" >&2
# The version stamp 'helm version' prints, as the upstream Makefile sets it.
go build -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  -o "$work/helm" "$HELM_MODULE/cmd/helm" >&2
"$work/helm" version --short >&2 || true
mv "$work/helm" "$dest.tmp.$$"
mv "$dest.tmp.$$" "$dest"
echo "$dest"
