// The office's day on the demo scenario (data/demo/scenario.ndjson, data/demo/README.md) in a
// real browser against a real server (harness.mjs): the database's clock stands at 11:10 on
// 16 Nov 2026, the morning the 浊漳河 aniline leak surfaces online; the posts published before
// 10:50 (d1, d16, d17, d2) are in, and no alert yet. The next posts of the scenario are sent
// to the ingest API live and the demo policy's grade III alert arrives on the monitoring
// screen; the office opens the leak's event, opens a case and routes it as the organisation
// file (data/org/changzhi.toml) says; the 潞城 environment branch accepts and drafts a
// briefing, is refused as its approver, and a leader approves; a monitor archives the daily
// report of 16 Nov. The browser's clock runs in the same event time. Screenshots of these
// screens go to docs/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startWorld, loginPage, screenshot, scenarioRecords, repo } from './harness.mjs';

const CLOCK = '2026-11-16T11:10:00+08:00';
const LIVE_FROM = '2026-11-16T10:50:00+08:00';
const DAY = '2026-11-16';

let world;
const timings = {};

before(async () => { world = await startWorld({ scenario: { clock: CLOCK, before: LIVE_FROM } }); });
after(async () => {
  if (Object.keys(timings).length) console.log('e2e scenario timings (ms):', JSON.stringify(timings));
  if (world) await world.stop();
});

async function clickAction(page, label) {
  await page.click(`.action-bar button:has-text("${label}")`);
  await page.waitForSelector('.modal');
}
async function submitModal(page) {
  await page.click('.modal .btn.primary');
  await page.waitForSelector('.modal', { state: 'detached', timeout: 15000 });
}
async function caseState(page) {
  return (await page.textContent('.head-meta .tag.solid')).trim();
}

test('the scenario world: the morning of 16 Nov, four posts in, no alert yet', async () => {
  assert.deepEqual(world.ingested.map((r) => r.id), ['d1', 'd16', 'd17', 'd2']);
  const api = await world.api('monitor1');
  const alerts = await api('GET', '/api/v1/alerts');
  assert.equal(alerts.status, 200, alerts.text);
  assert.deepEqual(alerts.body.alerts, []);
  const events = await api('GET', '/api/v1/events?limit=10');
  assert.equal(events.status, 200, events.text);
  assert.ok(events.body.events.length >= 1, events.text);
});

