#!/usr/bin/env bash
# Puts Kueue on a cnai cluster with real nodes and its own registry (`./cnai up`, or
# `cnai cluster create --provider local --local-registry`), for the queued-training sample:
#   1. builds it, or finds it cached (installer/tools/build-kueue.sh: the controller manager from
#      its Go module, Kueue's own kustomize configuration rendered with cnai's small overlay);
#   2. builds the image cnai.local/kueue:<version> (the static binary as /manager on Debian's
#      busybox) and pushes it to the cluster's registry (cnai images push);
#   3. applies Kueue's objects with kubectl's server-side apply and waits until its controller
#      manager is available and its webhooks answer.
# Kueue then admits the samples' Jobs that name a LocalQueue (cnai e2e run --pipeline queued-training).
#
#   installer/tools/install-kueue.sh [--cluster NAME]     # default: cnai (the one ./cnai up makes)
#   installer/tools/install-kueue.sh --uninstall [--delete-crds] [--cluster NAME]
#
# --uninstall removes Kueue's controller, webhooks, RBAC and namespace, and keeps its CRDs and every
# queue and workload in them (a user's data); --delete-crds deletes those too.
#
# Exit codes: 0 done, 1 failed, 2 bad input (no such cluster, no registry).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cluster=cnai
uninstall=0
delete_crds=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cluster) cluster="${2:?--cluster needs a name}"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    --delete-crds) delete_crds=1; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-kueue: unknown argument '$1'" >&2; echo "  hint: installer/tools/install-kueue.sh --help" >&2; exit 2 ;;
  esac
done
say() { printf '%s install-kueue: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
props="${CNAI_HOME:-$HOME/.cnai}/clusters/$cluster/cluster.properties"
if [[ ! -f "$props" ]]; then
  echo "install-kueue: there is no cnai cluster '$cluster' ($props is missing)" >&2
  echo "  hint: ./cnai up makes one named cnai; ./cnai cluster list --provider local lists them" >&2
  exit 2
fi
prop() { sed -n "s/^$1=//p" "$props" | sed 's/\\\(.\)/\1/g'; }
kubeconfig="$(dirname "$props")/kubeconfig"
kubectl="$(ls -d "${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"/kubectl/*/kubectl 2>/dev/null | sort -V | tail -1 || true)"
[[ -x "$kubectl" ]] || { echo "install-kueue: kubectl is not built yet; run installer/tools/build-sim.sh" >&2; exit 2; }
k() { "$kubectl" --kubeconfig "$kubeconfig" "$@"; }

dir="$(bash "$here/build-kueue.sh")"
if [[ "$delete_crds" == 1 && "$uninstall" == 0 ]]; then
  echo "install-kueue: --delete-crds goes with --uninstall" >&2
  exit 2
fi
if [[ "$uninstall" == 1 ]]; then
  objects="$(mktemp "${TMPDIR:-/tmp}/cnai-kueue-objects.XXXXXX")"
  trap 'rm -f "$objects"' EXIT
  if [[ "$delete_crds" == 1 ]]; then
    say "deleting Kueue, its CRDs and every queue and workload in them (--delete-crds)"
    cp "$dir/kueue.yaml" "$objects"
  else
    say "deleting Kueue; its CRDs, queues and workloads are kept (--delete-crds deletes them)"
    # every document of the rendered configuration but the CustomResourceDefinitions
    awk 'function flush() { if (doc != "" && doc !~ /\nkind: CustomResourceDefinition\n/) printf "---%s", doc; doc = "\n" }
         BEGIN { doc = "\n" } /^---$/ { flush(); next } { doc = doc $0 "\n" } END { flush() }' "$dir/kueue.yaml" > "$objects"
  fi
  k delete --ignore-not-found --wait=true -f "$objects" >/dev/null
  say "done"
  exit 0
fi
registry="$(prop registry.local)"
if [[ -z "$registry" ]]; then
  echo "install-kueue: cluster '$cluster' has no registry of its own" >&2
  echo "  hint: make it with ./cnai up, or cnai cluster create --provider local --local-registry" >&2
  exit 2
fi
version="$(basename "$dir")"
stage="$(mktemp -d "${TMPDIR:-/tmp}/cnai-kueue-image.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
cp "$dir/kueue" "$stage/manager"
cat > "$stage/image.yaml" <<YAML
apiVersion: cnai.io/v1alpha1
kind: Image
name: cnai.local/kueue:$version
base: busybox
entrypoint: [/manager]
labels: {org.opencontainers.image.title: kueue, org.opencontainers.image.version: $version}
layers:
  - from: manager
    to: /manager
YAML
say "pushing cnai.local/kueue:$version to $registry"
"$root/cnai" images push "$stage/image.yaml" --registry "$registry" >&2
say "applying Kueue $version (server-side apply)"
k apply --server-side --force-conflicts --field-manager=cnai-install-kueue -f "$dir/kueue.yaml" >/dev/null
say "waiting for its controller manager"
k -n kueue-system rollout status deployment/kueue-controller-manager --timeout=300s >&2
# Its webhooks answer once its certificates are made and injected: a dry-run of a queue passes them.
for i in $(seq 1 60); do
  if k create --dry-run=server -f - >/dev/null 2>"$stage/err" <<'YAML'
apiVersion: kueue.x-k8s.io/v1beta2
kind: ResourceFlavor
metadata: {name: cnai-install-kueue-check}
YAML
  then
    say "Kueue $version is ready on cluster '$cluster'"
    exit 0
  fi
  sleep 2
done
echo "install-kueue: Kueue's webhooks did not answer within 120 s: $(cat "$stage/err")" >&2
exit 1
