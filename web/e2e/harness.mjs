// The browser tests' world: a fresh database made with the yuqing CLI (the shipped 长治
// organisation, the demo alert policy, one user per role with a known password), a real
// `yuqing serve` on loopback serving the built workbench (web/dist), and Debian's chromium
// driven headless by playwright-core (never a downloaded browser).
//
// Two kinds of world: the constructed one (`startWorld()`: the tests make their own posts, at
// the real time) and the scenario's (`startWorld({ scenario })`: the demo scenario,
// data/demo/scenario.ndjson, in its own event time — the database's clock set to a moment of
// 16–19 Nov 2026, the demo's policy and rules as scripts/demo.sh installs them, the records
// published before a given time already ingested; the browser's clock is set to the same
// event time, so the screens' windows and countdowns agree with the server).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
const bin = join(process.env.YQ_BIN || join(repo, 'build/release'), 'yuqing');
export const PASSWORD = 'e2e-password-2026';

// The people of the office's day: name → `users add` arguments.
export const PEOPLE = {
  admin1: ['--role', 'admin'],
  monitor1: ['--role', 'monitor'],
  analyst1: ['--role', 'analyst'],
  office1: ['--role', 'coordinator', '--region', '140400', '--department', 'cz.office'],
  env1: ['--role', 'responder', '--department', 'lucheng.env'],
  edu1: ['--role', 'responder', '--department', 'lucheng.edu'],
  leadera: ['--role', 'leader', '--region', '140400'],
  leaderb: ['--role', 'leader', '--region', '140400'],
};

// The demo's two monitoring rules, exactly as scripts/demo.sh adds them.
export const DEMO_RULES = [
  ['化工安全', '(化工厂 OR 化工企业 OR 苯胺) AND (泄漏 OR 爆炸 OR 出事)'],
  ['饮用水安全', '(浊漳河 OR 河道 OR 自来水) AND (停水 OR 污染 OR 怪味 OR 气味 OR 用水)'],
];

export const SCENARIO_FILE = join(repo, 'data/demo/scenario.ndjson');

