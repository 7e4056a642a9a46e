#!/usr/bin/env bash
# Builds the binaries of the `sim` cluster provider from their Go modules:
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubectl  (k8s.io/kubernetes)
#   etcd                                                              (go.etcd.io/etcd/server/v3)
#   kwok                                                              (sigs.k8s.io/kwok)
# Everything comes through the Go module proxy; nothing is downloaded from elsewhere.
#
# Binaries are cached outside the repository, keyed by version:
#   ${CNAI_TOOLS:-$HOME/.cache/cnai/tools}/<name>/<version>/<binary>
# A second run finds them and returns in well under a second.
#
# The versions below are the single source of truth; SimVersions.java must name the same ones
# (a unit test compares them).
set -euo pipefail

K8S_VERSION="v1.37.2"
# The etcd that k8s.io/kubernetes v1.37.2 itself requires in its go.mod (go.etcd.io/etcd/server/v3).
ETCD_VERSION="v3.7.0"
KWOK_VERSION="v0.8.0"

TOOLS="${CNAI_TOOLS:-$HOME/.cache/cnai/tools}"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false"

WORK_DIRS=()
cleanup() { local d; for d in "${WORK_DIRS[@]}"; do rm -rf "$d"; done; }
trap cleanup EXIT

# build-node.sh sources this file for the versions and helpers below; it sets its own name.
SCRIPT_NAME="${SCRIPT_NAME:-build-sim}"
log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$SCRIPT_NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

bin_path() { echo "$TOOLS/$1/$2/$1"; }          # name version
have() { [[ -x "$(bin_path "$1" "$2")" ]]; }      # name version

# Prints, for every replace directive of a go.mod that points into the module's own repository
# (./staging/src/..., ../api, ...), the same module at the given published version; other
# replace directives are kept as they are. This is what a module that builds k8s.io/kubernetes
# (or etcd) as a dependency needs, since local replaces of a dependency are ignored.
replaces_of() { # gomod-file published-version
  awk -v ver="$2" '
    /^replace \(/ { block = 1; next }
    block && /^\)/ { block = 0; next }
    /^replace / { sub(/^replace /, ""); line($0); next }
    block { line($0) }
    function line(s,   parts) {
      sub(/\/\/.*/, "", s); gsub(/^[ \t]+|[ \t]+$/, "", s)
      if (s == "") return
      split(s, parts, /[ \t]+=>[ \t]+/)
      if (parts[2] ~ /^\.\.?\//) { split(parts[1], lhs, /[ \t]+/); printf "\t%s => %s %s\n", lhs[1], lhs[1], ver }
      else printf "\t%s\n", s
    }' "$1"
}

gomod_file() { # module@version -> path of its go.mod in the module cache
  go mod download -json "$1" | awk -F'"' '/"GoMod"/ { print $4 }'
}

# build_module NAME-OF-TEMP MODULE VERSION PUBLISHED-VERSION-FOR-LOCAL-REPLACES LDFLAGS PKG:BIN...
# (build tags, comma separated, from $BUILD_TAGS when set)
build_module() {
  local label="$1" module="$2" version="$3" sibling="$4" ldflags="$5"; shift 5
  local work; work="$(mktemp -d "${TMPDIR:-/tmp}/cnai-sim-$label.XXXXXX")"
  WORK_DIRS+=("$work")
  local modfile; modfile="$(gomod_file "$module@$version")"
  [[ -f "$modfile" ]] || die "cannot read go.mod of $module@$version through the Go module proxy"
  {
    echo "module cnai.local/sim-build-$label"
    echo
    echo "go $(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"
    echo
    echo "require $module $version"
    echo
    echo "replace ("
    replaces_of "$modfile" "$sibling"
    echo ")"
  } > "$work/go.mod"
  local pkgs=() bins=() pb
  for pb in "$@"; do pkgs+=("${pb%%:*}"); bins+=("${pb##*:}"); done
  log "$label: resolving ${pkgs[*]} ($module $version)"
  (cd "$work" && go get "${pkgs[@]/%/@$version}" >"$work/get.log" 2>&1) \
    || { tail -n 30 "$work/get.log" >&2; die "go get failed for $module $version"; }
  # go get may have settled the main module at the right version; the packages are then built
  # from the module graph it wrote.
  log "$label: building ${bins[*]}"
  mkdir -p "$work/bin"
  (cd "$work" && go build -trimpath ${BUILD_TAGS:+-tags="$BUILD_TAGS"} -ldflags="-s -w $ldflags" -o "$work/bin/" "${pkgs[@]}") \
    || die "go build failed for $module $version"
  local i out
  for i in "${!pkgs[@]}"; do
    # go names a binary after the last path element, or the one before a /vN suffix.
    local name; name="$(basename "${pkgs[$i]}")"
    [[ "$name" =~ ^v[0-9]+$ ]] && name="$(basename "$(dirname "${pkgs[$i]}")")"
    local src="$work/bin/$name"
    out="$(bin_path "${bins[$i]}" "$version")"
    mkdir -p "$(dirname "$out")"
    cp "$src" "$out.tmp.$$" && chmod 0755 "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out"
    log "$label: installed $out"
  done
}

# Builds those of the named k8s.io/kubernetes commands (cmd/<name>) that are not cached yet, at
# K8S_VERSION, with the version stamps that make /version and --version say K8S_VERSION.
build_kubernetes() { # name...
  local missing=() b
  for b in "$@"; do have "$b" "$K8S_VERSION" || missing+=("$b"); done
  ((${#missing[@]})) || return 0
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local staging="v0.${K8S_VERSION#v1.}"
  local v="k8s.io/component-base/version" cv="k8s.io/client-go/pkg/version" ld="" p
  for p in "$v" "$cv"; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  local specs=()
  for b in "${missing[@]}"; do specs+=("k8s.io/kubernetes/cmd/$b:$b"); done
  build_module kubernetes k8s.io/kubernetes "$K8S_VERSION" "$staging" "$ld" "${specs[@]}"
}

main() {
  command -v go >/dev/null || die "go is not installed (Kubernetes $K8S_VERSION needs Go 1.26 or newer)"
  mkdir -p "$TOOLS"
  # One build at a time per cache (tests and CI may both call this script).
  exec 9>"$TOOLS/.build-sim.lock"
  flock 9

  local k8s_bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  build_kubernetes "${k8s_bins[@]}"

  if ! have etcd "$ETCD_VERSION"; then
    build_module etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "$ETCD_VERSION" "" \
      "go.etcd.io/etcd/server/v3:etcd"
  fi

  if ! have kwok "$KWOK_VERSION"; then
    build_module kwok sigs.k8s.io/kwok "$KWOK_VERSION" "$KWOK_VERSION" \
      "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" "sigs.k8s.io/kwok/cmd/kwok:kwok"
  fi

  for b in "${k8s_bins[@]}"; do echo "$(bin_path "$b" "$K8S_VERSION")"; done
  bin_path etcd "$ETCD_VERSION"
  bin_path kwok "$KWOK_VERSION"
}

# Sourced (by build-node.sh): only the definitions above.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
