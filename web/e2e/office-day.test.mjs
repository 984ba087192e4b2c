// The office's day in a real browser against a real server (harness.mjs), in the constructed
// world (posts and cases the tests make, at the real time): every role logs in; a responder
// cannot see another department's case, by URL or by API; hostile post text runs nothing; the
// English switch changes the interface; an administrator adds, pauses, resumes and removes an
// RSS source while a monitor may only look. The incident — an alert arriving live, the case
// opened from its event, routed, answered and approved, the daily report — is played on the
// demo scenario in scenario.test.mjs. Screenshots of the main screens go to docs/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startWorld, loginPage, screenshot } from './harness.mjs';

let world;

before(async () => { world = await startWorld(); });
after(async () => { if (world) await world.stop(); });

const nowIso = (minutesAgo = 0) => new Date(Date.now() - minutesAgo * 60000).toISOString();

test('every role logs in and sees the screens its role allows', async () => {
  const expect = {
    monitor1: { has: ['监测大屏', '事件', '预警'], not: ['考核'] },
    analyst1: { has: ['事件', '工单'], not: [] },
    office1: { has: ['工单', '考核'], not: [] },
    env1: { has: ['工单'], not: ['监测大屏', '规则'] },
    leadera: { has: ['工单', '考核'], not: ['规则'] },
    admin1: { has: ['管理'], not: [] },
  };
  for (const [name, { has, not }] of Object.entries(expect)) {
    const page = await loginPage(world, name);
    const nav = await page.locator('header nav, nav').first().innerText();
    for (const tab of has) assert.ok(nav.includes(tab), `${name} should see ${tab} in: ${nav}`);
    for (const tab of not) assert.ok(!nav.includes(tab), `${name} should not see ${tab} in: ${nav}`);
    assert.deepEqual(page.errors.filter((e) => !e.includes('Failed to load resource')), [], `${name}: page errors`);
    await page.context().close();
  }
});

test('a wrong password is refused in words', async () => {
  const context = await world.browser.newContext();
  const page = await context.newPage();
  await page.goto(world.base + '/');
  await page.fill('input[name=username]', 'monitor1');
  await page.fill('input[name=password]', 'not-the-password');
  await page.click('button[type=submit]');
  const alert = await page.waitForSelector('[role=alert]');
  assert.match(await alert.innerText(), /密码|password/);
  await context.close();
});

test("a responder cannot see another department's case, by URL or by API", async () => {
  const office = await world.api('office1');
  const opened = await office('POST', '/api/v1/cases', { origin: 'manual', title: '潞城区某学校食堂卫生问题', region: '140406', grade: 'IV' });
  assert.equal(opened.status, 201, opened.text);
  const other = opened.body.id;
  assert.equal((await office('POST', `/api/v1/cases/${other}/judge`, {})).status, 200);
  assert.equal((await office('POST', `/api/v1/cases/${other}/assign`, { department: 'lucheng.edu' })).status, 200);
  const env = await loginPage(world, 'env1');
  await env.goto(`${world.base}/cases/${other}`);
  // The case screen answers with the server's refusal in words (the case is not found).
  await env.waitForSelector('.error-box[role=alert]', { timeout: 15000 });
  const body = await env.innerText('body');
  assert.ok(!body.includes('食堂卫生'), 'the other department\'s case title is not shown');
  const status = await env.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).status, other);
  assert.equal(status, 404);
  const list = await env.evaluate(async () => (await fetch('/api/v1/cases')).json());
  assert.ok(list.cases.every((c) => c.id !== other));
  await env.context().close();
});

