#!/usr/bin/env bash
# Puts a controller of the stack on a cnai cluster with real nodes and its own registry (`./cnai up`,
# or `cnai cluster create --provider local --local-registry`), for the queued-training and ray-tune samples:
#   1. builds it, or finds it cached (installer/tools/build-addon.sh NAME: the controller manager
#      from its Go module, the project's own kustomize configuration rendered with cnai's overlay);
#   2. builds the image cnai.local/NAME:<version> (the static binary as /manager on Debian's
#      busybox) and pushes it to the cluster's registry (cnai images push);
#   3. applies the objects with kubectl's server-side apply and waits until the controller manager is
#      available and its webhooks answer (a server-side dry run of one of its objects passes them).
# NAME: kueue, jobset, trainer (Kubeflow Trainer; it needs jobset) or kuberay (the KubeRay operator:
# ray-tune then runs as a RayJob on a RayCluster of its own). For queued-training's TrainJob:
#   installer/tools/install-addon.sh jobset && installer/tools/install-addon.sh trainer \
#     && installer/tools/install-addon.sh kueue
# (Kueue last: it manages TrainJobs when their CRD is there as it starts.)
#
#   installer/tools/install-addon.sh NAME [--cluster C]    # default cluster: cnai (./cnai up's)
#   installer/tools/install-addon.sh NAME --uninstall [--delete-crds] [--cluster C]
#
# --uninstall removes the controller, its webhooks, RBAC and namespace, and keeps its CRDs and every
# object in them (a user's data); --delete-crds deletes those too.
# Exit codes: 0 done, 1 failed, 2 bad input (unknown NAME, no such cluster, no registry).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
name=""
cluster=cnai
uninstall=0
delete_crds=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cluster) cluster="${2:?--cluster needs a name}"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    --delete-crds) delete_crds=1; shift ;;
    -h|--help) usage; exit 0 ;;
    kueue|jobset|trainer|kuberay) name="$1"; shift ;;
    *) echo "install-addon: unknown argument '$1'" >&2; echo "  hint: installer/tools/install-addon.sh --help" >&2; exit 2 ;;
  esac
done
if [[ -z "$name" ]]; then
  echo "install-addon: name what to install: kueue, jobset, trainer or kuberay" >&2
  echo "  hint: installer/tools/install-addon.sh --help" >&2
  exit 2
fi
if [[ "$delete_crds" == 1 && "$uninstall" == 0 ]]; then
  echo "install-addon: --delete-crds goes with --uninstall" >&2
  exit 2
