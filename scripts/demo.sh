#!/usr/bin/env bash
# `make demo`: a fresh demo database with the organisation, demo users, an alert policy and two
# monitoring rules; its clock set to the morning of 16 Nov 2026 and running fast; the server in
# the background; then the scenario (data/demo/scenario.ndjson) and ordinary background
# traffic (scripts/demo_background.py) replayed in that accelerated event time, so posts
# arrive, events form and heat up, grades change and alerts fire while one watches. One case of
# the scenario is walked over HTTP (opened from the event the demo alert names, judged,
# assigned, accepted, answered, approved, swept) while its deadlines run; the server keeps
# running until Ctrl-C (docs/cases.md, "A worked example"). Needs nothing outside the
# repository.
#
# YQ_DEMO_LISTEN  where the server listens (default 127.0.0.1:8080)
# YQ_DEMO_WAIT    seconds to wait for the server and the scenario's alert (default 300)
# YQ_DEMO_SPEED   seconds of event time per real second (default 600: a day in 2.4 minutes)
# YQ_DEMO_START   the event time the demo starts at (default 2026-11-16T06:00:00+08:00)
# YQ_DEMO_BIN     the build directory holding yuqing (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${YQ_DEMO_BIN:-build/release}"
DEMO=build/demo
LISTEN="${YQ_DEMO_LISTEN:-127.0.0.1:8080}"
WAIT="${YQ_DEMO_WAIT:-300}"
SPEED="${YQ_DEMO_SPEED:-600}"
START="${YQ_DEMO_START:-2026-11-16T06:00:00+08:00}"
rm -rf "$DEMO" && mkdir -p "$DEMO"
DB="$DEMO/demo.db"
REPLAY_FILES=(data/demo/scenario.ndjson)
if [ -f scripts/demo_background.py ]; then
  python3 scripts/demo_background.py --out "$DEMO/background.ndjson"
  REPLAY_FILES+=("$DEMO/background.ndjson")
fi
# An alert policy (no targets: alerts are listed and streamed) and two monitoring rules before
# the scenario arrives, so its posts are matched (the monitoring screen's 最新命中信息).
"$BIN/yuqing" policies add --file data/demo/policy.json --db "$DB"
"$BIN/yuqing" rules add 化工安全 '(化工厂 OR 化工企业 OR 苯胺) AND (泄漏 OR 爆炸 OR 出事)' --db "$DB" >/dev/null
"$BIN/yuqing" rules add 饮用水安全 '(浊漳河 OR 河道 OR 自来水) AND (停水 OR 污染 OR 怪味 OR 气味 OR 用水)' --db "$DB" >/dev/null
# The organisation the incidents route to (长治市 and its counties, 山西省, the national bodies;
# placeholder people).
"$BIN/yuqing" org import data/org/changzhi.toml --db "$DB"

# The people of the walk below (docs/accounts.md): an analyst, the duty desk of 长治市人民政府办公室
# as coordinator, a responder of 长治市生态环境局潞城分局 (the 潞城区 environment branch), two
# leaders of 长治市, and a monitoring operator and an administrator for the web workbench. They
# all log in to the workbench with the demo password below (a demo database only); the walk
# uses their tokens.
DEMO_PASSWORD="${YQ_DEMO_PASSWORD:-yuqing-demo-2026}"
RESP_DEPT=lucheng.env
add_user() {  # NAME DISPLAY-NAME ROLE-AND-BINDING…
  local name=$1 display=$2
  shift 2
  printf '%s\n' "$DEMO_PASSWORD" | "$BIN/yuqing" users add "$name" --display-name "$display" "$@" \
    --password-stdin --db "$DB" --reason "演示 demo" >/dev/null 2>&1
  "$BIN/yuqing" tokens create "$name" --user "$name" --db "$DB" 2>/dev/null
}
add_user demo-admin "系统管理员（示例）" --role admin >/dev/null
add_user demo-monitor "监测员（示例）" --role monitor >/dev/null
TOKEN=$(add_user demo-analyst "研判员（示例）" --role analyst)
T_COORD=$(add_user demo-coordinator "长治市政府办值班员（示例）" --role coordinator --region 140400 --department cz.office)
T_RESP=$(add_user demo-responder "潞城分局经办人（示例）" --role responder --department "$RESP_DEPT")
T_LEAD=$(add_user demo-leader-a "长治市领导甲（示例）" --role leader --region 140400)
T_LEAD2=$(add_user demo-leader-b "长治市领导乙（示例）" --role leader --region 140400)
printf 'analyst %s\ncoordinator %s\nresponder %s\nleader-a %s\nleader-b %s\n' \
  "$TOKEN" "$T_COORD" "$T_RESP" "$T_LEAD" "$T_LEAD2" > "$DEMO/tokens.txt"