let eventId = 0;
test('an alert arrives live on the monitoring screen after a post is ingested', async () => {
  const page = await loginPage(world, 'monitor1', { viewport: { width: 1920, height: 1080 } });
  // The page's clock is the scenario's: its 24-hour windows hold the morning's posts.
  const pageNow = await page.evaluate(() => Date.now());
  assert.ok(Math.abs(pageNow - world.now()) < 120000, `page clock ${new Date(pageNow).toISOString()}`);
  await page.waitForSelector('.live.live-live', { timeout: 30000 }); // the alert stream is connected
  assert.equal(await page.locator('.feed .feed-title').count(), 0, 'no alert before the live posts');
  // The next posts of the scenario: d18 (10:52) and d19 (11:05), reposts of d2.
  const live = scenarioRecords({ from: LIVE_FROM, to: CLOCK });
  assert.deepEqual(live.map((r) => r.id), ['d18', 'd19']);
  const acked = await world.ingest(live);
  const t0 = Date.now();
  assert.equal(acked.accepted ?? acked.inserted ?? 2, 2, JSON.stringify(acked));
  const item = await page.waitForSelector('.feed .feed-title:has-text("苯胺")', { timeout: 60000 });
  timings.alert_on_screen_after_ack = Date.now() - t0;
  assert.ok(await item.isVisible());
  // The matched posts are shown, with the demo rule that matched them.
  const post = await page.waitForSelector('.posts-card .post:has-text("苯胺")', { timeout: 30000 });
  timings.matched_post_on_screen_after_ack = Date.now() - t0;
  assert.ok(await post.isVisible());
  await page.waitForSelector('.posts-card .rule-chip:has-text("化工安全")', { timeout: 30000 });
  // The demo policy's grade III alert (长治市, III and above), on the leak's event.
  const res = await page.evaluate(async () => (await fetch('/api/v1/alerts')).json());
  assert.equal(res.alerts.length, 1, JSON.stringify(res.alerts));
  const alert = res.alerts[0];
  assert.equal(alert.policy_id, 1, JSON.stringify(alert));
  assert.equal(alert.level_name, 'III', JSON.stringify(alert));
  assert.match(alert.title, /苯胺/);
  // Raised by d19, the third post to say 泄漏 (a key-response kind needs its cue in three), at
  // its time in the scenario (11:05 +08:00), not at the real time.
  assert.equal(alert.payload.trigger.id, 'd19', JSON.stringify(alert.payload.trigger));
  assert.equal(alert.created_at, '2026-11-16T03:05:00Z');
  eventId = alert.event_id;
  // d19's author is in 潞州区 (140403).
  assert.deepEqual(alert.payload.event.regions.slice().sort(), ['140400', '140403', '140406']);
  // The alert makes the screen reload its ranking (a timer, on the page's clock): the leak's
  // event is ranked at grade III.
  await page.waitForSelector('.ranking li:has-text("苯胺") .grade-3', { timeout: 30000 });
  assert.deepEqual(page.errors.filter((e) => !e.includes('Failed to load resource')), [], 'monitor: page errors');
  await screenshot(page, 'monitor');
  // First load of the monitoring screen, measured in a fresh page once data exists.
  const fresh = await page.context().newPage();
  const scripts = new Set();
  fresh.on('request', (r) => { if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname); });
  const t1 = Date.now();
  await fresh.goto(world.base + '/');
  await fresh.waitForSelector('.feed .feed-title:has-text("苯胺")', { timeout: 15000 });
  timings.monitor_first_load = Date.now() - t1;
  // The JavaScript that first load shipped, gzipped as a server or proxy would send it.
  let gz = 0;
  for (const path of scripts) gz += gzipSync(readFileSync(join(repo, 'web/dist', path))).length;
  timings.monitor_first_load_js_gzip_bytes = gz;
  assert.ok(scripts.size > 0);
  await page.context().close();
});

let caseId = 0;
test('the office opens the event, opens a case and routes it', async () => {
  assert.ok(eventId, 'the alert test found the event');
  const page = await loginPage(world, 'office1');
  await page.click('nav >> text=事件');
  await page.waitForSelector(`a[href="/events/${eventId}"]`);
  await screenshot(page, 'events');
  await page.click(`a[href="/events/${eventId}"]`);
  await page.waitForSelector('button:has-text("立案")');
  assert.ok((await page.innerText('body')).includes('苯胺'), 'the event page shows the leak');
  await screenshot(page, 'event');
  await page.click('button:has-text("立案")');
  await page.waitForSelector('.modal');
  await page.click('.modal .btn.primary');
  await page.waitForURL(/\/cases\/\d+$/);
  caseId = Number(page.url().split('/').pop());
  assert.ok(caseId > 0);
  assert.equal(await caseState(page), '新建');
  // Routing (data/org/changzhi.toml, docs/organisation.md): a grade III event is handled by
  // 长治市; the bodies in charge of its domain there are first responsible, 潞城区's respond
  // territorially, and 长治市's general office coordinates. The case page explains it.
  const opened = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), caseId);
  const routing = opened.routing;
  assert.equal(opened.grade, 'III');
  assert.equal(routing.handling.region, '140400', JSON.stringify(routing.handling));
  const ids = (list) => (list || []).map((p) => p.id);
  assert.ok(ids(routing.first_responsible).includes('cz.emergency'), JSON.stringify(routing.first_responsible));
  assert.ok(ids(routing.co_responding).includes('lucheng.emergency'), JSON.stringify(routing.co_responding));
  assert.ok(ids(routing.coordinators).includes('cz.office'), JSON.stringify(routing.coordinators));
  assert.ok(opened.suggested_departments.includes('cz.emergency'), JSON.stringify(opened.suggested_departments));
  const body = await page.innerText('body');
  for (const name of ['长治市应急管理局', '潞城区应急管理局', '长治市人民政府办公室']) {
    assert.ok(body.includes(name), `the routing explanation names ${name}`);
  }
  await clickAction(page, '研判');
  await submitModal(page);
  assert.equal(await caseState(page), '已研判');
  // The office assigns as scripts/demo.sh does: the 潞城 environment branch (the body the posts
  // are about) as main department, the departments routing proposed in 长治市 assisting. The
  // form offers routing's first suggestion as main department.
  const main = 'lucheng.env';
  const parties = [routing.lead, ...(routing.first_responsible || []), ...(routing.co_responding || [])];
  const assist = [...new Set(parties.filter((p) => p && p.region.startsWith('1404') && p.id !== main).map((p) => p.id))].sort();
  assert.ok(assist.length >= 2, JSON.stringify(assist));
  await clickAction(page, '交办');
  assert.equal(await page.inputValue('.modal select >> nth=0'), opened.suggested_departments[0]);
  await page.selectOption('.modal select >> nth=0', main);
  await page.selectOption('.modal select[multiple]', assist);
  await page.fill('.modal textarea >> nth=0', '属地处置：潞城分局主办，长治市有关部门协办');
  await submitModal(page);
  assert.equal(await caseState(page), '已交办');
  const assigned = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), caseId);
  assert.equal(assigned.main_department, main);
  const active = assigned.assignments.filter((a) => a.active);
  assert.deepEqual(active.filter((a) => a.role === 'main').map((a) => a.department), [main]);
  assert.deepEqual(active.filter((a) => a.role === 'assist').map((a) => a.department).sort(), assist);
  // Routing had placed the handling at 长治市; the branch is 潞城区's: a hand-over down.
  assert.deepEqual(assigned.handovers.map((h) => [h.direction, h.from_region, h.to_region]), [['down', '140400', '140406']]);
  await page.context().close();
});

