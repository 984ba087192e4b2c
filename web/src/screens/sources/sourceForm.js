// Configured sources (docs/collect.md; docs/api.md "Posts"): the form a person fills for each
// kind, the JSON body the server takes (POST /api/v1/sources, PUT /api/v1/sources/{name}),
// and the health label a row shows. Pure: values in, values out.

export const KINDS = ['rss', 'web', 'json_api', 'folder', 'push', 'replay'];
// Kinds a person adds from the workbench (replay has no collector yet; an existing one can
// still be edited).
export const ADDABLE_KINDS = ['rss', 'web', 'json_api', 'folder', 'push'];

// The config fields of each kind, in form order. type: url | text | xpath | path | int |
// mapping. required: the server refuses the source without it (collect/source_json.cc).
export const KIND_FIELDS = {
  rss: [{ name: 'url', type: 'url', required: true }],
  web: [
    { name: 'url', type: 'url', required: true },
    { name: 'links', type: 'xpath', required: true },
    { name: 'next', type: 'xpath' },
    { name: 'title', type: 'xpath' },
    { name: 'body', type: 'xpath' },
    { name: 'time', type: 'xpath' },
    { name: 'author', type: 'xpath' },
    { name: 'max_pages', type: 'int', min: 1 },
    { name: 'max_articles', type: 'int', min: 1 },
  ],
  json_api: [
    { name: 'url', type: 'url', required: true },
    { name: 'items', type: 'pointer' },
    { name: 'cursor_param', type: 'text' },
    { name: 'next_cursor', type: 'pointer' },
    { name: 'mapping', type: 'mapping', required: true },
  ],
  folder: [
    { name: 'path', type: 'path', required: true },
    { name: 'done', type: 'path' },
    { name: 'failed', type: 'path' },
  ],
  push: [],
  replay: [{ name: 'file', type: 'path', required: true }],
};

// Post fields a json_api mapping offers first (docs/ingest.md); any other may be typed.
export const MAPPING_FIELDS = ['id', 'title', 'text', 'published_at', 'url', 'region', 'author.name', 'author.id', 'channel', 'metrics.likes', 'metrics.reposts', 'metrics.comments'];
const MAPPING_DEFAULT = ['id', 'title', 'text', 'published_at'];

export const DEFAULTS = { interval_s: 600, channel: 'news', tz: '+08:00' };

function str(v) {
  return v === undefined || v === null ? '' : String(v);
}

// A blank form for a new source of `kind`.
export function emptyForm(kind = 'rss') {
  return {
    isNew: true,
    name: '',
    kind,
    interval_s: String(DEFAULTS.interval_s),
    channel: DEFAULTS.channel,
    region: '',
    tz: DEFAULTS.tz,
    paused: false,
    config: emptyConfig(kind),
    mapping: MAPPING_DEFAULT.map((field) => ({ field, pointer: '' })),
    extra: {},
  };
}

function emptyConfig(kind) {
  const c = {};
  for (const f of KIND_FIELDS[kind] || []) if (f.type !== 'mapping') c[f.name] = '';
  return c;
}

// The form for an existing source (GET /api/v1/sources answers it). Config keys the form does
// not know are kept in `extra` and sent back unchanged.
export function formFromSource(s) {
  const kind = KINDS.includes(s.kind) ? s.kind : 'rss';
  const cfg = s.config && typeof s.config === 'object' ? s.config : {};
  const known = new Set((KIND_FIELDS[kind] || []).map((f) => f.name));
  const config = emptyConfig(kind);
  const extra = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (k === 'mapping' && known.has('mapping')) continue;
    if (known.has(k)) config[k] = str(v);
    else extra[k] = v;
  }
  const mapping =
    kind === 'json_api' && cfg.mapping && typeof cfg.mapping === 'object'
      ? Object.entries(cfg.mapping).map(([field, pointer]) => ({ field, pointer: str(pointer) }))
      : MAPPING_DEFAULT.map((field) => ({ field, pointer: '' }));
  return {
    isNew: false,
    name: s.name,
    kind,
    interval_s: str(s.interval_s ?? DEFAULTS.interval_s),
    channel: s.channel || DEFAULTS.channel,
    region: s.region || '',
    tz: s.tz || DEFAULTS.tz,
    paused: !!s.paused,
    config,
    mapping,
    extra,
  };
}

// Switching the kind of a form keeps what the kinds share (the URL) and drops the rest.
export function changeKind(form, kind) {
  const next = emptyConfig(kind);
  for (const k of Object.keys(next)) if (form.config[k] !== undefined) next[k] = form.config[k];
  return { ...form, kind, config: next, extra: {} };
}

