#!/usr/bin/env bash
# Benchmark: reruns from statement records, and shards plus merge, on the UN General
# Debate slice (or the slice copied K times).
#
# usage: bench/rerun.sh [--runs N] [--copies K]
#
#   --runs N      rounds (default 2), each from an empty cache; every run is listed
#   --copies K    copies of the slice in the corpus (default 1: the slice itself)
#
# Each round times, with the cache on (the default of `run`):
#   first    a run with an empty cache (reads, analyses, stores readings and records)
#   added    a rerun after one statement was added (one statement analysed)
#   theme    a rerun after a theme pattern was added (every record's key changes)
#   shard1   `run --shard 1/1` (--no-cache), then merge1 its `merge`
#   shardK/3 `run --shard K/3` for K = 1, 2, 3 one after another (--no-cache), then merge3:
#            the sum of the three is the work, the longest shard plus merge3 the wall time
#            on three machines
#   one      a clean `run --no-cache` (what shards are compared with)
# and checks that every output equals a clean `--no-cache` run byte for byte.
#
# Environment: SLICE (default ../shared/corpora/ungdc-1990-2004 next to the repository),
# WORK (scratch folder, default a new temp dir, removed at the end unless KEEP=1),
# BIN (a topictrends binary to time instead of building this checkout's release build:
# compare two versions side by side by running the script once with each),
# SHARDS=0 (time the reruns only: skip the shard and merge steps).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SLICE=${SLICE:-$REPO/../shared/corpora/ungdc-1990-2004}
RUNS=2
COPIES=1
while (($#)); do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --copies) COPIES=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -d $SLICE ]] || { echo "no corpus slice at $SLICE (set SLICE=...)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/topictrends-rerun.XXXXXX")}
mkdir -p "$WORK"
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
echo "scratch: $WORK" >&2

if [[ -z ${BIN:-} ]]; then
  (cd "$REPO" && cargo build --release --quiet)
  BIN=${CARGO_TARGET_DIR:-$REPO/target}/release/topictrends
fi

# The project: the example General Debate job (grouped by year, collocations on) with a
# copy of the shipped dictionary that the theme round edits.
P=$WORK/project
mkdir -p "$P/config/examples" "$P/input"
cp "$REPO/config/examples/ungd-by-year.toml" "$P/config/examples/"
if ((COPIES > 1)); then
  # The copies have the same text: counted, not skipped as duplicates.
  sed -i 's/^include = \["txt"\]$/&\nduplicates = "ignore"/' "$P/config/examples/ungd-by-year.toml"
  grep -q '^duplicates = "ignore"' "$P/config/examples/ungd-by-year.toml" \
    || { echo "could not set duplicates = \"ignore\" in the job" >&2; exit 2; }
fi
cp "$REPO/config/themes.toml" "$P/config/themes.toml"
for ((i = 1; i <= COPIES; i++)); do
  for f in "$SLICE"/*.txt; do
    b=${f##*/}
    cp "$f" "$P/input/${b%%_*}-r${i}_${b#*_}"
  done
done
FILES=$(ls "$P/input" | wc -l)
MB=$(cat "$P/input"/*.txt | wc -c | awk '{printf "%.1f", $1/1e6}')
CFG=config/examples/ungd-by-year.toml
# An extra statement with the slice's file-name pattern, added in round "added".
# (Its text differs from every other file's, or it would be skipped as a duplicate.)
SLICE_FILES=("$SLICE"/*.txt)
EXTRA=${SLICE_FILES[0]}
RUN=("$BIN" -q run --config "$CFG" --input input)

t() { # label cmd...: runs in the project, prints "label wall user+sys"
  local label=$1; shift
  (cd "$P" && /usr/bin/time -f "%e %U %S" -o "$WORK/t" "$@" > /dev/null 2> "$WORK/err") \
    || { echo "$label failed:" >&2; cat "$WORK/err" >&2; exit 1; }
  awk -v l="$label" '{printf "%-8s %7.2f %7.2f\n", l, $1, $2 + $3}' "$WORK/t"
}
same() { # dir: equal to the clean run, run.json aside
  (cd "$P" && "${RUN[@]}" --output clean --no-cache > /dev/null 2>&1)
  diff -r -x run.json "$P/clean" "$P/$1" > /dev/null || { echo "$1 differs from a clean run" >&2; exit 1; }
}

echo "corpus: $COPIES x slice = $FILES files, $MB MB; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "label     wall s   cpu s"
for ((r = 1; r <= RUNS; r++)); do
  rm -rf "$P"/.out.cache "$P"/out "$P"/parts* "$P"/merged*
  cp "$REPO/config/themes.toml" "$P/config/themes.toml"
  rm -f "$P/input/ZZZ-added_45_1990.txt"
  t first "${RUN[@]}" --output out
  { cat "$EXTRA"; echo "An added paragraph for the rerun benchmark."; } > "$P/input/ZZZ-added_45_1990.txt"
  t added "${RUN[@]}" --output out
  same out
  printf '\n[[theme]]\nname = "Benchmark edit"\npatterns = ["rerun benchmark"]\n' >> "$P/config/themes.toml"
  t theme "${RUN[@]}" --output out
  same out
  if [[ ${SHARDS:-1} == 0 ]]; then
    t one "${RUN[@]}" --no-cache --output one
    continue
  fi
  t shard1 "${RUN[@]}" --no-cache --shard 1/1 --partial parts1/p1.bin
  t merge1 "$BIN" -q merge parts1/p1.bin --config "$CFG" --output merged1
  same merged1
  for k in 1 2 3; do
    t "shard$k/3" "${RUN[@]}" --no-cache --shard "$k/3" --partial "parts3/p$k.bin"
  done
  t merge3 "$BIN" -q merge parts3/p1.bin parts3/p2.bin parts3/p3.bin --config "$CFG" --output merged3
  same merged3
  t one "${RUN[@]}" --no-cache --output one
done
