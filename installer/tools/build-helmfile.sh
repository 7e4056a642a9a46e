#!/usr/bin/env bash
# Builds helmfile from its Go module into the tools cache, for the benchmarks only (cnai against
# the tool a user would pick instead); nothing in the build or the tests needs it.
# Idempotent: returns at once when the binary is there.
#
#   installer/tools/build-helmfile.sh      # prints the path of the binary
#
# helmfile's go.mod carries replace directives, so it is built inside its own module source (as
# downloaded by the Go module proxy), not with 'go install'. It runs the Helm CLI built by
# build-helm.sh (pass it with --helm-binary).
set -euo pipefail

HELMFILE_MODULE="github.com/helmfile/helmfile"
HELMFILE_VERSION="${CNAI_HELMFILE_VERSION:-v1.8.0}"

tools="${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"
dest_dir="$tools/helmfile/$HELMFILE_VERSION"
dest="$dest_dir/helmfile"

if [[ -x "$dest" ]]; then
  echo "$dest"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "build-helmfile: 'go' is not on PATH; install Go 1.24 or newer and run again" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cnai-helmfile-build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
src="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$HELMFILE_MODULE@$HELMFILE_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
export CGO_ENABLED=0
go build -trimpath -mod=mod \
  -ldflags "-s -w -X go.szostok.io/version.version=$HELMFILE_VERSION" \
  -o "$work/helmfile" . >&2
mkdir -p "$dest_dir"
mv "$work/helmfile" "$dest.tmp.$$"
mv "$dest.tmp.$$" "$dest"
echo "$dest"
