#!/usr/bin/env bash
# What `./cnai up` (the starter stack on a local cluster) needs, built or checked on first use:
# the sim control plane, the real-node binaries and the OCI registry from their Go modules (seconds
# when cached; about 40 minutes on a fresh 2-core machine), and the operating system's packages for
# real nodes (runc, CNI plugins, busybox, iptables), installed with apt-get when this runs as root
# on a Debian-like system, else named with the command that installs them (exit 2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(runc containernetworking-plugins busybox-static iptables)
if ! bash "$here/build-node.sh" --check >/dev/null 2>&1; then
  missing="$(bash "$here/build-node.sh" --check 2>&1 | grep -i -E 'missing|install' || true)"
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "[tools] OS packages for real nodes: apt-get install ${packages[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "[tools] real nodes need root and these operating system packages: ${packages[*]}" >&2
    [[ -n "$missing" ]] && echo "$missing" >&2
    echo "[tools] run as root, or: sudo apt-get install -y ${packages[*]}" >&2
    exit 2
  fi
fi
for tool in sim node registry; do
  start=$(date +%s)
  echo "[tools] $tool: building or checking the cache (the first time takes minutes: Go builds) ..."
  bash "$here/build-$tool.sh" >/dev/null
  echo "[tools] $tool: ready ($(( $(date +%s) - start )) s)"
done
