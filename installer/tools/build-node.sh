#!/usr/bin/env bash
# Builds the binaries of a real node of the `local` cluster provider from their Go modules:
#   kubelet, kube-proxy                      (k8s.io/kubernetes, the version build-sim.sh builds)
#   containerd, containerd-shim-runc-v2, ctr (github.com/containerd/containerd/v2)
#   coredns                                  (github.com/coredns/coredns, the cluster DNS of the
#                                             nodes: its core and the plugins a cluster needs)
#   cnai-netpol                              (installer/tools/netpol: cnai's NetworkPolicy agent,
#                                             iptables in the node's network namespace)
# and checks the parts that come from the operating system's packages: runc, the CNI plugins
# (bridge, host-local, loopback), iptables (kube-proxy) and a static busybox (the root file
# system of the images cnai builds for its tests and for the pod sandbox).
#
# Binaries are cached like the sim ones: ${CNAI_TOOLS:-$HOME/.cache/cnai/tools}/<name>/<version>/<name>.
# The Kubernetes version and the build helpers come from build-sim.sh (sourced), so the kubelet is
# always the control plane's version. CONTAINERD_VERSION must match NodeVersions.java (a unit test
# compares them).
#
#   bash installer/tools/build-node.sh           # build what is missing, check the packages
#   bash installer/tools/build-node.sh --check   # only say what is missing (exit 1 if anything)
set -euo pipefail

SCRIPT_NAME=build-node
# shellcheck source=build-sim.sh
source "$(dirname "${BASH_SOURCE[0]}")/build-sim.sh"

CONTAINERD_VERSION="v2.4.2"
COREDNS_VERSION="v1.15.0"
# cnai's own NetworkPolicy agent (installer/tools/netpol). Its cached binary is built again when the
# hash of its sources changes (recorded beside it), so a changed agent never runs stale.
NETPOL_VERSION="v0.1.0"
NETPOL_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/netpol"

# What the operating system provides (Debian and Ubuntu package names).
OS_PACKAGES="runc containernetworking-plugins busybox-static iptables"
CNI_DIRS=(/usr/lib/cni /opt/cni/bin)

cni_dir() {
  local d
  for d in "${CNI_DIRS[@]}"; do
    [[ -x "$d/bridge" && -x "$d/host-local" && -x "$d/loopback" ]] && { echo "$d"; return 0; }
  done
  return 1
}

# Prints what the operating system lacks, one item a line.
os_missing() {
  command -v runc >/dev/null || echo "runc"
  cni_dir >/dev/null || echo "CNI plugins bridge, host-local, loopback (in ${CNI_DIRS[*]})"
  [[ -x /bin/busybox ]] && /bin/busybox --list >/dev/null 2>&1 && ! ldd /bin/busybox >/dev/null 2>&1 \
    || echo "a static busybox at /bin/busybox"
  local t
  for t in ip nsenter mount umount setsid iptables iptables-restore; do command -v "$t" >/dev/null || echo "$t"; done
}

node_bins() {
  echo "kubelet $K8S_VERSION"
  echo "kube-proxy $K8S_VERSION"
  echo "containerd $CONTAINERD_VERSION"
  echo "containerd-shim-runc-v2 $CONTAINERD_VERSION"
  echo "ctr $CONTAINERD_VERSION"
  echo "coredns $COREDNS_VERSION"
  echo "cnai-netpol $NETPOL_VERSION"
}

