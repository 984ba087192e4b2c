// Deadline clocks of a case (docs/cases.md, "Deadlines"), recomputed in the browser every
// second from `due`, so a board counts down without reloading. Colours: green while running,
// amber once the reminder time has passed (remind_at, by default 75 % of the window) or less
// than a quarter of the window is left, red when overdue; met clocks are grey (late: marked).
import { t } from '../i18n/index.js';

export const SOON_SHARE = 0.25;

function ms(iso) {
  const v = Date.parse(iso);
  return Number.isNaN(v) ? null : v;
}

// → {level: 'ok'|'soon'|'overdue'|'met'|'late'|'none', remainingMs}
export function deadlineLevel(d, now = Date.now()) {
  if (!d) return { level: 'none', remainingMs: null };
  if (d.state === 'met') return { level: 'met', remainingMs: null };
  if (d.state === 'late') return { level: 'late', remainingMs: null };
  const due = ms(d.due);
  if (due === null) {
    if (d.state === 'overdue') return { level: 'overdue', remainingMs: null };
    return { level: 'ok', remainingMs: null };
  }
  const remaining = due - now;
  if (remaining <= 0 || d.state === 'overdue') return { level: 'overdue', remainingMs: remaining };
  const start = ms(d.start);
  const remind = ms(d.remind_at);
  const windowMs = start !== null ? due - start : null;
  if ((remind !== null && now >= remind) || (windowMs && remaining <= windowMs * SOON_SHARE)) {
    return { level: 'soon', remainingMs: remaining };
  }
  return { level: 'ok', remainingMs: remaining };
}

// 2天3小时 / 3小时12分 / 12分 / 45秒 (en: 2d 3h, 3h 12m, 12m, 45s)
export function formatDuration(msAbs) {
  const s = Math.floor(Math.abs(msAbs) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t('time.dh', { d, h });
  if (h > 0) return t('time.hm', { h, m });
  if (m > 0) return t('time.m', { m });
  return t('time.s', { s });
}

export function countdownText(d, now = Date.now()) {
  const { level, remainingMs } = deadlineLevel(d, now);
  if (level === 'none') return t('deadline.none');
  if (level === 'met') return t('deadline.met');
  if (level === 'late') return t('deadline.late');
  if (remainingMs === null) return t('deadline.' + level);
  if (level === 'overdue') return t('deadline.overdueBy', { d: formatDuration(remainingMs) });
  return t('deadline.left', { d: formatDuration(remainingMs) });
}

// The most urgent clock of a list (an overdue one, else the running one due soonest).
export function mostUrgent(deadlines, now = Date.now()) {
  let best = null;
  for (const d of deadlines || []) {
    const l = deadlineLevel(d, now);
    if (l.level !== 'overdue' && l.level !== 'soon' && l.level !== 'ok') continue;
    if (!best || l.remainingMs < best.l.remainingMs) best = { d, l };
  }
  return best ? best.d : null;
}
