#!/usr/bin/env bash
# Builds a controller of the stack from its Go module at a pinned version, into the tools cache, for
# the queued-training and ray-tune samples on a cnai cluster with real nodes (installer/tools/install-addon.sh puts
# it there). NAME is one of:
#   kueue    Kueue (sigs.k8s.io/kueue): queues, quotas, all-or-nothing admission
#   jobset   JobSet (sigs.k8s.io/jobset): groups of Jobs; Kubeflow Trainer runs a TrainJob as one
#   trainer  Kubeflow Trainer (github.com/kubeflow/trainer/v2): TrainJob, and the torch-distributed
#            ClusterTrainingRuntime
#   kuberay  the KubeRay operator (github.com/ray-project/kuberay/ray-operator): RayCluster, RayJob,
#            RayService; the ray-tune sample runs as a RayJob where it is served
# For each, in ${CNAI_TOOLS:-$HOME/.cache/cnai/tools}/NAME/<version>/:
#   NAME       its controller manager, a static binary
#   NAME.yaml  the project's own configuration from the same module (Kueue's and JobSet's
#              config/default, Trainer's manifests/overlays/manager without its remote JobSet, and
#              its torch-distributed runtime, KubeRay's config/default in the namespace
#              kuberay-system), rendered with kustomize, with cnai's overlay: the image
#              cnai.local/NAME:<version> that install-addon.sh builds from the binary, a numeric
#              non-root user (the image has no passwd), and requests that fit a small node
# Nothing of these projects is committed to this repository; their sources come through the Go
# module proxy. Idempotent: prints the folder and returns at once when both are there (each about
# 4-6 minutes cold on 2 cores).
#
#   installer/tools/build-addon.sh kueue|jobset|trainer|kuberay     # prints the folder
set -euo pipefail

name="${1:-}"
case "$name" in
  kueue)   module=sigs.k8s.io/kueue;                version="${CNAI_KUEUE_VERSION:-v0.17.0}"; pkg=sigs.k8s.io/kueue/cmd/kueue
           deployment=kueue-controller-manager ;;
  jobset)  module=sigs.k8s.io/jobset;               version="${CNAI_JOBSET_VERSION:-v0.11.1}"; pkg=sigs.k8s.io/jobset
           deployment=jobset-controller-manager ;;
  trainer) module=github.com/kubeflow/trainer/v2;   version="${CNAI_TRAINER_VERSION:-v2.2.0}"
           pkg=github.com/kubeflow/trainer/v2/cmd/trainer-controller-manager; deployment=kubeflow-trainer-controller-manager ;;
  # v1.6.0: the release of shared/reference/stack.md, v1.7.0, is not served by the Go module proxy
  kuberay) module=github.com/ray-project/kuberay/ray-operator; version="${CNAI_KUBERAY_VERSION:-v1.6.0}"
           pkg=github.com/ray-project/kuberay/ray-operator; deployment=kuberay-operator ;;
  *) echo "build-addon: give one of kueue, jobset, trainer, kuberay (got '${name}')" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"
dest="$tools/$name/$version"

if [[ -x "$dest/$name" && -s "$dest/$name.yaml" ]]; then
  echo "$dest"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "build-addon: 'go' is not on PATH; install Go and run again" >&2
  exit 2
fi
kustomize="$(bash "$here/build-kustomize.sh")"
work="$(mktemp -d "${TMPDIR:-/tmp}/cnai-$name-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
echo "build-addon: building $pkg@$version" >&2
# in a module of its own that requires it (go install MODULE@VERSION would also ask the proxy for the
# module's version list, which it does not serve for every module)
(cd "$work" && go mod init cnai-addon-build >/dev/null 2>&1 && GOFLAGS=-mod=mod go get "$module@$version" \
  && GOFLAGS=-mod=mod go build -trimpath -ldflags="-s -w" -o "$work/bin/$name" "$pkg")
src="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$module@$version" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
case "$name" in
  kueue|jobset)
    cp -r "$src/config" "$work/src"
    resources="  - ../src/default" ;;
  kuberay)
    cp -r "$src/config" "$work/src"
    # its config/default puts the operator in the namespace default; cnai gives it one of its own
    printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kuberay-system\n' > "$work/src/namespace.yaml"
    resources="  - ../src/namespace.yaml
  - ../src/default
namespace: kuberay-system" ;;
  trainer)
    cp -r "$src/manifests" "$work/src"
    chmod -R u+w "$work/src"
    # JobSet comes from its own module (install-addon.sh jobset), not from the URL this line names
    sed -i '/third-party\/jobset/d' "$work/src/overlays/manager/kustomization.yaml"
    resources="  - ../src/overlays/manager
  - ../src/base/runtimes/torch_distributed.yaml" ;;
esac
chmod -R u+w "$work/src"
mkdir -p "$work/cnai"
cat > "$work/cnai/kustomization.yaml" <<YAML
resources:
$resources
patches:
  - target: {kind: Deployment, name: $deployment}
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/image
        value: cnai.local/$name:$version
      - op: add
        path: /spec/template/spec/containers/0/imagePullPolicy
        value: IfNotPresent
      - op: add
        path: /spec/template/spec/containers/0/securityContext/runAsUser
        value: 65532
      - op: add
        path: /spec/template/spec/containers/0/resources
        value: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 1Gi}}
YAML
echo "build-addon: rendering $name's configuration of $module@$version with kustomize" >&2
"$kustomize" build --load-restrictor LoadRestrictionsNone "$work/cnai" > "$work/$name.yaml"
grep -q "image: cnai.local/$name:$version" "$work/$name.yaml" || { echo "build-addon: the overlay did not set the image" >&2; exit 1; }
mkdir -p "$dest"
mv "$work/bin/$name" "$dest/$name.tmp" && mv "$dest/$name.tmp" "$dest/$name"
mv "$work/$name.yaml" "$dest/$name.yaml"
echo "$dest"
