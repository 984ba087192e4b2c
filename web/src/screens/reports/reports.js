// The report archive (docs/reports.md; GET/POST /api/v1/archive): which input each kind of
// report is generated from, the body the server takes, the links to a stored report's files,
// who may mark a submission received, and paging back through the archive by before_id. Pure.

export const KINDS = ['daily', 'weekly', 'monthly', 'flash', 'event', 'evaluation', 'assessment'];
export const FORMATS = ['html', 'pdf', 'docx'];
export const SUBMISSION_STATES = ['queued', 'sent', 'failed', 'received'];
export const TRIGGERS = ['schedule', 'grade', 'manual'];
export const PAGE = 50;

// What a kind is generated from: a date (the day, week or month containing it), an event or a
// case.
export function inputOf(kind) {
  if (kind === 'flash' || kind === 'event') return 'event';
  if (kind === 'evaluation') return 'case';
  return 'date';
}

// Today in the office's zone (+08:00) as YYYY-MM-DD.
export function todayIn(now = Date.now(), offsetMinutes = 480) {
  return new Date(now + offsetMinutes * 60000).toISOString().slice(0, 10);
}

export function emptyGenerate(kind = 'daily', now = Date.now()) {
  return { kind, date: todayIn(now), event: '', case: '', region: '' };
}

// Problems before asking the server: [{field, problem}] (required | date | id | region).
export function checkGenerate(form) {
  const out = [];
  if (!KINDS.includes(form.kind)) out.push({ field: 'kind', problem: 'required' });
  const input = inputOf(form.kind);
  const v = String(form[input] ?? '').trim();
  if (!v) out.push({ field: input, problem: 'required' });
  else if (input === 'date' && !validDate(v)) out.push({ field: 'date', problem: 'date' });
  else if (input !== 'date' && !/^\d{1,18}$/.test(v)) out.push({ field: input, problem: 'id' });
  const r = String(form.region || '').trim();
  if (r && !/^(\d{2}|\d{4}|\d{6})$/.test(r)) out.push({ field: 'region', problem: 'region' });
  return out;
}

function validDate(v) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(v + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

// The POST /api/v1/archive body: the kind, its one input, and the region when given.
export function generateBody(form) {
  const input = inputOf(form.kind);
  const body = { kind: form.kind };
  const v = String(form[input] ?? '').trim();
  body[input] = input === 'date' ? v : Number(v);
  const r = String(form.region || '').trim();
  if (r) body.region = r;
  return body;
}

export function fileUrl(id, format) {
  return `/api/v1/archive/${encodeURIComponent(id)}/file/${format}`;
}

// The stored formats of a report, in the usual order, each with its link; the failed ones
// with the server's reason.
export function filesOf(r) {
  const stored = new Set(r.formats || []);
  const errors = r.errors || {};
  const out = [];
  for (const f of FORMATS) {
    if (stored.has(f)) out.push({ format: f, url: fileUrl(r.id, f), error: null });
    else if (errors[f]) out.push({ format: f, url: null, error: errors[f] });
  }
  for (const f of stored) if (!FORMATS.includes(f)) out.push({ format: f, url: fileUrl(r.id, f), error: null });
  return out;
}

export function canPreview(r) {
  return !!r && (r.formats || []).includes('html');
}

// A submission may be marked received by a holder of receive_reports while it is sent (or
// queued: the superior may sign for it before the delivery reports back).
export function canReceive(s, can) {
  return !!s && can('receive_reports') && (s.state === 'sent' || s.state === 'queued');
}
// Submitting upward again is offered while no submission is on its way or received.
export function canSubmit(r, can) {
  if (!r || !can('submit_reports')) return false;
  return !(r.submissions || []).some((s) => s.state === 'queued' || s.state === 'sent' || s.state === 'received');
}

export function stateTone(state) {
  return { queued: '', sent: 'warn', failed: 'bad', received: 'ok' }[state] ?? '';
}

// The period a row shows: "2026-12-02" for a day, "2026-11-30 – 2026-12-06" for longer, in
// the office's zone; to is exclusive.
export function periodText(r, offsetMinutes = 480) {
  if (!r || !r.period_from) return '';
  const day = (iso, back = 0) => {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return String(iso);
    return new Date(t + offsetMinutes * 60000 - back).toISOString().slice(0, 10);
  };
  const from = day(r.period_from);
  if (!r.period_to) return from;
  const to = day(r.period_to, 1);
  return from === to ? from : `${from} – ${to}`;
}

// Paging back through the archive: the list keeps the before_id of each page shown so that
// "previous" returns to the newer page. pages[0] is null (the newest page).
export function pagerStart() {
  return { stack: [null], next: null };
}
export function pagerOlder(p) {
  if (p.next === null || p.next === undefined) return p;
  return { stack: [...p.stack, p.next], next: null };
}
export function pagerNewer(p) {
  if (p.stack.length <= 1) return p;
  return { stack: p.stack.slice(0, -1), next: null };
}
export function pagerBefore(p) {
  return p.stack[p.stack.length - 1];
}

// The query of a page: kind (or all), limit and before_id.
export function listQuery(kind, p, limit = PAGE) {
  return { kind: kind || undefined, limit, before_id: pagerBefore(p) ?? undefined };
}

// A report just generated or changed goes in its place in a list sorted newest first.
export function upsert(list, r) {
  const i = list.findIndex((x) => x.id === r.id);
  if (i >= 0) return [...list.slice(0, i), r, ...list.slice(i + 1)];
  return [r, ...list].sort((a, b) => b.id - a.id);
}
