#!/usr/bin/env bash
# `make demo`: a fresh demo database with the scenario and background posts, then the server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/release
DEMO=build/demo
rm -rf "$DEMO" && mkdir -p "$DEMO"
DB="$DEMO/demo.db"
if [ -d ../shared/data ]; then
  echo "demo: generating 20,000 background posts from ../shared/data"
  "$BIN/bench/ingest/gen_corpus" --posts 20000 --seed 42 --data ../shared/data > "$DEMO/background.ndjson"
  "$BIN/yuqing" ingest "$DEMO/background.ndjson" --db "$DB" --quiet
fi
# An alert policy (no targets: alerts are listed and streamed) before the scenario arrives.
"$BIN/yuqing" policies add --file data/demo/policy.json --db "$DB"
"$BIN/yuqing" ingest data/demo/scenario.ndjson --db "$DB"
# The organisation the incidents route to (长治市 and its counties, 山西省, the national bodies;
# placeholder people), and an analyst whose token the examples below use.
"$BIN/yuqing" org import data/org/changzhi.toml --db "$DB"
"$BIN/yuqing" users add demo-analyst --role analyst --display-name "研判员（示例）" --db "$DB" >/dev/null 2>&1
TOKEN=$("$BIN/yuqing" tokens create demo --user demo-analyst --db "$DB" 2>/dev/null)
LISTEN="${YQ_DEMO_LISTEN:-127.0.0.1:8080}"
cat <<TXT

  试试 / try:
    $BIN/yuqing search '苯胺 OR 浊漳河' --db $DB
    $BIN/yuqing events list --db $DB --region 1404
    $BIN/yuqing alerts list --db $DB
    curl -sN -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/alerts/stream?after=0'
    curl -s -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/events?sort=heat&limit=5'
    curl -s -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/search?q=%E8%8B%AF%E8%83%BA'
    curl -s -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/events/1/routing'
    echo '{"regions":["140406"],"domains":["environment"],"grade":2,"kinds":["emergency"]}' | $BIN/yuqing cases route --db $DB
    curl -s http://$LISTEN/healthz

  The server prints the administrator's password below on its first start (用户 admin).

TXT
exec "$BIN/yuqing" serve --db "$DB" --listen "$LISTEN"