netpol_hash() { cat "$NETPOL_SRC"/go.mod "$NETPOL_SRC"/go.sum "$NETPOL_SRC"/*.go | sha256sum | cut -c1-16; }

# The agent is a module of this repository: its go.sum pins what it needs of client-go.
build_netpol() {
  local dest; dest="$(bin_path cnai-netpol "$NETPOL_VERSION")"
  local want; want="$(netpol_hash)"
  [[ -x "$dest" && "$(cat "$dest.src" 2>/dev/null)" == "$want" ]] && return 0
  log "building cnai-netpol $NETPOL_VERSION (sources $want)"
  mkdir -p "$(dirname "$dest")"
  ( cd "$NETPOL_SRC" && GOFLAGS="$GOFLAGS -mod=readonly" go build -trimpath -ldflags "-s -w" -o "$dest.tmp.$$" . ) >&2
  mv "$dest.tmp.$$" "$dest"
  echo "$want" > "$dest.src"
}

# CoreDNS is built as its docs describe for a chosen set of plugins: a main package that imports
# the core and those plugins and sets their order (the cluster DNS of a node needs no forwarding:
# names outside cluster.local are refused).
build_coredns() {
  have coredns "$COREDNS_VERSION" && return 0
  local work; work="$(mktemp -d "${TMPDIR:-/tmp}/cnai-coredns-build.XXXXXX")"
  cat >"$work/main.go" <<'GO'
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

func init() {
	dnsserver.Directives = []string{"errors", "log", "health", "ready", "cache", "loadbalance", "kubernetes"}
}

func main() { coremain.Run() }
GO
  log "building coredns $COREDNS_VERSION (core and the cluster plugins)"
  (
    cd "$work"
    go mod init cnai.local/coredns >/dev/null 2>&1
    GOFLAGS=-mod=mod go get "github.com/coredns/coredns@$COREDNS_VERSION" >&2
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o coredns . >&2
  )
  local dest; dest="$(bin_path coredns "$COREDNS_VERSION")"
  mkdir -p "$(dirname "$dest")"
  mv "$work/coredns" "$dest.tmp.$$" && mv "$dest.tmp.$$" "$dest"
  rm -rf "$work"
}

check() {
  local bad=0 name version
  while read -r name version; do
    have "$name" "$version" || { log "missing: $(bin_path "$name" "$version")"; bad=1; }
  done < <(node_bins)
  if have cnai-netpol "$NETPOL_VERSION" && [[ "$(cat "$(bin_path cnai-netpol "$NETPOL_VERSION").src" 2>/dev/null)" != "$(netpol_hash)" ]]; then
    log "stale: $(bin_path cnai-netpol "$NETPOL_VERSION") (its sources changed)"; bad=1
  fi
  local m; m="$(os_missing)"
  if [[ -n "$m" ]]; then
    log "missing from the system: $(echo "$m" | paste -sd, -)"
    log "install them with: apt-get update && apt-get install -y $OS_PACKAGES"
    bad=1
  fi
  return $bad
}

node_main() {
  if [[ "${1:-}" == "--check" ]]; then
    check && log "everything is there"
    return
  fi
  command -v go >/dev/null || die "go is not installed (Kubernetes $K8S_VERSION needs Go 1.26 or newer)"
  mkdir -p "$TOOLS"
  exec 9>"$TOOLS/.build-node.lock"
  flock 9

  build_kubernetes kubelet kube-proxy

  local missing=() b
  for b in containerd containerd-shim-runc-v2 ctr; do have "$b" "$CONTAINERD_VERSION" || missing+=("$b"); done
  if ((${#missing[@]})); then
    local m=github.com/containerd/containerd/v2 specs=()
    for b in "${missing[@]}"; do specs+=("$m/cmd/$b:$b"); done
    # btrfs needs cgo and devmapper a thin pool; the overlayfs snapshotter is what nodes use.
    BUILD_TAGS="no_btrfs,no_devmapper" build_module containerd "$m" "$CONTAINERD_VERSION" "$CONTAINERD_VERSION" \
      "-X $m/version.Version=$CONTAINERD_VERSION -X $m/version.Package=$m" "${specs[@]}"
  fi

  build_coredns
  build_netpol

  local name version
  while read -r name version; do bin_path "$name" "$version"; done < <(node_bins)
  # Missing packages do not fail the build: `cnai cluster create --provider local` exits 2 and the
  # real-node tests report "not run", both naming what to install; --check exits 1.
  local m; m="$(os_missing)"
  if [[ -n "$m" ]]; then
    log "warning: missing from the system: $(echo "$m" | paste -sd, -)"
    log "warning: install them with: apt-get update && apt-get install -y $OS_PACKAGES"
  fi
}

node_main "$@"
