#!/usr/bin/env bash
# Grade calibration (docs/events.md "Risk grading"): how many events of grade III 较大 or more
# does a stream of ordinary posts make? A grade says how dangerous an event is, not how busy:
# background posts clustered together should stay IV (target: 0 per 100,000 posts).
#
# Two streams (--stream):
#   ordinary (default): eval/ordinary_stream.py, one real post or review per record from the
#     sentiment and review corpora, authors with one home county of one province and their own
#     channels;
#   collage: bench/ingest/gen_corpus, each post glued from sentences of several corpora
#     (reviews, Weibo posts, Weibo21 fake and real news) with a random region of China.
# The stream is ingested by `yuqing ingest` (analysis, clustering, heat and risk as in production)
# into a temporary database per binary; the grades are counted from the stored events (merged
# events left out: their survivor carries them).
#
#   eval/grade_calibration.sh [--stream ordinary|collage] [--posts N] [--seed S] [--data DIR]
#                             [--gen GEN_CORPUS] [--keep DIR] BINARY [BINARY ...]
#
# Each BINARY is a `yuqing` executable (e.g. HEAD's, built in a worktree, and the working
# tree's). Prints one table row per binary, and for each the III+ events by the kind of their
# strongest reason, so a remaining false grade can be traced to its factor.
set -euo pipefail
cd "$(dirname "$0")/.."

POSTS=100000
SEED=42
DATA=../shared/data
GEN=build/release/bench/ingest/gen_corpus
KEEP=""
STREAM=ordinary
BINS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --posts) POSTS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --gen) GEN="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    --stream) STREAM="$2"; shift 2 ;;
    -h|--help) sed -n 2,22p "$0"; exit 0 ;;
    *) BINS+=("$1"); shift ;;
  esac
done
if [ ${#BINS[@]} -eq 0 ]; then
  echo "usage: $0 [--posts N] [--seed S] [--data DIR] [--gen GEN_CORPUS] BINARY..." >&2
  exit 2
fi
case "$STREAM" in
  ordinary) TOOLS=(sqlite3 python3) ;;
  collage) TOOLS=(sqlite3 "$GEN") ;;
  *) echo "grade_calibration: --stream is ordinary or collage, not $STREAM" >&2; exit 2 ;;
esac
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null || { echo "grade_calibration: $tool not found" >&2; exit 2; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ "$STREAM" = ordinary ]; then
  python3 eval/ordinary_stream.py --posts "$POSTS" --seed "$SEED" --data "$DATA" > "$WORK/stream.ndjson"
  echo "# $(date -u +%Y-%m-%d) eval/ordinary_stream.py --posts $POSTS --seed $SEED --data $DATA"
else
  "$GEN" --posts "$POSTS" --seed "$SEED" --data "$DATA" > "$WORK/stream.ndjson"
  echo "# $(date -u +%Y-%m-%d) gen_corpus --posts $POSTS --seed $SEED --data $DATA"
fi
printf '| %-40s | %7s | %5s | %5s | %5s | %6s | %10s | %6s |\n' \
  binary events I II III IV "III+/100k" seconds
printf '|%s|\n' "------------------------------------------|--------:|------:|------:|------:|-------:|-----------:|-------:"
i=0
for bin in "${BINS[@]}"; do
  i=$((i + 1))
  db="$WORK/run$i.db"
  start=$(date +%s)
  "$bin" ingest "$WORK/stream.ndjson" --db "$db" --quiet
  secs=$(( $(date +%s) - start ))
  q() { sqlite3 "$db" "$1"; }
  total=$(q "select count(*) from events where merged_into = 0")
  g() { q "select count(*) from events where merged_into = 0 and grade = $1"; }
  g1=$(g 1); g2=$(g 2); g3=$(g 3); g4=$(g 4)
  high=$((g1 + g2 + g3))
  rate=$(awk -v h="$high" -v n="$POSTS" 'BEGIN { printf "%.1f", h * 100000 / n }')
  printf '| %-40s | %7s | %5s | %5s | %5s | %6s | %10s | %6s |\n' \
    "$bin" "$total" "$g1" "$g2" "$g3" "$g4" "$rate" "$secs"
  # The III+ events by their first (strongest substantive) reason and whether aggravators
  # lifted them.
  q "select '    ' || json_extract(detail, '$.risk.grade_name') || ' (base '
            || json_extract(detail, '$.risk.base') || ', first reason '
            || json_extract(detail, '$.risk.reasons[0].factor') || ')' as k, count(*)
       from events where merged_into = 0 and grade <= 3
      group by k order by count(*) desc" >&2
  if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && cp "$db" "$KEEP/run$i.db"; fi
done
