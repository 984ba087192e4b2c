#!/usr/bin/env bash
# Segmentation speed of yuqing vs Python jieba vs jieba-rs (@node-rs/jieba) on one ≥ 20 MB
# corpus built from ../shared/data, single thread each, then the SimHash index at 1M.
# Usage: bench/segment_bench.sh [BUILD_DIR]   (default build/text; needs text_segment_bench,
# text_simhash_bench built there, python3-jieba, node + npm for the jieba-rs baseline)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/text}"
corpus="$build/segment_corpus.txt"
python3 "$root/bench/segment_corpus.py" "$corpus"
echo; echo "== yuqing (C++)"
"$build/bench/text/text_segment_bench" "$corpus" 3
echo; echo "== Python jieba"
/usr/bin/python3 "$root/bench/segment_bench_jieba.py" "$corpus"
echo; echo "== jieba-rs via @node-rs/jieba"
(cd "$root/bench/jieba-rs" && npm install --no-audit --no-fund --silent)
node "$root/bench/jieba-rs/bench.js" "$corpus"
echo; echo "== SimHash index"
"$build/bench/text/text_simhash_bench" 1000000