fi
# what answers once the controller and its webhooks are ready: a server-side dry run of this object
case "$name" in
  kueue)   namespace=kueue-system; deployment=kueue-controller-manager
           check='{"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor", "metadata": {"name": "cnai-install-check"}}' ;;
  jobset)  namespace=jobset-system; deployment=jobset-controller-manager
           check='{"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "JobSet", "metadata": {"name": "cnai-install-check", "namespace": "default"},
                   "spec": {"replicatedJobs": [{"name": "w", "replicas": 1, "template": {"spec": {"template": {"spec": {"restartPolicy": "Never",
                   "containers": [{"name": "c", "image": "busybox"}]}}}}}]}}' ;;
  trainer) namespace=kubeflow-system; deployment=kubeflow-trainer-controller-manager
           check='{"apiVersion": "trainer.kubeflow.org/v1alpha1", "kind": "TrainingRuntime", "metadata": {"name": "cnai-install-check", "namespace": "default"},
                   "spec": {"mlPolicy": {"numNodes": 1, "torch": {}}, "template": {"spec": {"replicatedJobs": [{"name": "node",
                   "template": {"metadata": {"labels": {"trainer.kubeflow.org/trainjob-ancestor-step": "trainer"}}, "spec": {"template": {"spec": {"containers": [{"name": "node", "image": "busybox"}]}}}}}]}}}}' ;;
  kuberay) namespace=kuberay-system; deployment=kuberay-operator
           check='{"apiVersion": "ray.io/v1", "kind": "RayCluster", "metadata": {"name": "cnai-install-check", "namespace": "default"},
                   "spec": {"headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [{"name": "ray-head", "image": "busybox"}]}}}}}' ;;
esac
say() { printf '%s install-addon: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
props="${CNAI_HOME:-$HOME/.cnai}/clusters/$cluster/cluster.properties"
if [[ ! -f "$props" ]]; then
  echo "install-addon: there is no cnai cluster '$cluster' ($props is missing)" >&2
  echo "  hint: ./cnai up makes one named cnai; ./cnai cluster list --provider local lists them" >&2
  exit 2
fi
prop() { sed -n "s/^$1=//p" "$props" | sed 's/\\\(.\)/\1/g'; }
kubeconfig="$(dirname "$props")/kubeconfig"
kubectl="$(ls -d "${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"/kubectl/*/kubectl 2>/dev/null | sort -V | tail -1 || true)"
[[ -x "$kubectl" ]] || { echo "install-addon: kubectl is not built yet; run installer/tools/build-sim.sh" >&2; exit 2; }
k() { "$kubectl" --kubeconfig "$kubeconfig" "$@"; }

dir="$(bash "$here/build-addon.sh" "$name")"
version="$(basename "$dir")"
stage="$(mktemp -d "${TMPDIR:-/tmp}/cnai-$name-install.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
if [[ "$uninstall" == 1 ]]; then
  if [[ "$delete_crds" == 1 ]]; then
    say "deleting $name $version, its CRDs and every object in them (--delete-crds)"
    cp "$dir/$name.yaml" "$stage/objects.yaml"
  else
    say "deleting $name $version; its CRDs and the objects in them are kept (--delete-crds deletes them)"
    # every document of the rendered configuration but the CustomResourceDefinitions
    awk 'function flush() { if (doc != "" && doc !~ /\nkind: CustomResourceDefinition\n/) printf "---%s", doc; doc = "\n" }
         BEGIN { doc = "\n" } /^---$/ { flush(); next } { doc = doc $0 "\n" } END { flush() }' "$dir/$name.yaml" > "$stage/objects.yaml"
  fi
  k delete --ignore-not-found --wait=true -f "$stage/objects.yaml" >/dev/null
  say "done"
  exit 0
fi
registry="$(prop registry.local)"
if [[ -z "$registry" ]]; then
  echo "install-addon: cluster '$cluster' has no registry of its own" >&2
  echo "  hint: make it with ./cnai up, or cnai cluster create --provider local --local-registry" >&2
  exit 2
fi
cp "$dir/$name" "$stage/manager"
cat > "$stage/image.yaml" <<YAML
apiVersion: cnai.io/v1alpha1
kind: Image
name: cnai.local/$name:$version
base: busybox
entrypoint: [/manager]
labels: {org.opencontainers.image.title: $name, org.opencontainers.image.version: $version}
layers:
  - from: manager
    to: /manager
YAML
say "pushing cnai.local/$name:$version to $registry"
"$root/cnai" images push "$stage/image.yaml" --registry "$registry" >&2
# Three parts, in order: the CRDs (then Established), everything else but objects of those CRDs (the
# controller, its webhooks), and the objects of its CRDs (e.g. Trainer's torch-distributed runtime),
# which its webhooks check once they answer.
split() { # part (crds|rest|custom) file: the documents of that part
  awk -v part="$1" '
    function flush() {
      if (doc != "") {
        api = ""; if (match(doc, /\napiVersion: [^\n]*/)) api = substr(doc, RSTART + 13, RLENGTH - 13)
        sub(/\/.*/, "", api)
        is_crd = doc ~ /\nkind: CustomResourceDefinition\n/
        if (pass == 1 && is_crd && match(doc, /\n  group: [^\n]*/)) groups[substr(doc, RSTART + 10, RLENGTH - 10)] = 1
        if (pass == 2 && ((part == "crds" && is_crd) || (part == "custom" && !is_crd && (api in groups)) \
            || (part == "rest" && !is_crd && !(api in groups)))) printf "---%s", doc
      }
      doc = "\n"
    }
    FNR == 1 { if (NR > 1) flush(); pass++; doc = "\n" }
    /^---$/ { flush(); next } { doc = doc $0 "\n" } END { flush() }' "$2" "$2"
}
for part in crds rest custom; do split "$part" "$dir/$name.yaml" > "$stage/$part.yaml"; done
apply() { k apply --server-side --force-conflicts --field-manager=cnai-install-addon -f "$1" >/dev/null; }
say "applying $name $version (server-side apply): its CRDs"
apply "$stage/crds.yaml"
# a CRD created a moment ago may have no status yet: kubectl wait then fails at once instead of waiting
established=0
for _ in $(seq 1 30); do
  if k wait --for=condition=Established --timeout=10s -f "$stage/crds.yaml" >/dev/null 2>"$stage/err"; then
    established=1
    break
  fi
  sleep 1
done
if [[ "$established" == 0 ]]; then
  echo "install-addon: $name's CRDs were not Established: $(cat "$stage/err")" >&2
  exit 1
fi
say "applying its controller, webhooks and RBAC"
apply "$stage/rest.yaml"
say "waiting for its controller manager"
k -n "$namespace" rollout status "deployment/$deployment" --timeout=300s >&2
echo "$check" > "$stage/check.json"
ready=0
for _ in $(seq 1 60); do
  if k create --dry-run=server -f "$stage/check.json" >/dev/null 2>"$stage/err"; then
    ready=1
    break
  fi
  sleep 2
done
if [[ "$ready" == 0 ]]; then
  echo "install-addon: $name's webhooks did not answer within 120 s: $(cat "$stage/err")" >&2
  exit 1
fi
if grep -q "^kind:" "$stage/custom.yaml"; then
  say "applying its own objects: $(grep -A0 "^kind:" "$stage/custom.yaml" | sed 's/kind: //' | sort | uniq -c | xargs)"
  apply "$stage/custom.yaml"
fi
if [[ "$name" != kueue ]] && k -n kueue-system get deployment kueue-controller-manager >/dev/null 2>&1; then
  # Kueue sets up its integration of a job kind when it starts and finds the kind's CRD
  say "restarting Kueue, so that it manages $name's jobs too"
  k -n kueue-system rollout restart deployment/kueue-controller-manager >/dev/null
  k -n kueue-system rollout status deployment/kueue-controller-manager --timeout=300s >&2
fi
say "$name $version is ready on cluster '$cluster'"