cat <<TXT

  试试 / try:
    $BIN/yuqing clock show --db $DB        # the demo's accelerated event time (演示时钟)
    $BIN/yuqing search '苯胺 OR 浊漳河' --db $DB
    $BIN/yuqing events list --db $DB --region 1404
    $BIN/yuqing alerts list --db $DB
    $BIN/yuqing cases list --db $DB
    curl -sN -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/alerts/stream?after=0'
    curl -s -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/events?sort=heat&limit=5'
    curl -s -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/search?q=%E8%8B%AF%E8%83%BA'
    curl -s -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/events/1/routing'
    curl -s -H 'Authorization: Bearer $TOKEN' 'http://$LISTEN/api/v1/events/1/related'   # 可能相关的事件 (合并事件)
    echo '{"regions":["140406"],"domains":["environment"],"grade":2,"kinds":["emergency"]}' | $BIN/yuqing cases route --db $DB
    curl -s http://$LISTEN/healthz

  网页工作台 / web workbench:  http://$LISTEN/
    用户 users: demo-monitor, demo-analyst, demo-coordinator, demo-responder, demo-leader-a,
                demo-admin   密码 password: $DEMO_PASSWORD   (演示库专用 demo database only)

  The demo users' tokens are in $DEMO/tokens.txt (演示用户的令牌). The server prints the
  administrator's password on its first start (用户 admin), just below.

TXT

# The database's clock: every process on the demo database reads the same accelerated time
# (yuqing clock show), so deadlines run out in minutes.
"$BIN/yuqing" clock set --start "$START" --speed "$SPEED" --db "$DB"

# The server runs in the background, its output on this terminal. A non-interactive shell
# starts background jobs with SIGINT ignored, so Ctrl-C reaches the server through the trap.
# The supervision sweep runs every 5 real seconds (about an hour of event time at 600×).
# Reports: the schedule looks every 5 s (an event-hour at 600×): the daily report at 08:00 of
# each demo day and a flash report when an event is graded I or II go into the archive
# (workbench 报告, GET /api/v1/archive).
"$BIN/yuqing" serve --db "$DB" --listen "$LISTEN" --set cases.sweep_every_s=5 \
  --set reports.sweep_every_s=5 &