test('the responder accepts and drafts; the author cannot approve; a leader approves', async () => {
  assert.ok(caseId);
  const env = await loginPage(world, 'env1');
  await env.goto(`${world.base}/cases/${caseId}`);
  await env.waitForSelector('.action-bar');
  await clickAction(env, '签收');
  await submitModal(env);
  await clickAction(env, '起草回应');
  await env.selectOption('.modal select >> nth=0', 'briefing');
  await env.fill('.modal textarea >> nth=0', '【情况通报】11月16日，潞城区一企业输送管道破裂发生苯胺泄漏。市、区已成立处置工作组，对泄漏点进行封堵，沿河设置活性炭坝，对浊漳河下游水质每2小时监测一次并公布结果。');
  await submitModal(env);
  assert.equal(await caseState(env), '回应中');
  // The author holds no approval: no button, and the server refuses it (cookie + CSRF).
  assert.equal(await env.locator('.action-bar button:has-text("审核通过")').count(), 0);
  const refused = await env.evaluate(async (id) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(`/api/v1/cases/${id}/approve_response`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ response: 1 }),
    });
    return { status: r.status, body: await r.json() };
  }, caseId);
  assert.equal(refused.status, 403, JSON.stringify(refused));
  // Without the CSRF token the same cookie changes nothing either.
  const noCsrf = await env.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}/accept`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status, caseId);
  assert.equal(noCsrf, 403);
  await env.context().close();

  const leader = await loginPage(world, 'leadera');
  await leader.goto(`${world.base}/cases/${caseId}`);
  await leader.waitForSelector('.action-bar');
  await clickAction(leader, '审核通过');
  await leader.selectOption('.modal select >> nth=0', { index: 1 });
  await submitModal(leader);
  assert.equal(await caseState(leader), '已回应');
  await screenshot(leader, 'case');
  await leader.click('nav >> text=工单');
  await leader.waitForSelector(`a[href="/cases/${caseId}"]`);
  await screenshot(leader, 'cases');
  await leader.context().close();
});

test('a monitor archives the daily report of 16 Nov, previews it and downloads its HTML', async () => {
  const page = await loginPage(world, 'monitor1');
  await page.goto(`${world.base}/reports`);
  await page.click('button.generate-open');
  await page.waitForSelector('form.generate-form');
  await page.selectOption('form.generate-form select[name=kind]', 'daily');
  await page.fill('form.generate-form input[name=date]', DAY);
  await page.click('form.generate-form button[type=submit]');
  await page.waitForSelector('tr[data-report]', { timeout: 60000 });
  const row = await page.locator('tr[data-report]').first().innerText();
  assert.ok(row.includes('舆情日报'), `the archived report is listed: ${row}`);
  await page.locator('tr[data-report] button.report-title').first().click();
  const frame = page.frameLocator('iframe');
  await frame.locator('text=一、总体态势').first().waitFor({ timeout: 30000 });
  // The archive answers the same file over the API.
  const id = await page.locator('tr[data-report]').first().getAttribute('data-report');
  const html = await page.evaluate(async (rid) => (await fetch(`/api/v1/archive/${rid}/file/html`)).text(), id);
  assert.ok(html.includes('舆情日报'));
  // The day as the scenario had it by 11:10: six posts in three events (the first question about
  // the river's smell, a villager's post that names neither river nor plant, and the rumour of
  // the leak with its reposts: docs/events.md, round 9), the leak's alert of 11:05,
  // and the case opened and answered in the tests above, handled by the 潞城 branch.
  const text = html.replace(/<style[^]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  for (const want of ['2026年11月16日，监测信息6条，舆情事件3个，新增预警1条', '新开工单 1 件，完成首次回应 1 件',
    '2026年11月16日 11:05 III级（较大）', '苯胺流入浊漳河', '长治市生态环境局潞城分局', 'demo_weibo/d2']) {
    assert.ok(text.includes(want), `the daily report says ${want}`);
  }
  await frame.locator('text=苯胺流入浊漳河').first().waitFor({ timeout: 15000 });
  await screenshot(page, 'reports');
  await page.context().close();
});

test('an analyst merges the first question about the river into the leak event; a monitor cannot', async () => {
  assert.ok(eventId && caseId);
  const api = await world.api('analyst1');
  const before = (await api('GET', `/api/v1/events/${eventId}`)).body;
  // The villager's first question (d1: the river smells, 化工厂出事) started its own event
  // before the rumour of the leak named 苯胺 (docs/events.md, round 9).
  const list = (await api('GET', '/api/v1/events?limit=20')).body.events;
  const first = list.find((e) => e.title.includes('怪味'));
  assert.ok(first && first.id !== eventId, JSON.stringify(list.map((e) => [e.id, e.title])));

  const monitor = await loginPage(world, 'monitor1');
  await monitor.goto(`${world.base}/events/${first.id}`);
  await monitor.waitForSelector('.event-head h1');
  assert.equal(await monitor.locator('[data-test=merge]').count(), 0, 'a monitor has no merge');
  await monitor.context().close();

  const page = await loginPage(world, 'analyst1');
  await page.goto(`${world.base}/events/${first.id}`);
  await page.click('[data-test=merge]');
  await page.waitForSelector('.modal');
  // The leak's event is suggested, for the river they both name.
  const pick = page.locator(`.related-pick input[value="${eventId}"]`);
  await pick.waitFor({ timeout: 15000 });
  const suggestion = await page.locator('.related-pick', { has: page.locator(`input[value="${eventId}"]`) }).innerText();
  assert.ok(suggestion.includes('浊漳河'), suggestion);
  // Without a reason nothing is sent.
  await pick.check();
  await page.click('[data-test=merge-confirm]');
  await page.waitForSelector('.modal .error, .modal [role=alert]', { timeout: 5000 });
  await page.fill('.modal textarea[name=merge-reason]', '同一起浊漳河苯胺泄漏：村民最早的提问');
  await screenshot(page, 'event-merge');
  await page.click('[data-test=merge-confirm]');
  await page.waitForURL(new RegExp(`/events/${eventId}$`), { timeout: 15000 });
  const after = (await api('GET', `/api/v1/events/${eventId}`)).body;
  assert.equal(after.posts, before.posts + first.posts, JSON.stringify([before.posts, first.posts, after.posts]));
  const merge = after.log.find((l) => l.kind === 'merge' && l.detail.by_hand);
  assert.ok(merge, JSON.stringify(after.log));
  assert.equal(merge.detail.by, 'analyst1');
  await page.click('button[role=tab]:has-text("事件日志")');
  await page.waitForSelector('td:has-text("同一起浊漳河苯胺泄漏")');
  const gone = (await api('GET', `/api/v1/events/${first.id}`)).body;
  assert.equal(gone.merged_into, eventId);
  // The case opened on the leak's event is where it was.
  const c = (await api('GET', `/api/v1/cases/${caseId}`)).body;
  assert.equal(c.event_id, eventId, JSON.stringify(c.event_id));
  assert.deepEqual(page.errors.filter((e) => !e.includes('Failed to load resource')), [], 'merge: page errors');
  await page.context().close();
});

test('an analyst adds a rule for the river after the fact and records its past hits', async () => {
  const api = await world.api('analyst1');
  const query = '(浊漳河 OR 河边 OR 河里) AND (怪味 OR 腥臭 OR 有味)';
  const created = await api('POST', '/api/v1/rules', { name: '河水异味', query });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;
  // Stored before the rule existed, the villagers' posts carry no hit of it.
  const hitsOf = async (word) => {
    const r = await api('GET', `/api/v1/search?q=${encodeURIComponent(word)}`);
    assert.equal(r.status, 200, r.text);
    return r.body.hits.map((h) => [h.id, h.rules.map((x) => x.id).includes(id)]);
  };
  const d16 = async () => (await hitsOf('腥臭')).find(([pid]) => pid === 'd16');
  assert.deepEqual(await d16(), ['d16', false]);

  const page = await loginPage(world, 'analyst1');
  await page.goto(`${world.base}/rules/${id}`);
  await page.waitForSelector('[data-test=backfill]:not([disabled])');
  await page.click('[data-test=backfill]');
  const result = await page.locator('[data-test=backfill-result]').innerText({ timeout: 15000 });
  // d1, d16 and d17 (and any later post of the scenario that says so) were in the last 7 days.
  const m = result.match(/新记录 (\d+) 条/);
  assert.ok(m && Number(m[1]) >= 3, result);
  assert.deepEqual(await d16(), ['d16', true]);
  assert.ok((await hitsOf('怪味')).some(([pid, hit]) => pid === 'd1' && hit));
  // Once recorded, a second run finds nothing new.
  const again = await api('POST', `/api/v1/rules/${id}/backfill`, {});
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.recorded, 0);
  // The rule's posts: the search screen filtered by the rule, without words.
  await page.click('[data-test=backfill-hits]');
  await page.waitForURL(new RegExp(`/search\\?rule=${id}$`));
  await page.waitForSelector('.post-list .post', { timeout: 15000 });
  const chip = await page.locator('[data-test=rule-filter]').innerText();
  assert.ok(chip.includes(`#${id}`) && chip.includes('河水异味'), chip);
  const texts = await page.locator('.post-list .post').allInnerTexts();
  assert.ok(texts.length >= 3 && texts.some((t) => t.includes('腥臭味')), JSON.stringify(texts));
  assert.ok(texts.every((t) => /怪味|腥臭|有味/.test(t)), JSON.stringify(texts));
  await page.goBack();
  await page.waitForSelector('[data-test=backfill]');
  // The rules list counts what the rule caught in the last 24 hours and 7 days.
  const rules = await loginPage(world, 'analyst1');
  await rules.goto(`${world.base}/rules`);
  const row = rules.locator('tr', { has: rules.locator(`a[href$="/rules/${id}"]`) });
  const recent = (await row.locator('[data-test=rule-recent]').innerText({ timeout: 15000 })).trim();
  const [day, week] = recent.split('/').map((x) => Number(x.trim()));
  assert.ok(day >= 3 && week >= day, recent);
  await rules.context().close();
  // With the query edited but not saved, the page does not offer it.
  await page.fill('textarea', query + ' -演习');
  await page.waitForSelector('[data-test=backfill][disabled]');
  assert.deepEqual(page.errors.filter((e) => !e.includes('Failed to load resource')), [], 'backfill: page errors');
  await page.context().close();
});
