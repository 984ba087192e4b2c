// Formatting of times, numbers and names shown everywhere. Times are shown in the office's
// zone (Asia/Shanghai, as the server's case policy by default).
import { locale, t } from '../i18n/index.js';

export const TIME_ZONE = 'Asia/Shanghai';
const cache = new Map();
function fmt(opts) {
  const key = locale.value + JSON.stringify(opts);
  if (!cache.has(key)) {
    cache.set(key, new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TIME_ZONE, hour12: false, ...opts }));
  }
  return cache.get(key);
}

function parts(iso) {
  const v = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(v)) return null;
  const p = {};
  for (const x of fmt({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(v)) {
    p[x.type] = x.value;
  }
  if (p.hour === '24') p.hour = '00';
  return p;
}

// 2026-11-17 08:00
export function fmtTime(iso) {
  if (!iso) return '—';
  const p = parts(iso);
  if (!p) return String(iso);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
// 11-17 08:00
export function fmtShort(iso) {
  if (!iso) return '—';
  const p = parts(iso);
  if (!p) return String(iso);
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
export function fmtClock(iso) {
  const p = parts(iso);
  return p ? `${p.hour}:${p.minute}:${p.second}` : '';
}
export function fmtDate(iso) {
  const p = parts(iso);
  return p ? `${p.year}-${p.month}-${p.day}` : '—';
}

// "3 分钟前" / "3 min ago"
export function fmtAgo(iso, now = Date.now()) {
  const v = Date.parse(iso);
  if (Number.isNaN(v)) return '';
  const s = Math.round((now - v) / 1000);
  if (s < 60) return t('time.justNow');
  if (s < 3600) return t('time.minAgo', { n: Math.floor(s / 60) });
  if (s < 86400) return t('time.hourAgo', { n: Math.floor(s / 3600) });
  return t('time.dayAgo', { n: Math.floor(s / 86400) });
}

export function fmtNum(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return Number(n).toLocaleString(locale.value === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
export function fmtPct(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—';
  return (Number(x) * 100).toFixed(digits) + '%';
}

// An ISO-8601 time with the +08:00 offset for a Date (for API parameters).
export function isoOffset(date) {
  const d = new Date(date.getTime() + 8 * 3600 * 1000);
  return d.toISOString().replace(/\.\d{3}Z$/, '+08:00');
}
// <input type="datetime-local"> value (in +08:00) ↔ ISO-8601 with offset.
export function localInputToIso(v) {
  if (!v) return '';
  return (v.length === 16 ? v + ':00' : v) + '+08:00';
}
export function isoToLocalInput(iso) {
  const p = parts(iso);
  return p ? `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}` : '';
}

export const GRADE_NAMES = ['', 'I', 'II', 'III', 'IV'];
export function gradeNumber(g) {
  if (typeof g === 'number') return g;
  const i = GRADE_NAMES.indexOf(String(g || '').toUpperCase());
  if (i > 0) return i;
  const n = Number(g);
  return n >= 1 && n <= 4 ? n : 4;
}
export function gradeLabel(g) {
  const n = gradeNumber(g);
  return `${GRADE_NAMES[n]} ${t('grade.' + n)}`;
}