test('hostile post text is shown as text and runs nothing', async () => {
  await world.ingest([{
    source: 'e2e_weibo', id: 'x1', published_at: nowIso(5), channel: 'weibo',
    title: '<b>粗体</b>标题', url: 'javascript:window.__pwned=3',
    author: { name: '<img src=x onerror="window.__pwned=4">' },
    text: '恶意测试 <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> 点击 javascript:window.__pwned=5',
  }]);
  const page = await loginPage(world, 'analyst1');
  await page.click('nav >> text=检索');
  const input = page.locator('input, textarea').first();
  await input.fill('恶意测试');
  await input.press('Enter');
  await page.waitForSelector('text=<script>', { timeout: 15000 });
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('main img[src=x], .page img[src=x]').count(), 0);
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
  const links = await page.locator('a[target=_blank]').evaluateAll((as) => as.map((a) => a.rel));
  for (const rel of links) assert.match(rel, /noopener/);
  await screenshot(page, 'search');
  await page.context().close();
});

test('the English switch changes the interface', async () => {
  const page = await loginPage(world, 'office1');
  assert.ok((await page.innerText('nav')).includes('工单'));
  await page.click('button:has-text("English")');
  await page.waitForSelector('nav >> text=Cases');
  assert.ok(!(await page.innerText('nav')).includes('工单'));
  await page.click('nav >> text=Assessment');
  await page.waitForSelector('h2:has-text("Ranking")');
  await page.waitForSelector('p:has-text("cases in the period")');
  await screenshot(page, 'assessment-en');
  await page.context().close();
});

