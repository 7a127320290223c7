#!/usr/bin/env bash
# Benchmark: two builds side by side, alternating, on the same command line.
#
# usage: bench/ab.sh [--runs N] OLD_BIN NEW_BIN -- ARGS...
#
#   Runs `OLD_BIN ARGS... --output DIR` and `NEW_BIN ARGS... --output DIR` in turn
#   (old, new, old, new, ...) after one uncounted warm-up of each, N times each
#   (default 5), each into a fresh output folder, and prints every run's wall seconds,
#   CPU seconds (user + sys) and peak RSS, then the medians and the median of the
#   per-pair ratios new / old. Pairing keeps a ratio meaningful when the machine's
#   speed drifts during the call (a shared machine). Finally it checks that the two
#   builds wrote the same files byte for byte (run.json aside).
#
# Example (the default job with the workbook on the 5x slice, as bench/run.sh builds it):
#   bench/ab.sh /tmp/old/topictrends target/release/topictrends -- \
#     -q run --no-cache --input CORPUS --config WBJOB.toml
#
# Environment: WORK (scratch folder, default a new temp dir, removed at the end
# unless KEEP=1).
set -euo pipefail

RUNS=5
while (($#)); do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
(($# >= 3)) || { sed -n '4p' "$0" >&2; exit 2; }
OLD=$1 NEW=$2
shift 2
[[ ${1:-} == -- ]] && shift
[[ -x $OLD && -x $NEW ]] || { echo "OLD_BIN and NEW_BIN must be executables" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/topictrends-ab.XXXXXX")}
mkdir -p "$WORK"
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT

one() { # label bin out: one timed run, appends "wall cpu rss_kb" to $WORK/label
  rm -rf "$3"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$2" "${ARGS[@]}" --output "$3" > /dev/null 2> "$WORK/err" \
    || { echo "$1 failed:" >&2; cat "$WORK/err" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/t" >> "$WORK/$1"
}
ARGS=("$@")
: > "$WORK/old"
: > "$WORK/new"
one warm "$OLD" "$WORK/out-old"
one warm "$NEW" "$WORK/out-new"
for ((r = 0; r < RUNS; r++)); do
  one old "$OLD" "$WORK/out-old"
  one new "$NEW" "$WORK/out-new"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$WORK/$1" | median; }
ratio() { paste "$WORK/new" "$WORK/old" | awk -v c="$1" '{n=$c; o=$(c+3); if (o > 0) printf "%.3f\n", n/o}' | median; }

echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $RUNS pairs"
echo "run   old: wall s  cpu s  RSS MB | new: wall s  cpu s  RSS MB"
paste "$WORK/old" "$WORK/new" | awk '{printf "%3d   %13.2f %6.2f %7.0f | %11.2f %6.2f %7.0f\n", NR, $1, $2, $3/1024, $4, $5, $6/1024}'
printf 'median %12.2f %6.2f %7.0f | %11.2f %6.2f %7.0f\n' "$(col old 1)" "$(col old 2)" \
  "$(col old 3 | awk '{print $1/1024}')" "$(col new 1)" "$(col new 2)" "$(col new 3 | awk '{print $1/1024}')"
echo "new / old, median of the pairs: wall $(ratio 1), cpu $(ratio 2), peak RSS $(ratio 3)"
if diff -r -x run.json "$WORK/out-old" "$WORK/out-new" > /dev/null; then
  echo "outputs: identical (run.json aside)"
else
  echo "outputs: DIFFER (diff -r -x run.json on the last runs' folders)"
fi
