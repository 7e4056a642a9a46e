#!/usr/bin/env bash
# Measures a classroom of real JupyterLab servers on a local cluster (docs/classroom.md, "Measured"):
# image stage and push, `classroom create --students N` until every server is Ready (image cached on
# the node), the node's memory with N servers, reset of one and of all, delete. Needs root, the node
# binaries and cnai built (./mvnw -q -DskipTests package). The cluster is deleted at the end.
#
#   bash education/jupyterlab/measure.sh [STUDENTS] [CLUSTER]       # defaults: 30 jl
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-30}"
name="${2:-jl}"
kc="/tmp/cnai-$name.kubeconfig"
cnai="$root/cnai"
kubectl="${KUBECTL:-$(ls -d "${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"/kubectl/*/kubectl | sort -V | tail -1)}"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
ready() { "$kubectl" --kubeconfig "$kc" get pods -A -l app.kubernetes.io/name=jupyterlab \
  -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' \
  | awk '$1 == "True" && NF == 1 {c++} END {print c + 0}'; }
wait_ready() { # COUNT TIMEOUT
  local end=$(( $(date +%s) + $2 ))
  while [[ "$(ready)" -lt "$1" ]]; do
    if [[ $(date +%s) -ge $end ]]; then echo "measure: only $(ready) of $1 servers Ready after $2 s" >&2; return 1; fi
    sleep 0.5
  done
}
mem() {
  local cg=/sys/fs/cgroup/memory/cnai-$name-n0
  echo "node cgroup: usage $(( $(cat $cg/memory.usage_in_bytes) >> 20 )) MiB, max $(( $(cat $cg/memory.max_usage_in_bytes) >> 20 )) MiB, rss+cache: $(awk '/^total_rss /{r=$2} /^total_cache /{c=$2} END {printf "%d MiB rss, %d MiB cache", r/1048576, c/1048576}' $cg/memory.stat)"
}

t=$(now); f="$(bash "$root/education/jupyterlab/stage.sh")"; echo "stage: $(since "$t") s ($f)"
t=$(now); created="$("$cnai" cluster create --provider local --local-registry --name "$name" --kubeconfig "$kc")"
echo "cluster: $(since "$t") s"
trap '"$cnai" cluster delete --provider local --name "$name" >/dev/null 2>&1 || true' EXIT
registry="$(sed -n 's/.*--registry \(http[^ ]*\).*/\1/p' <<<"$created" | head -1)"
t=$(now); "$cnai" images push "$f" --registry "$registry"; echo "push: $(since "$t") s"
t=$(now); "$cnai" images push "$f" --registry "$registry" >/dev/null; echo "push again (layers cached): $(since "$t") s"

# the image onto the node: one student, then gone (containerd keeps the image)
t=$(now); "$cnai" classroom create --students 1 --fit servers --kubeconfig "$kc" >/dev/null; wait_ready 1 300
echo "first server (image pulled by the node): $(since "$t") s"
"$cnai" classroom delete --kubeconfig "$kc" >/dev/null
echo "before: $(mem)"

t=$(now); "$cnai" classroom create --students "$n" --fit servers --kubeconfig "$kc"; c=$(since "$t")
wait_ready "$n" 600; echo "create $n: command $c s, all $n servers Ready $(since "$t") s"
sleep 5; echo "with $n servers: $(mem)"
# isolation: a pod of s02 cannot reach s01's server; a pod of s01 can (NetworkPolicy, enforced by
# the node's cnai-netpol agent); the authorizer refuses s02 in s01's namespace (SubjectAccessReview)
s01_ip="$("$kubectl" --kubeconfig "$kc" get pods -n class-s01 -l app.kubernetes.io/name=jupyterlab -o jsonpath='{.items[0].status.podIP}')"
probe() { # NAMESPACE -> exit code of a fetch of s01's server from a pod there
  "$kubectl" --kubeconfig "$kc" run "probe-$RANDOM" -n "$1" --image=cnai.local/busybox:local --image-pull-policy=Never \
    --restart=Never --rm -i --quiet --command -- sh -c "timeout 5 wget -q -O /dev/null http://$s01_ip:8888/class-s01/api" >/dev/null 2>&1
}
if probe class-s01; then echo "isolation: s01's pod reaches s01's server"; else echo "measure: s01's own pod cannot reach its server" >&2; exit 1; fi
if probe class-s02; then echo "measure: s02's pod reached s01's server" >&2; exit 1; else echo "isolation: s02's pod is refused by s01's server"; fi
sar="$("$kubectl" --kubeconfig "$kc" auth can-i create pods -n class-s01 --as=system:serviceaccount:class-s02:student-s02 || true)"
echo "isolation: may student s02 create pods in class-s01? $sar"
[[ "$sar" == "no" ]] || { echo "measure: the authorizer lets s02 into class-s01" >&2; exit 1; }
echo "netpol agent: $(grep -c 'wrote' "$HOME/.cnai/clusters/$name/logs/netpol-$name-node-0.log" 2>/dev/null || echo '?') rule writes; last: $(grep 'wrote' "$HOME/.cnai/clusters/$name/logs/netpol-$name-node-0.log" 2>/dev/null | tail -1)"
"$cnai" classroom status --kubeconfig "$kc" | tail -3

t=$(now); "$cnai" classroom reset s01 --kubeconfig "$kc" | tail -1; c=$(since "$t"); wait_ready "$n" 300
echo "reset s01: command $c s, its server Ready again $(since "$t") s"
t=$(now); "$cnai" classroom reset --kubeconfig "$kc" | tail -1; c=$(since "$t"); wait_ready "$n" 600
echo "reset all: command $c s, all $n servers Ready again $(since "$t") s"
echo "after reset: $(mem)"
t=$(now); "$cnai" classroom delete --kubeconfig "$kc" | tail -1; echo "delete: $(since "$t") s"