// Problems the form can see before asking the server: [{field, problem}], with field named as
// the server names it ("config.url", "config.mapping.id") and problem one of required |
// not_http | not_int | range | not_pointer | region | duplicate. The server checks again.
export function checkForm(form) {
  const out = [];
  const add = (field, problem) => out.push({ field, problem });
  if (form.isNew && !form.name.trim()) add('name', 'required');
  if (new TextEncoder().encode(form.name.trim()).length > 200) add('name', 'range');
  const iv = form.interval_s === '' ? null : Number(form.interval_s);
  if (iv !== null && !Number.isInteger(iv)) add('interval_s', 'not_int');
  else if (iv !== null && (iv < 10 || iv > 604800)) add('interval_s', 'range');
  if (form.region && !/^(\d{2}|\d{4}|\d{6})$/.test(form.region.trim())) add('region', 'region');
  for (const f of KIND_FIELDS[form.kind] || []) {
    const key = 'config.' + f.name;
    if (f.type === 'mapping') {
      const rows = form.mapping.filter((r) => r.field.trim() || r.pointer.trim());
      const seen = new Set();
      for (const r of rows) {
        const name = r.field.trim();
        if (!name) add('config.mapping', 'required');
        else if (seen.has(name)) add('config.mapping.' + name, 'duplicate');
        seen.add(name);
        if (!r.pointer.trim().startsWith('/')) add('config.mapping.' + (name || '?'), 'not_pointer');
      }
      const mapped = new Set(rows.filter((r) => r.pointer.trim()).map((r) => r.field.trim()));
      for (const need of ['id', 'published_at']) if (!mapped.has(need)) add('config.mapping.' + need, 'required');
      if (!mapped.has('text') && !mapped.has('title')) add('config.mapping.text', 'required');
      continue;
    }
    const v = str(form.config[f.name]).trim();
    if (!v) {
      if (f.required) add(key, 'required');
      continue;
    }
    if (f.type === 'url' && !/^https?:\/\//i.test(v)) add(key, 'not_http');
    if (f.type === 'int' && (!/^\d+$/.test(v) || Number(v) < (f.min ?? 0))) add(key, 'not_int');
    if (f.type === 'pointer' && v !== '' && !v.startsWith('/')) add(key, 'not_pointer');
  }
  return out;
}

// The body of POST (new) or PUT (existing: no name; the server lays it over what it stores).
// Empty optional fields are left out, so the collector's defaults stand.
export function formToBody(form) {
  const config = { ...form.extra };
  for (const f of KIND_FIELDS[form.kind] || []) {
    if (f.type === 'mapping') {
      const m = {};
      for (const r of form.mapping) {
        const field = r.field.trim();
        const pointer = r.pointer.trim();
        if (field && pointer) m[field] = pointer;
      }
      config.mapping = m;
      continue;
    }
    const v = str(form.config[f.name]).trim();
    if (!v) continue;
    config[f.name] = f.type === 'int' ? Number(v) : v;
  }
  const body = {
    kind: form.kind,
    interval_s: form.interval_s === '' ? DEFAULTS.interval_s : Number(form.interval_s),
    channel: form.channel || DEFAULTS.channel,
    region: form.region.trim(),
    tz: form.tz.trim() || DEFAULTS.tz,
    config,
    paused: !!form.paused,
  };
  if (form.isNew) return { name: form.name.trim(), ...body };
  return body;
}

// What a row shows as health: one of unconfigured | ok | unknown | erroring | failing | silent
// | collapsed, with the tone of its tag, the server's reason and the last error.
//  - failing: 3+ consecutive failed runs (the server's judgment);
//  - silent: runs go on but nothing new where the baseline expects posts;
//  - collapsed: the server's silent judgment of a collapse (volume fell below a fifth of the
//    baseline), told apart by its reason (collect/health.h writes 采集量骤降);
//  - erroring: the last run failed but not yet 3 in a row;
//  - unknown: before the first successful run.
export function healthOf(s) {
  if (!s || s.configured === false) return { key: 'unconfigured', tone: '', reason: '' };
  const h = s.health || {};
  const st = s.state || {};
  const reason = h.reason || '';
  const err = st.last_error || null;
  let key = h.state || 'unknown';
  if (key === 'silent' && /骤降|collapse/i.test(reason)) key = 'collapsed';
  if ((key === 'ok' || key === 'unknown') && (st.consecutive_failures || 0) > 0 && err) key = 'erroring';
  const tone = { ok: 'ok', unknown: '', erroring: 'warn', silent: 'warn', collapsed: 'bad', failing: 'bad' }[key] ?? '';
  return { key, tone, reason, since: h.since || null, error: err };
}

export const HEALTH_KEYS = ['unconfigured', 'ok', 'unknown', 'erroring', 'failing', 'silent', 'collapsed'];

// "every 5 min" as the schedule: {unit, n} for the locale to word.
export function scheduleOf(seconds) {
  const s = Number(seconds) || 0;
  if (s > 0 && s % 86400 === 0) return { unit: 'day', n: s / 86400 };
  if (s > 0 && s % 3600 === 0) return { unit: 'hour', n: s / 3600 };
  if (s > 0 && s % 60 === 0) return { unit: 'min', n: s / 60 };
  return { unit: 'sec', n: s };
}

// The place a source reads from, for the list: its URL, folder or file.
export function whereOf(s) {
  const c = (s && s.config) || {};
  return c.url || c.path || c.file || '';
}

// Sorting: unhealthy first (failing, collapsed, silent, erroring), then by name; sources
// without configuration (posts only) last.
const RANK = { failing: 0, collapsed: 1, silent: 2, erroring: 3, unknown: 4, ok: 5, unconfigured: 6 };
export function sortSources(list) {
  return [...list].sort((a, b) => {
    const ra = RANK[healthOf(a).key] ?? 9;
    const rb = RANK[healthOf(b).key] ?? 9;
    if (ra !== rb) return ra - rb;
    return String(a.name).localeCompare(String(b.name), 'zh');
  });
}