// A tiny RSS 2.0 feed on loopback for the sources test: two items with Chinese titles.
async function startFeed() {
  const pub = new Date(Date.now() - 30 * 60000).toUTCString();
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>长治市政府 通知公告</title><link>http://127.0.0.1/</link><description>e2e</description>
<item><title>长治市关于开展冬季供暖检查的通知</title><link>http://127.0.0.1/tzgg/1.html</link>
<guid>e2e-feed-1</guid><pubDate>${pub}</pubDate><description>市住建局将于本周开展供暖设施检查。</description></item>
<item><title>潞城区2026年冬季道路除雪预案公布</title><link>http://127.0.0.1/tzgg/2.html</link>
<guid>e2e-feed-2</guid><pubDate>${pub}</pubDate><description>潞城区公布冬季道路除雪保畅预案。</description></item>
</channel></rss>
`;
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    if (req.url.startsWith('/feed.xml')) {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
      res.end(xml);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/feed.xml`,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

test('an administrator adds, pauses, resumes and removes an RSS source; a monitor may only look', async () => {
  const feed = await startFeed();
  const name = 'e2e-长治通知公告';
  const row = `tr[data-source="${name}"]`;
  try {
    const page = await loginPage(world, 'admin1');
    await page.goto(`${world.base}/sources`);
    await page.waitForSelector('table.sources-table');
    // Add it through the page's form.
    await page.click('.page-head button.primary:has-text("新增采集源")');
    await page.waitForSelector('form.source-form');
    assert.equal(await page.inputValue('form.source-form select[name=kind]'), 'rss');
    await page.fill('form.source-form input[name=name]', name);
    await page.fill('form.source-form input[name="config.url"]', feed.url);
    await page.selectOption('form.source-form select[name=channel]', 'gov_platform');
    await page.fill('form.source-form input[name=region]', '140400');
    await page.fill('form.source-form input[name=interval_s]', '300');
    await page.click('.modal .btn.primary');
    await page.waitForSelector('.modal', { state: 'detached', timeout: 15000 });
    await page.waitForSelector(`${row} .source-state`);
    const listed = await page.innerText(row);
    assert.ok(listed.includes(feed.url), `the feed URL is listed: ${listed}`);
    assert.ok(listed.includes('RSS'), `the kind is listed: ${listed}`);
    assert.equal((await page.innerText(`${row} .source-state`)).trim(), '运行中');
    await screenshot(page, 'sources');

    // Pause: shown as paused, and the server has it paused.
    await page.click(`${row} button:has-text("暂停")`);
    await page.waitForSelector(`${row} .source-state:has-text("已暂停")`);
    const stored = await page.evaluate(async (n) => (await fetch('/api/v1/sources/' + encodeURIComponent(n))).json(), name);
    assert.equal(stored.paused, true, JSON.stringify(stored));
    assert.equal(stored.config.url, feed.url);
    // Resume.
    await page.click(`${row} button:has-text("恢复")`);
    await page.waitForSelector(`${row} .source-state:has-text("运行中")`);
    assert.equal(await page.locator(`${row} button:has-text("暂停")`).count(), 1);

    // Remove, confirmed in the dialog. Posts the scheduler may have collected meanwhile stay,
    // and a source with posts is still listed, without configuration: only the configured row
    // (state, actions) must go, whether or not the feed was fetched.
    await page.click(`${row} button:has-text("删除")`);
    await page.waitForSelector('.modal:has-text("删除采集源")');
    await page.click('.modal .btn.primary');
    await page.waitForSelector('.modal', { state: 'detached', timeout: 15000 });
    await page.waitForSelector(`${row} .source-state`, { state: 'detached', timeout: 15000 });
    assert.equal(await page.locator(`${row} button`).count(), 0);
    const after = await page.evaluate(async () => (await fetch('/api/v1/sources')).json());
    const left = after.sources.filter((s) => s.name === name);
    assert.ok(left.every((s) => s.configured === false), JSON.stringify(left));
    if (left.length) assert.ok(left[0].posts > 0, 'only a source with posts stays listed');
    else assert.equal(await page.locator(row).count(), 0);
    assert.equal((await page.evaluate(async (n) => (await fetch('/api/v1/sources/' + encodeURIComponent(n))).status, name)), 404);
    assert.deepEqual(page.errors.filter((e) => !e.includes('Failed to load resource')), [], 'admin: page errors');
    await page.context().close();

    // A monitor (no manage_sources) sees a configured source but no button to change it, and
    // the server refuses the changes anyway (cookie + CSRF).
    const admin = await world.api('admin1');
    const kept = 'e2e-县区门户';
    const made = await admin('POST', '/api/v1/sources', {
      name: kept, kind: 'rss', interval_s: 3600, channel: 'gov_platform', region: '140406',
      config: { url: feed.url }, paused: true,
    });
    assert.equal(made.status, 201, made.text);
    const monitor = await loginPage(world, 'monitor1');
    await monitor.goto(`${world.base}/sources`);
    await monitor.waitForSelector(`tr[data-source="${kept}"] .source-state:has-text("已暂停")`);
    assert.ok((await monitor.innerText('.filters')).includes('只读'));
    for (const label of ['新增采集源', '编辑', '暂停', '恢复', '删除']) {
      assert.equal(await monitor.locator(`main button:has-text("${label}"), .page button:has-text("${label}")`).count(), 0, `no ${label} button`);
    }
    assert.equal(await monitor.locator('.sources-table td.actions').count(), 0);
    const refused = await monitor.evaluate(async ([n, url]) => {
      const me = await (await fetch('/api/v1/me')).json();
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token };
      const path = '/api/v1/sources/' + encodeURIComponent(n);
      const add = await fetch('/api/v1/sources', { method: 'POST', headers, body: JSON.stringify({ name: 'e2e-monitor', kind: 'rss', config: { url } }) });
      const change = await fetch(path, { method: 'PUT', headers, body: JSON.stringify({ paused: false }) });
      const remove = await fetch(path, { method: 'DELETE', headers });
      return { add: add.status, change: change.status, remove: remove.status, code: (await change.json()).error?.code };
    }, [kept, feed.url]);
    assert.deepEqual(refused, { add: 403, change: 403, remove: 403, code: 'permission_denied' });
    const still = await admin('GET', '/api/v1/sources/' + encodeURIComponent(kept));
    assert.equal(still.status, 200);
    assert.equal(still.body.paused, true);
    assert.equal((await admin('GET', '/api/v1/sources/e2e-monitor')).status, 404);
    assert.deepEqual(monitor.errors.filter((e) => !e.includes('Failed to load resource')), [], 'monitor: page errors');
    await monitor.context().close();
    assert.equal((await admin('DELETE', '/api/v1/sources/' + encodeURIComponent(kept))).status, 204);
  } finally {
    await feed.close();
  }
});
