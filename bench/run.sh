#!/usr/bin/env bash
# Benchmark: topictrends side by side with `wc -w`, `cat` and the peer scripts
# of the benchmark kit, on the UN General Debate slice replicated to >= 200 MB.
#
# usage: bench/run.sh [--runs N] [--copies K] [--memory "1 5 22"] [--quick]
#
#   --runs N      timed runs per job after one uncounted warm-up (default 3; median reported)
#   --copies K    copies of the slice in the timed corpus (default 5: 235 MB)
#   --memory L    corpus sizes, in copies, for the memory curve (default "1 5 22";
#                 22 copies = 1.04 GB); "" skips it
#   --quick       1 run per job, no warm-up, no memory curve, no peers (smoke test)
#
# Environment: SLICE (default ../shared/corpora/ungdc-1990-2004 next to the
# repository), KIT (default ../shared/bench), WORK (scratch folder, default a
# new temp dir, removed at the end unless KEEP=1), PYTHON (default python3).
# The corpus is built under WORK and never inside the repository.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SLICE=${SLICE:-$REPO/../shared/corpora/ungdc-1990-2004}
KIT=${KIT:-$REPO/../shared/bench}
PY=${PYTHON:-python3}
RUNS=3
COPIES=5
MEMORY="1 5 22"
QUICK=0
while (($#)); do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --copies) COPIES=$2; shift 2 ;;
    --memory) MEMORY=$2; shift 2 ;;
    --quick) QUICK=1; RUNS=1; MEMORY=""; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -d $SLICE ]] || { echo "no corpus slice at $SLICE (set SLICE=...)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/topictrends-bench.XXXXXX")}
mkdir -p "$WORK"
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
echo "scratch: $WORK" >&2

# --- build --------------------------------------------------------------------
(cd "$REPO" && cargo build --release --quiet)
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release/topictrends
[[ -x $BIN ]] || { echo "no binary at $BIN" >&2; exit 2; }

# --- corpora --------------------------------------------------------------------
# Copy k of USA_45_1990.txt is USA-r<k>_45_1990.txt: distinct names that still
# match the peers' CODE_SESSION_YEAR.txt rule and keep the file's year.
build_corpus() { # copies dir
  local k=$1 dir=$2 i f b
  [[ -d $dir ]] && return
  mkdir -p "$dir.tmp"
  for ((i = 1; i <= k; i++)); do
    for f in "$SLICE"/*.txt; do
      b=${f##*/}
      cp "$f" "$dir.tmp/${b%%_*}-r${i}_${b#*_}"
    done
  done
  mv "$dir.tmp" "$dir"
}
corpus_bytes() { find "$1" -name "*.txt" -print0 | xargs -0 cat | wc -c; }

