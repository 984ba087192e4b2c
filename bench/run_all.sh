#!/usr/bin/env bash
# Runs every benchmark and prints its figures with the command that produced them.
# Usage: bench/run_all.sh            (POSTS=1000000 by default; POSTS=200000 for a quick run)
# Record the output in docs/benchmarks.md. Timing figures depend on the machine and its load:
# compare variants side by side in one run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/release"
posts="${POSTS:-1000000}"
out="${OUT:-/tmp/yuqing-bench}"
mkdir -p "$out"

echo "== corpus: $posts posts (seed 42)"
"$build/bench/ingest/gen_corpus" --posts "$posts" --seed 42 --data "$root/../shared/data" > "$out/corpus.ndjson"

echo; echo "== ingest and search (jieba words)"
"$build/bench/ingest/ingest_bench" --corpus "$out/corpus.ndjson" --db "$out/bench.db" --tokenizer jieba
echo; echo "== ingest and search (character bigrams)"
"$build/bench/ingest/ingest_bench" --corpus "$out/corpus.ndjson" --db "$out/bench-bigram.db" --tokenizer bigram

echo; echo "== rules"
"$build/bench/rules/rules_bench" --rules 5000 --posts 100000 --passes 10 --baseline-posts 300

echo; echo "== accounts, routing, audit"
"$build/bench/access/login_bench"
"$build/bench/org/route_bench"
"$build/bench/audit/audit_bench" --entries 1000000 --batch 10000

echo; echo "== cases"
"$build/bench/cases/sweep_bench" --cases 100000 --opens 1000
"$build/bench/cases/assessment_bench"

echo; echo "== reports"
"$build/bench/reports/report_bench" --posts 1000000 --event-posts 100000 --pdf

echo; echo "== text engine"
bash "$root/bench/segment_bench.sh" "$build"
