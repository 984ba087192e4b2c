#!/usr/bin/env bash
# Renders docs/screenshots/report-daily.png and report-event.png: the first page of the daily
# report of 17 November and of the special report on the scenario's largest event, made from
# the demo scenario (data/demo/scenario.ndjson) with build/release/yuqing, printed to PDF by
# Chromium and drawn at 60 dpi by pdftoppm. Needs `make build` and scripts/setup.sh's tools.
# Usage: scripts/report_screenshots.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/release/yuqing"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/demo.db"
now="2026-11-20T09:00:00+08:00"
"$bin" ingest --db "$db" -q "$root/data/demo/scenario.ndjson"
event=$("$bin" events list --db "$db" --sort posts --limit 1 --json |
  python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["id"])')
"$bin" report daily --db "$db" --date 2026-11-17 --now "$now" --format pdf -o "$work/daily.pdf"
"$bin" report event --db "$db" --event "$event" --now "$now" --format pdf -o "$work/event.pdf"
for kind in daily event; do
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/$kind.pdf" "$root/docs/screenshots/report-$kind"
  echo "wrote docs/screenshots/report-$kind.png"
done
