#!/usr/bin/env bash
# The benchmark on more than one Node: runs `npm run bench` under each
# Node given after the first (JSON only), then under the first one for the
# report, whose "Node versions side by side" section puts the headline
# figures of every run next to each other. Each Node comes from
# scripts/with-node.sh (the pinned versions of scripts/node-versions).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() {
  cat <<'EOF'
Usage: scripts/bench-nodes.sh [--out DIR] [MAJOR [BESIDE...]] [-- BENCH-OPTION...]

Runs the benchmark under Node BESIDE (each, in order; JSON only), then
under Node MAJOR, writing MAJOR's report to DIR with the headline figures
of every run side by side. The BESIDE runs' results are kept in DIR as
results-nodeN.json, which the report names.

  --out DIR   where the report goes (default: bench/results)
  MAJOR       the Node of the report (default: 24)
  BESIDE      Nodes to compare with (default: 20)
  --          the rest goes to every `npm run bench` (e.g. -- --quick);
              not --out, --no-report or --beside, which this script sets
  --help      this text

The committed report:  scripts/bench-nodes.sh --out docs/benchmarks 24 20
A quick check:         scripts/bench-nodes.sh --out /tmp/bench 24 20 -- --quick
EOF
}

die() {
  echo "bench-nodes: $*" >&2
  exit 2
}

out=bench/results
majors=()
bench_options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --out)
      [[ $# -ge 2 ]] || die "--out needs a directory"
      out="$2"
      shift 2
      ;;
    --)
      shift
      bench_options=("$@")
      break
      ;;
    *)
      [[ "$1" =~ ^[0-9]+$ ]] || die "unknown argument '$1' (see --help)"
      majors+=("$1")
      shift
      ;;
  esac
done
for option in "${bench_options[@]}"; do
  case "$option" in
    --out | --no-report | --beside) die "$option is this script's to set, not a bench option to pass (see --help)" ;;
  esac
done
[[ ${#majors[@]} -ge 1 ]] || majors=(24)
[[ ${#majors[@]} -ge 2 ]] || majors+=(20)
main="${majors[0]}"
others=("${majors[@]:1}")

# Every Node installed before any timing starts, so a download never
# competes with a measurement, and a missing version fails at once.
for major in "${majors[@]}"; do
  scripts/with-node.sh "$major" node --version >/dev/null
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

beside=()
for major in "${others[@]}"; do
  echo "== bench on Node $major (figures only)" >&2
  scripts/with-node.sh "$major" npm run bench -- "${bench_options[@]}" \
    --no-report --out "$work/node$major"
  cp "$work/node$major/results.json" "$out/results-node$major.json"
  beside+=(--beside "$out/results-node$major.json")
done

echo "== bench on Node $main (the report)" >&2
scripts/with-node.sh "$main" npm run bench -- "${bench_options[@]}" --out "$out" "${beside[@]}"
