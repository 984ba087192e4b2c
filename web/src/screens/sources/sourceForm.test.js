import { describe, it, expect } from 'vitest';
import { emptyForm, formFromSource, formToBody, checkForm, changeKind, healthOf, scheduleOf, sortSources, whereOf, KINDS, KIND_FIELDS, HEALTH_KEYS } from './sourceForm.js';
import zh from '../../locales/zh-CN.json';
import en from '../../locales/en.json';

// A configured source as GET /api/v1/sources answers it (docs/api.md, "Posts").
const hotline = {
  name: '12345热线', configured: true, id: 3, kind: 'json_api', interval_s: 60, channel: 'hotline',
  region: '140400', tz: '+08:00', paused: false,
  config: { url: 'https://hotline.example/api/orders', items: '/data/list', cursor_param: 'since', next_cursor: '/data/next',
    mapping: { id: '/order_no', text: '/content', published_at: '/created', 'author.name': '/caller/name' }, headers_note: 'kept' },
  health: { state: 'ok', since: null, reason: '' },
  state: { consecutive_failures: 0, last_error: null, last_success_at: '2026-11-21T02:40:00Z', counts: { runs: 4 } },
};

describe('source form', () => {
  it('builds the POST body of a new RSS source, leaving out nothing the server needs', () => {
    const f = emptyForm('rss');
    f.name = ' 长治市政府 ';
    f.config.url = 'https://www.changzhi.example/rss/tzgg.xml';
    f.channel = 'gov_platform';
    f.region = '1404';
    f.interval_s = '300';
    expect(checkForm(f)).toEqual([]);
    expect(formToBody(f)).toEqual({
      name: '长治市政府', kind: 'rss', interval_s: 300, channel: 'gov_platform', region: '1404', tz: '+08:00',
      config: { url: 'https://www.changzhi.example/rss/tzgg.xml' }, paused: false,
    });
  });

  it('sends a web source with its selectors, numbers as numbers and empty selectors left out', () => {
    const f = emptyForm('web');
    f.name = '潞城区通知公告';
    Object.assign(f.config, { url: 'http://www.lucheng.example/xxgk/tzgg/index.html', links: "//ul[@class='list']/li/a", next: "//a[@class='next']", max_pages: '3' });
    expect(checkForm(f)).toEqual([]);
    expect(formToBody(f).config).toEqual({ url: 'http://www.lucheng.example/xxgk/tzgg/index.html', links: "//ul[@class='list']/li/a", next: "//a[@class='next']", max_pages: 3 });
  });

  it('round-trips a json_api source: mapping rows, unknown config keys kept, no name on PUT', () => {
    const f = formFromSource(hotline);
    expect(f.isNew).toBe(false);
    expect(f.mapping).toEqual([
      { field: 'id', pointer: '/order_no' }, { field: 'text', pointer: '/content' },
      { field: 'published_at', pointer: '/created' }, { field: 'author.name', pointer: '/caller/name' },
    ]);
    expect(checkForm(f)).toEqual([]);
    const body = formToBody(f);
    expect(body.name).toBeUndefined();
    expect(body.config).toEqual(hotline.config);
    expect(body.interval_s).toBe(60);
  });

  it('names what is missing or wrong as the server names it', () => {
    const f = emptyForm('json_api');
    f.config.url = 'ftp://x';
    f.interval_s = '5';
    f.region = '14040';
    f.mapping = [{ field: 'id', pointer: 'order_no' }, { field: 'title', pointer: '/t' }];
    const got = checkForm(f).map((p) => `${p.field}:${p.problem}`);
    expect(got).toEqual(['name:required', 'interval_s:range', 'region:region', 'config.url:not_http', 'config.mapping.id:not_pointer', 'config.mapping.published_at:required']);
    const w = emptyForm('web');
    w.name = 'x';
    w.config.url = 'https://a.example/';
    expect(checkForm(w)).toEqual([{ field: 'config.links', problem: 'required' }]);
    const d = emptyForm('folder');
    d.name = 'drop';
    expect(checkForm(d)).toEqual([{ field: 'config.path', problem: 'required' }]);
    const p = emptyForm('push');
    p.name = '12345';
    expect(checkForm(p)).toEqual([]);
    expect(formToBody(p).config).toEqual({});
  });

  it('keeps the URL when the kind changes and drops the rest', () => {
    const f = emptyForm('web');
    f.config.url = 'https://a.example/list';
    f.config.links = '//a';
    const g = changeKind(f, 'rss');
    expect(g.config).toEqual({ url: 'https://a.example/list' });
    expect(changeKind(g, 'folder').config).toEqual({ path: '', done: '', failed: '' });
  });
});