SERVER=$!
REPLAY=""
stop_server() {
  trap - INT TERM EXIT
  [ -n "$REPLAY" ] && kill -TERM "$REPLAY" 2>/dev/null || true
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
trap 'stop_server; exit 130' INT TERM
trap 'stop_server' EXIT

# --- The walk. Every step is an HTTP call as one of the demo users; a step that fails says why
# and the walk stops, but the server keeps serving.

# json EXPR: evaluates a Python expression over the JSON document `d` read from stdin.
json() { python3 -c 'import json, sys; d = json.load(sys.stdin); v = eval(sys.argv[1]); print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))' "$1"; }

# api TOKEN METHOD PATH [BODY]: the answer in $OUT, the HTTP status in $CODE.
api() {
  local token=$1 method=$2 path=$3 body=${4:-}
  local args=(-s -S --max-time 90 -X "$method" -H "Authorization: Bearer $token" -w '\n%{http_code}')
  [ -z "$body" ] && [ "$method" = POST ] && body='{}'  # an empty POST would wait for a body
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  local raw
  raw=$(curl "${args[@]}" "http://$LISTEN$path" 2>&1) || { OUT=$raw; CODE=000; return 1; }
  CODE=${raw##*$'\n'}
  OUT=${raw%$'\n'*}
  [[ $CODE == 2?? ]]
}
step() {  # WHAT TOKEN METHOD PATH [BODY]
  local what=$1
  shift
  if ! api "$@"; then
    echo "demo: $what failed (HTTP $CODE): $OUT" >&2
    return 1
  fi
  echo "demo: $what"
}

# The departments routing proposed for the case (lead, first responsible, responding
# territorially) that lie in 长治市, other than the main department: a JSON list.
ASSIST_PY='
import json, sys
case, main = json.load(sys.stdin), sys.argv[1]
routing = case.get("routing") or {}
parties = [routing.get("lead")] + routing.get("first_responsible", []) + routing.get("co_responding", [])
ids = {p["id"] for p in parties if p and p.get("region", "").startswith("1404") and p["id"] != main}
print(json.dumps(sorted(ids)))
'

walk() {
  local deadline=$((SECONDS + WAIT))
  until curl -s --max-time 2 "http://$LISTEN/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$SERVER" 2>/dev/null; then
      echo "demo: the server stopped before it answered; nothing to walk" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "demo: the server did not answer http://$LISTEN/healthz within ${WAIT} s; no case walked" >&2
      return 1
    fi
    sleep 0.5
  done
  # The recorded posts arrive as the database's clock reaches their times; the server's event
  # stage places them (events, grades, alerts) as they come.
  echo "demo: replaying ${REPLAY_FILES[*]} at ${SPEED}× from $START (回放中)"
  "$BIN/yuqing" replay "${REPLAY_FILES[@]}" --db "$DB" &
  REPLAY=$!
  echo "demo: waiting for the scenario's first alert (等待首条预警) — watch http://$LISTEN/"
  # The scenario's event: the one the demo policy alerted on (the most severe alert in 长治市,
  # the coordinator's region), else the hottest event there once the replay is over. Events
  # and alerts are written by the event stage; wait until one exists.
  local event="" open_body
  while :; do
    # The scenario's event: the most severe alert on the leak (its posts speak of 苯胺, 浊漳河,
    # the plant or the water, as the duty officer reading the alert sees), else the most severe whose event the routing
    # would hand to a body of 长治市 (1404); the downstream talk in 邯郸 (130400) is another
    # office's.
    event=$(python3 - "$LISTEN" "$T_COORD" <<'PY'
import json, sys, urllib.request
listen, token = sys.argv[1], sys.argv[2]
def get(path):
    req = urllib.request.Request(f"http://{listen}/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
def about_the_leak(event):
    # The duty officer reads the alerted event's posts: is this the river, the chemical plant,
    # the water? (At least three posts and 30 % of the newest 200.)
    posts = get(f"/events/{event}/posts?limit=200")["posts"]
    words = ("苯胺", "浊漳河", "化工", "泄漏", "停水", "怪味", "水质")
    leak = sum(1 for p in posts if any(w in p.get("text", "") for w in words))
    return leak >= 3 and leak >= 0.3 * len(posts)
try:
    alerts = [a for a in get("/alerts?limit=100")["alerts"] if a["policy_id"]]
    chosen = None
    for a in sorted(alerts, key=lambda x: (x["level"], x["id"])):
        regions = get(f"/events/{a['event_id']}/routing")["suggestion"]["input"].get("regions", [])
        if not (regions and regions[0].startswith("1404")):
            continue
        if about_the_leak(a["event_id"]):
            chosen = "leak " + str(a["event_id"])
            break
        chosen = chosen or "other " + str(a["event_id"])
    # An alert on other talk of 长治市 is taken only once the replay is over without one on the
    # leak (its first reports come at 09:12 on the 16th, its grade III a couple of hours later).
    if chosen is not None:
        print(chosen)
except Exception:
    pass
PY
)
    local kind=${event%% *}
    event=${event#* }
    if [ "$kind" = other ] && kill -0 "$REPLAY" 2>/dev/null; then event=""; fi
    # The office names the case for what happened (the event's title is one post's).
    if [ "$kind" = leak ]; then
      open_body="{\"event_id\": $event, \"title\": \"潞城区化工企业苯胺泄漏流入浊漳河\"}"
    else
      open_body="{\"event_id\": $event}"
    fi
    [ -n "$event" ] && break
    if ! kill -0 "$REPLAY" 2>/dev/null && api "$T_COORD" GET "/api/v1/events?sort=heat&limit=1"; then
      event=$(json 'str(d["events"][0]["id"]) if d["events"] else ""' <<<"$OUT")
      open_body="{\"event_id\": $event}"
      [ -n "$event" ] && break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "demo: no event in 长治市 within ${WAIT} s (events_queued: $(curl -s "http://$LISTEN/healthz" | json 'd.get("events_queued")')); no case walked" >&2
      return 1
    fi
    sleep 1
  done
  echo "demo: alert on event $event at event time $("$BIN/yuqing" clock show --db "$DB" 2>/dev/null | grep -o '20[0-9T:+-]*' | head -1)"

  step "opened a case from event $event (立案)" "$T_COORD" POST /api/v1/cases "$open_body" || return 1
  local id
  id=$(json 'd["id"]' <<<"$OUT")
  echo "      suggested departments (建议责任单位): $(json '", ".join(d["suggested_departments"]) or "-"' <<<"$OUT")"
  # The analyst looks at the events that may be the same incident (相关事件, the workbench's
  # 合并到其他事件) and merges those about the same river and plant in 长治市 at the same time:
  # the villagers' first question, asked before the rumour named the chemical, is one.
  local case_json=$OUT facets facet
  if api "$TOKEN" GET "/api/v1/events/$event/related?limit=5"; then
    facets=$(json '" ".join(str(r["id"]) for r in d["related"] if r["same_prefecture"] and r["overlaps"] and set(r["shared_keywords"]) & {"浊漳河", "化工厂", "苯胺", "泄漏", "河道"})' <<<"$OUT")
    for facet in $facets; do
      step "merged event $facet into event $event, the same incident (合并事件)" "$TOKEN" POST \
        "/api/v1/events/$facet/merge" "{\"into\": $event, \"reason\": \"同一起浊漳河苯胺泄漏（演示：研判员确认）\"}" || true
    done
  fi
  OUT=$case_json
  step "judged case $id (研判)" "$TOKEN" POST "/api/v1/cases/$id/judge" \
    '{"nature": "突发事件处置：化工企业苯胺泄漏流入浊漳河，下游停水", "reason": "演示：按事件等级研判"}' || return 1
  # 长治市's office assigns the case to the 潞城区 environment branch (the body the posts are
  # about) as main department; the departments routing suggests within 长治市 (1404) assist.
  local assist
  assist=$(python3 -c "$ASSIST_PY" "$RESP_DEPT" <<<"$OUT")
  step "assigned case $id to $RESP_DEPT, assisted by $assist (交办)" "$T_COORD" POST "/api/v1/cases/$id/assign" \
    "{\"department\": \"$RESP_DEPT\", \"assist\": $assist, \"reason\": \"属地处置：潞城分局主办，长治市有关部门协办\"}" || return 1
  step "accepted by the responder of $RESP_DEPT (签收)" "$T_RESP" POST "/api/v1/cases/$id/accept" || return 1
  step "drafted the first release, a briefing (起草情况通报)" "$T_RESP" POST "/api/v1/cases/$id/draft_response" \
    '{"channel": "briefing", "speaker": "新闻发言人（示例）", "text": "【情况通报】11月16日，潞城区一企业输送管道破裂发生苯胺泄漏。市、区已成立处置工作组，对泄漏点进行封堵，沿河设置活性炭坝，对浊漳河下游水质每2小时监测一次并公布结果。"}' || return 1
  step "approved by a leader who did not write it (审核通过)" "$T_LEAD" POST "/api/v1/cases/$id/approve_response" \
    '{"response": 1, "note": "同意发布"}' || return 1
  # The supervision ladder now, rather than at the server's next sweep.
  step "swept deadlines and supervision (督办巡检)" "$T_COORD" POST /api/v1/cases/sweep || return 1
  api "$T_COORD" GET "/api/v1/cases/$id" || { echo "demo: reading case $id failed (HTTP $CODE): $OUT" >&2; return 1; }
  python3 - "$OUT" "$LISTEN" "$T_COORD" <<'PY'
import json, sys
c, listen, token = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
zh = {"running": "进行中", "met": "按时完成", "late": "逾期完成", "overdue": "已超期"}
main = c["main_department"] or "-"
print()
print(f"  工单 case #{c['id']}「{c['title']}」")
print(f"  状态 state: {c['state_zh']} {c['state']}   等级 grade: {c['grade']}   主办 main department: {main}")
print("  时限 deadlines:")
for d in c["deadlines"]:
    met = f", met {d['met_at']}" if d["met_at"] else ""
    print(f"    {d['obligation_zh']} {d['obligation']}: due {d['due']}{met} — {zh[d['state']]} {d['state']}")
open_items = [s for s in c["supervision"] if not s["closed_at"]]
print("  失败模式 failure patterns: " + ("; ".join(f"{p['pattern_zh']} {p['pattern']} ({p['reason_en']})" for p in c["patterns"]) or "-"))
print(f"  督办 supervision items open: {len(open_items)}" +
      "".join(f"\n    #{s['id']} {s['reason']}" for s in open_items))
print(f"  查看 see it:   curl -s -H 'Authorization: Bearer {token}' http://{listen}/api/v1/cases/{c['id']}")
print(f"  日志 its log:  curl -s -H 'Authorization: Bearer {token}' http://{listen}/api/v1/cases/{c['id']}/log")
print(f"  时限自首次预警起算 the clocks run from the first alert, {c['detected_at']}, on the demo's")
print("  accelerated clock: watch the deadlines run out and supervision climb in the workbench's")
print("  case page while the replay goes on (docs/cases.md, \"A worked example\").")
print(f"  报告 reports: the daily report is archived at 08:00 of each demo day (workbench 报告,")
print(f"  curl -s -H 'Authorization: Bearer {token}' http://{listen}/api/v1/archive).")
print()
PY
}

walk || echo "demo: the server keeps running at http://$LISTEN (Ctrl-C stops it)" >&2
wait "$SERVER"
