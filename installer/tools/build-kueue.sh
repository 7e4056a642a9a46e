#!/usr/bin/env bash
# Builds Kueue from its Go module at a pinned version, into the tools cache, for the queued-training
# sample on a cnai cluster with real nodes (installer/tools/install-kueue.sh puts it there):
#   kueue       Kueue's controller manager (sigs.k8s.io/kueue/cmd/kueue), a static binary
#   kueue.yaml  Kueue's own configuration (config/default of the same module, as its release
#               renders it with kustomize), with cnai's overlay: the image cnai.local/kueue:<version>
#               that install-kueue.sh builds from the binary, a numeric non-root user (the image has
#               no passwd), and requests that fit a small node (100m CPU, 256Mi; limits as upstream)
# in ${CNAI_TOOLS:-$HOME/.cache/cnai/tools}/kueue/<version>/. Nothing of Kueue is committed to this
# repository; its sources come through the Go module proxy. Idempotent: prints the folder and
# returns at once when both are there (about 5-10 minutes cold on 2 cores).
#
#   installer/tools/build-kueue.sh     # prints the folder
set -euo pipefail

KUEUE_VERSION="${CNAI_KUEUE_VERSION:-v0.17.0}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"
dest="$tools/kueue/$KUEUE_VERSION"

if [[ -x "$dest/kueue" && -s "$dest/kueue.yaml" ]]; then
  echo "$dest"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "build-kueue: 'go' is not on PATH; install Go and run again" >&2
  exit 2
fi
kustomize="$(bash "$here/build-kustomize.sh")"
work="$(mktemp -d "${TMPDIR:-/tmp}/cnai-kueue-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
echo "build-kueue: building sigs.k8s.io/kueue/cmd/kueue@$KUEUE_VERSION" >&2
(cd "$work" && GOBIN="$work/bin" go install -trimpath -ldflags="-s -w" "sigs.k8s.io/kueue/cmd/kueue@$KUEUE_VERSION")
src="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kueue@$KUEUE_VERSION" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
cp -r "$src/config" "$work/config"
chmod -R u+w "$work/config"
mkdir -p "$work/cnai"
cat > "$work/cnai/kustomization.yaml" <<YAML
resources:
  - ../config/default
patches:
  - target: {kind: Deployment, name: kueue-controller-manager}
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/image
        value: cnai.local/kueue:$KUEUE_VERSION
      - op: replace
        path: /spec/template/spec/containers/0/imagePullPolicy
        value: IfNotPresent
      - op: add
        path: /spec/template/spec/securityContext/runAsUser
        value: 65532
      - op: replace
        path: /spec/template/spec/containers/0/resources/requests
        value: {cpu: 100m, memory: 256Mi}
YAML
echo "build-kueue: rendering config/default of sigs.k8s.io/kueue@$KUEUE_VERSION with kustomize" >&2
"$kustomize" build "$work/cnai" > "$work/kueue.yaml"
grep -q "image: cnai.local/kueue:$KUEUE_VERSION" "$work/kueue.yaml" || { echo "build-kueue: the overlay did not set the image" >&2; exit 1; }
mkdir -p "$dest"
mv "$work/bin/kueue" "$dest/kueue.tmp" && mv "$dest/kueue.tmp" "$dest/kueue"
mv "$work/kueue.yaml" "$dest/kueue.yaml"
echo "$dest"