CORPUS=$WORK/corpus-x$COPIES
build_corpus "$COPIES" "$CORPUS"
BYTES=$(corpus_bytes "$CORPUS")
FILES=$(ls "$CORPUS" | wc -l)
cat "$CORPUS"/*.txt > "$WORK/ALL.txt"
WORDS=$(wc -w < "$WORK/ALL.txt")

# --- timing helpers ---------------------------------------------------------------
# time_job NAME RUNS CMD...: one warm-up, then RUNS timed runs; records
# "wall user sys rss_kb" per run in $WORK/times/NAME.
mkdir -p "$WORK/times"
time_job() {
  local name=$1 runs=$2; shift 2
  local out=$WORK/times/$name
  : > "$out"
  ((QUICK)) || "$@" > /dev/null 2>&1 || { echo "$name failed" >&2; return 1; }
  for ((r = 0; r < runs; r++)); do
    /usr/bin/time -f "%e %U %S %M" -o "$out.one" "$@" > /dev/null 2> "$out.err" \
      || { echo "$name failed:" >&2; cat "$out.err" >&2; return 1; }
    tail -1 "$out.one" >> "$out"
  done
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$WORK/times/$1" | median; }
wall() { col "$1" 1; }
rss_mb() { awk '{print $4}' "$WORK/times/$1" | sort -n | tail -1 | awk '{printf "%.0f", $1/1024}'; }
cpu() { awk '{print $2+$3}' "$WORK/times/$1" | median; }

OUT=$WORK/out
# --no-cache: every timed run reads and analyses the whole corpus (a rerun would
# otherwise reuse the reading cache of the warm-up).
RUN=("$BIN" -q run --no-cache --input "$CORPUS")
# The default job with the xlsx workbook on (default-job.toml leaves it out of
# "every CSV table"); written to the scratch folder with an absolute themes path.
sed -e 's/^workbook = false/workbook = true/' -e "s|\.\./config/themes.toml|$REPO/config/themes.toml|" \
  "$HERE/default-job.toml" > "$WORK/workbook-job.toml"
# The same without collocations: what they cost is the difference.
printf '\n[evidence]\ncollocations = false\n' | cat "$WORK/workbook-job.toml" - > "$WORK/no-collocations-job.toml"

time_job cat "$RUNS" sh -c "cat \"$CORPUS\"/*.txt > /dev/null"
time_job wc "$RUNS" env LC_ALL=C.UTF-8 wc -w "$WORK/ALL.txt"
time_job tables "$RUNS" "${RUN[@]}" --config "$HERE/default-job.toml" --output "$OUT/tables" --no-charts
time_job full "$RUNS" "${RUN[@]}" --config "$HERE/default-job.toml" --output "$OUT/full"
time_job workbook "$RUNS" "${RUN[@]}" --config "$WORK/workbook-job.toml" --output "$OUT/workbook"
time_job workbook_1t "$RUNS" env RAYON_NUM_THREADS=1 "${RUN[@]}" --config "$WORK/workbook-job.toml" --output "$OUT/workbook1"
time_job no_colloc "$RUNS" "${RUN[@]}" --config "$WORK/no-collocations-job.toml" --output "$OUT/no-colloc"
time_job reference "$RUNS" "${RUN[@]}" --config "$HERE/reference-job.toml" --output "$OUT/reference" --no-charts
time_job reference_1t "$RUNS" env RAYON_NUM_THREADS=1 "${RUN[@]}" --config "$HERE/reference-job.toml" --output "$OUT/reference1" --no-charts
time_job reference_2t "$RUNS" env RAYON_NUM_THREADS=2 "${RUN[@]}" --config "$HERE/reference-job.toml" --output "$OUT/reference2" --no-charts

HAVE_PEER=0
if ((!QUICK)) && [[ -f $KIT/peer_fast.py ]] && "$PY" -c "import Stemmer, matplotlib" 2> /dev/null; then
  HAVE_PEER=1
  time_job peer_fast "$RUNS" "$PY" "$KIT/peer_fast.py" "$CORPUS" "$OUT/peer_fast"
else
  echo "peer_fast.py skipped (kit or PyStemmer/matplotlib missing: bash $KIT/install_peers.sh)" >&2
fi
HAVE_SKLEARN=0
if ((!QUICK)) && [[ ${SKLEARN:-0} == 1 ]] && "$PY" -c "import sklearn, pandas, nltk" 2> /dev/null; then
  HAVE_SKLEARN=1
  time_job peer_sklearn 1 "$PY" "$KIT/peer_sklearn.py" --stemmer snowball "$CORPUS" "$OUT/peer_sklearn"
fi

# --- table -------------------------------------------------------------------------
MB=$(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b/1e6}')
WC=$(wall wc)
PEER=$( ((HAVE_PEER)) && wall peer_fast || echo "")
echo
echo "## $(date -u +%Y-%m-%d) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); corpus: $COPIES x slice = $FILES files, $MB MB, $WORDS words; median of $RUNS runs"
echo
printf '| %-44s | %9s | %8s | %8s | %7s | %9s | %9s |\n' job "wall s" "cpu s" "MB/s" "RSS MB" "/ wc -w" "peer/this"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" ----------- ---------- ---------- --------- ----------- -----------
row() { # name label
  local w; w=$(wall "$1")
  local ratio peer
  ratio=$(awk -v a="$w" -v b="$WC" 'BEGIN {printf "%.2f", a/b}')
  peer=$([[ -n $PEER ]] && awk -v a="$PEER" -v b="$w" 'BEGIN {printf "%.1f", a/b}' || echo "-")
  printf '| %-44s | %9s | %8s | %8.1f | %7s | %9s | %9s |\n' "$2" "$w" "$(cpu "$1")" \
    "$(awk -v b="$BYTES" -v w="$w" 'BEGIN {print b/1e6/w}')" "$(rss_mb "$1")" "$ratio" "$peer"
}
row cat 'cat CORPUS/*.txt > /dev/null'
row wc 'wc -w ALL.txt (LC_ALL=C.UTF-8)'
row tables 'topictrends run --no-charts (default-job)'
row full 'topictrends run (default-job, every chart)'
row workbook '  same, plus the xlsx workbook'
row workbook_1t '  same, RAYON_NUM_THREADS=1'
row no_colloc '  same, collocations = false'
row reference 'topictrends run --no-charts (reference-job)'
row reference_1t '  same, RAYON_NUM_THREADS=1'
row reference_2t '  same, RAYON_NUM_THREADS=2'
((HAVE_PEER)) && row peer_fast 'peer_fast.py (reference job, 2 processes)'
((HAVE_SKLEARN)) && row peer_sklearn 'peer_sklearn.py --stemmer snowball (1 run)'
echo
awk -v a="$(wall reference_1t)" -v b="$(wall reference_2t)" \
  'BEGIN {printf "scaling (reference job, whole run): 1 thread %.2f s, 2 threads %.2f s: %.2fx\n", a, b, a/b}'
awk -v a="$(wall workbook_1t)" -v b="$(wall workbook)" \
  'BEGIN {printf "scaling (default job with the workbook): 1 thread %.2f s, 2 threads %.2f s: %.2fx\n", a, b, a/b}'
awk -v a="$(wall workbook)" -v b="$(wall no_colloc)" \
  'BEGIN {printf "collocations (default job with the workbook): %.2f s with, %.2f s without: %.0f%% of the run\n", a, b, 100 * (a - b) / a}'
# Where the time of the default job with the workbook goes (its last run's run.json).
if command -v "$PY" > /dev/null; then
  "$PY" -c 'import json, sys
s = json.load(open(sys.argv[1]))["stages"]
print("stages (default job with the workbook, last run):", ", ".join(f"{k[:-3]} {v / 1000:.2f} s" for k, v in s.items()))' \
    "$OUT/workbook/run.json" || true
fi

# --- agreement with the peer ---------------------------------------------------------
if ((HAVE_PEER)); then
  echo
  echo "agreement, reference job vs peer_fast.py (compare_outputs.py):"
  # One more reference run with charts, for reference/themes.png.
  "${RUN[@]}" --config "$HERE/reference-job.toml" --output "$OUT/reference"
  "$PY" "$KIT/compare_outputs.py" "$OUT/reference/reference" "$OUT/peer_fast" | sed 's/^/    /' || true
  for f in term_counts.csv theme_scores.csv; do
    cmp -s "$OUT/reference/reference/$f" "$OUT/peer_fast/$f" && echo "    $f: byte-identical" \
      || echo "    $f: NOT byte-identical"
  done
fi

# --- memory curve ---------------------------------------------------------------------
if [[ -n $MEMORY ]]; then
  echo
  echo "memory (reference job --no-charts, 1 run each):"
  echo
  echo "| copies | files | MB | wall s | peak RSS MB |"
  echo "|---|---|---|---|---|"
  for k in $MEMORY; do
    dir=$WORK/corpus-x$k
    build_corpus "$k" "$dir"
    /usr/bin/time -f "%e %M" -o "$WORK/mem.one" "$BIN" -q run --input "$dir" \
      --config "$HERE/reference-job.toml" --output "$OUT/mem" --no-charts
    read -r w kb < <(tail -1 "$WORK/mem.one")
    echo "| $k | $(ls "$dir" | wc -l) | $(awk -v b="$(corpus_bytes "$dir")" 'BEGIN {printf "%.0f", b/1e6}') | $w | $((kb / 1024)) |"
    [[ $k == "$COPIES" ]] || rm -rf "$dir"
  done
fi

# --- reruns from records, shards and merge ------------------------------------------------
if ((!QUICK)); then
  echo
  SLICE=$SLICE "$HERE/rerun.sh" --runs 1
fi
