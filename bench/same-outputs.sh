#!/usr/bin/env bash
# Behaviour check for refactors: run two builds of topictrends over the same jobs and
# compare every output file byte for byte (run.json's timings and paths aside).
#
# usage: bench/same-outputs.sh OLD_BINARY NEW_BINARY
#
# Jobs: the shipped input and config; the hand-counted fixture; the UN General Debate
# slice by year (config/examples/ungd-by-year.toml, when ../shared is there); the
# reference job of the benchmark kit on the same slice. Exit 0 when every file of every
# job is identical, 1 (with the differing files listed) otherwise.
#
# Example, before and after a change:
#   git stash; cargo build --release; cp target/release/topictrends /tmp/old
#   git stash pop; cargo build --release
#   bench/same-outputs.sh /tmp/old target/release/topictrends
set -euo pipefail

[[ $# -eq 2 ]] || { sed -n '2,15p' "$0"; exit 2; }
OLD=$(realpath "$1")
NEW=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SLICE=${SLICE:-$REPO/../shared/corpora/ungdc-1990-2004}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/topictrends-same.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# job NAME ARGS...: runs both binaries with ARGS plus --output, then compares.
status=0
job() {
  local name=$1
  shift
  local side
  for side in old new; do
    local bin=$OLD
    [[ $side == new ]] && bin=$NEW
    "$bin" -q run --no-cache "$@" --output "$WORK/$side/$name" || true
  done
  # run.json holds timings, the binary's path and the output folder: compare its stable keys only.
  local a=$WORK/old/$name b=$WORK/new/$name
  local differ
  differ=$(diff -rq -x run.json "$a" "$b" || true)
  if [[ -n $differ ]]; then
    echo "$name: outputs differ" >&2
    echo "$differ" >&2
    status=1
  else
    echo "$name: $(find "$a" -type f ! -name run.json | wc -l) files identical"
  fi
}

job shipped --config "$REPO/config/topictrends.toml"
job handcount --config "$REPO/tests/fixtures/handcount/config.toml"
if [[ -d $SLICE ]]; then
  job ungd-by-year --config "$REPO/config/examples/ungd-by-year.toml" --input "$SLICE"
  job reference --config "$REPO/bench/reference-job.toml" --input "$SLICE" --no-charts
else
  echo "no corpus slice at $SLICE: the General Debate jobs were not compared" >&2
  status=1
fi
exit $status
