#!/usr/bin/env bash
# The judgment tables of docs/analysis.md and docs/events.md from one command (issue 17):
#   1. the three-way sentiment decision: its choice on Weibo corpora left out of training and
#      the 3x3 confusion on test (eval/neutral_calibration.py, about 40 s);
#   2. grade calibration: grade III+ events per 100,000 ordinary posts
#      (eval/grade_calibration.sh, about 30 s);
#   3. event clustering: B-cubed and NMI per stream against the time-gap baselines, with and
#      without `parent` (eval/events_eval.py, about 15 s).
#
#   eval/judgment_tables.sh [BUILD_DIR]     (default build/release; needs ../shared/data)
#
# Build first: cmake --build build/release --target yuqing analysis_train gen_corpus
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
for f in "$BUILD/yuqing" "$BUILD/src/analysis/analysis_train" "$BUILD/bench/ingest/gen_corpus"; do
  [ -x "$f" ] || { echo "judgment_tables: $f not found (cmake --build $BUILD)" >&2; exit 2; }
done
[ -d ../shared/data ] || { echo "judgment_tables: ../shared/data not found" >&2; exit 2; }

echo "## 1. Neutral: the three-way sentiment decision"
/usr/bin/python3 eval/neutral_calibration.py --build "$BUILD" | grep -v '^epoch \|^sentiment: '
echo
echo "## 2. Grade calibration"
bash eval/grade_calibration.sh --gen "$BUILD/bench/ingest/gen_corpus" "$BUILD/yuqing"
echo
echo "## 3. Event clustering against the clock"
/usr/bin/python3 eval/events_eval.py --yuqing "$BUILD/yuqing"