describe('source health', () => {
  it('labels every state the server judges, and tells a collapse and a failing run apart', () => {
    expect(healthOf(hotline).key).toBe('ok');
    expect(healthOf({ name: 'weibo', configured: false, posts: 3 }).key).toBe('unconfigured');
    expect(healthOf({ configured: true, health: { state: 'unknown' }, state: {} }).key).toBe('unknown');
    const failing = { configured: true, health: { state: 'failing', reason: '连续 3 次采集失败：HTTP 500' },
      state: { consecutive_failures: 3, last_error: { at: '2026-11-21T03:10:00Z', url: 'https://x.example/rss', message: 'HTTP 500 (after 3 attempts)' } } };
    expect(healthOf(failing)).toMatchObject({ key: 'failing', tone: 'bad', error: { url: 'https://x.example/rss' } });
    const erroring = { ...failing, health: { state: 'ok' }, state: { ...failing.state, consecutive_failures: 1 } };
    expect(healthOf(erroring)).toMatchObject({ key: 'erroring', tone: 'warn' });
    expect(healthOf({ configured: true, health: { state: 'silent', reason: '已 4 小时没有新条目（按往日同时段应有约 12 条）' }, state: {} }).key).toBe('silent');
    expect(healthOf({ configured: true, health: { state: 'silent', reason: '近 24 小时只有 2 条新条目（往日同时段约 30 条），采集量骤降' }, state: {} }).key).toBe('collapsed');
  });

  it('puts unhealthy sources first and posts-only sources last', () => {
    const list = [
      { name: 'b', configured: false },
      { name: 'a', configured: true, health: { state: 'ok' }, state: {} },
      { name: 'c', configured: true, health: { state: 'failing' }, state: {} },
    ];
    expect(sortSources(list).map((s) => s.name)).toEqual(['c', 'a', 'b']);
  });

  it('words the schedule and the place', () => {
    expect(scheduleOf(300)).toEqual({ unit: 'min', n: 5 });
    expect(scheduleOf(7200)).toEqual({ unit: 'hour', n: 2 });
    expect(scheduleOf(45)).toEqual({ unit: 'sec', n: 45 });
    expect(scheduleOf(86400)).toEqual({ unit: 'day', n: 1 });
    expect(whereOf(hotline)).toBe('https://hotline.example/api/orders');
    expect(whereOf({ config: { path: '/srv/drop' } })).toBe('/srv/drop');
  });

  it('has words in both languages for every kind, field, health and problem', () => {
    for (const table of [zh, en]) {
      for (const k of KINDS) expect(table.sources.kind[k], k).toBeTruthy();
      for (const h of HEALTH_KEYS) expect(table.sources.health[h], h).toBeTruthy();
      for (const fields of Object.values(KIND_FIELDS)) for (const f of fields) expect(table.sources.cfg[f.name], f.name).toBeTruthy();
      for (const p of ['required', 'not_http', 'not_int', 'range', 'not_pointer', 'region', 'duplicate']) expect(table.sources.problem[p], p).toBeTruthy();
      for (const u of ['sec', 'min', 'hour', 'day']) expect(table.sources.every[u], u).toBeTruthy();
    }
  });
});