// The scenario's records published at or after `from` and before `to` (ISO times with their
// offset, or anything Date.parse reads; either may be left out), in publication order.
export function scenarioRecords({ from, to } = {}) {
  const lo = from ? Date.parse(from) : -Infinity;
  const hi = to ? Date.parse(to) : Infinity;
  if (Number.isNaN(lo) || Number.isNaN(hi)) throw new Error(`scenarioRecords: bad time ${from} / ${to}`);
  return readFileSync(SCENARIO_FILE, 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .filter((r) => { const t = Date.parse(r.published_at); return t >= lo && t < hi; })
    .sort((a, b) => Date.parse(a.published_at) - Date.parse(b.published_at));
}

function cli(db, args, input) {
  const r = spawnSync(bin, [...args, '--db', db, '--lang', 'en'], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`yuqing ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout;
}

// `scenario`: { clock, before } — the database's clock starts at `clock` (event time, running
// at real speed from the moment it is set) and the scenario's records published before
// `before` (default: `clock`) are ingested with the CLI before the server starts. Without it,
// the constructed world: the real clock, one rule, no posts.
export async function startWorld({ scenario } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'yq-e2e-'));
  const db = join(dir, 'e2e.db');
  cli(db, ['org', 'import', join(repo, 'data/org/changzhi.toml')]);
  cli(db, ['policies', 'add', '--file', join(repo, 'data/demo/policy.json')]);
  if (scenario) {
    for (const [name, query] of DEMO_RULES) cli(db, ['rules', 'add', name, query]);
  } else {
    cli(db, ['rules', 'add', '化工安全', '化工厂 AND (爆炸 OR 泄漏)']);
  }
  for (const [name, args] of Object.entries(PEOPLE)) {
    cli(db, ['users', 'add', name, ...args, '--password-stdin'], PASSWORD + '\n');
  }
  const ingestToken = cli(db, ['tokens', 'create', 'e2e-collector', '--ingest']).split('\n')[0].trim();
  // The event time the database's clock started at, and the real time it was set.
  let clockStart = null;
  let clockSetAt = 0;
  let ingested = [];
  if (scenario) {
    clockStart = Date.parse(scenario.clock);
    if (Number.isNaN(clockStart)) throw new Error(`scenario: bad clock ${scenario.clock}`);
    cli(db, ['clock', 'set', '--start', scenario.clock, '--speed', '1']);
    clockSetAt = Date.now();
    ingested = scenarioRecords({ to: scenario.before || scenario.clock });
    if (ingested.length) {
      const file = join(dir, 'scenario-before.ndjson');
      writeFileSync(file, ingested.map((r) => JSON.stringify(r)).join('\n') + '\n');
      cli(db, ['ingest', file, '--quiet']);
    }
  }
  const server = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--lang', 'en',
    '--set', `server.web_dir=${join(repo, 'web/dist')}`, '--set', 'cases.sweep_every_s=0'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const port = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`yuqing serve did not start:\n${stderr}`)), 30000);
    server.stderr.on('data', (d) => {
      stderr += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) { clearTimeout(timer); ok(Number(m[1])); }
    });
    server.on('exit', (code) => fail(new Error(`yuqing serve exited ${code}:\n${stderr}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: process.env.YQ_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  return {
    dir, db, base, browser, ingestToken,
    stderr: () => stderr,
    // The scenario's records ingested before the server started (empty in the constructed world).
    ingested,
    // What the database's clock reads now, in ms since the epoch: the event time in the
    // scenario's world, the real time otherwise.
    now: () => (clockStart === null ? Date.now() : clockStart + (Date.now() - clockSetAt)),
    scenario: Boolean(scenario),
    // Posts sent to the ingest API as a collector would; resolves with the server's answer.
    async ingest(records) {
      const res = await fetch(`${base}/api/v1/posts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ingestToken}`, 'Content-Type': 'application/x-ndjson' },
        body: records.map((r) => JSON.stringify(r)).join('\n') + '\n',
      });
      if (!res.ok) throw new Error(`ingest: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    },
    // A logged-in API session for a user (bearer), for arranging what the screens then show.
    async api(name) {
      const res = await fetch(`${base}/api/v1/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, password: PASSWORD }),
      });
      const { token } = await res.json();
      return async (method, path, body) => {
        const r = await fetch(base + path, {
          method,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
        });
        const text = await r.text();
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        return { status: r.status, body: json, text };
      };
    },
    // Stops the browser and the server. The server must end cleanly: `make test` runs these
    // tests against the ASan+UBSan build, whose findings (memory errors, undefined behaviour,
    // leaks at exit) go to stderr with a non-zero exit, and fail the test file here.
    async stop() {
      await browser.close().catch(() => {});
      const ended = server.exitCode !== null || server.signalCode !== null
        ? Promise.resolve([server.exitCode, server.signalCode])
        : new Promise((ok) => server.on('exit', (code, signal) => ok([code, signal])));
      server.kill('SIGTERM');
      const [code, signal] = await ended;
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0 || /Sanitizer|runtime error:/.test(stderr)) {
        throw new Error(`yuqing serve ended with ${code ?? signal}:\n${stderr.slice(-4000)}`);
      }
    },
  };
}

// A new browser context (own cookies) logged in through the login screen as `name`.
export async function loginPage(world, name, { locale = 'zh', viewport = { width: 1366, height: 768 } } = {}) {
  const context = await world.browser.newContext({ viewport, locale: locale === 'zh' ? 'zh-CN' : 'en-US' });
  // In the scenario's world the page's Date.now() and timers run from the database's event
  // time (time then flows at real speed), so the screens' windows and countdowns agree with
  // the server's clock. The session cookie has a Max-Age, which the browser counts in its own
  // real time, so logging in is unaffected.
  if (world.scenario) await context.clock.install({ time: world.now() });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push('console: ' + m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('dialog', (d) => { page.errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(world.base + '/');
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('input[name=password]', { state: 'detached', timeout: 15000 });
  return page;
}

export async function screenshot(page, name) {
  const out = join(repo, 'docs/screenshots');
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: join(out, `${name}.png`) });
}

export function write(path, text) { writeFileSync(path, text); }
