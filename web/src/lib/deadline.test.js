import { describe, it, expect, beforeEach } from 'vitest';
import { deadlineLevel, countdownText, formatDuration, mostUrgent } from './deadline.js';
import { setLocale } from '../i18n/index.js';

const H = 3600_000;
const T0 = Date.parse('2026-11-17T08:00:00+08:00');
// A 24-hour press clock from T0, reminder at 75 % (18 h).
const press = { obligation: 'press', start: '2026-11-17T08:00:00+08:00', due: '2026-11-18T08:00:00+08:00', remind_at: '2026-11-18T02:00:00+08:00', met_at: null, state: 'running' };

describe('deadline colouring', () => {
  beforeEach(() => setLocale('zh'));

  it('is green while plenty of time is left', () => {
    expect(deadlineLevel(press, T0 + 1 * H).level).toBe('ok');
    expect(deadlineLevel(press, T0 + 17.9 * H).level).toBe('ok');
  });
  it('turns amber once the reminder time has passed', () => {
    expect(deadlineLevel(press, T0 + 18 * H).level).toBe('soon');
    expect(deadlineLevel(press, T0 + 23.9 * H).level).toBe('soon');
  });
  it('turns amber in the last quarter when no reminder time is given', () => {
    const d = { ...press, remind_at: null };
    expect(deadlineLevel(d, T0 + 17 * H).level).toBe('ok');
    expect(deadlineLevel(d, T0 + 19 * H).level).toBe('soon');
  });
  it('turns red at the deadline, counting in the browser even if the server said running', () => {
    expect(deadlineLevel(press, T0 + 24 * H).level).toBe('overdue');
    expect(deadlineLevel(press, T0 + 30 * H).remainingMs).toBe(-6 * H);
    expect(deadlineLevel({ ...press, state: 'overdue' }, T0).level).toBe('overdue');
  });
  it('shows met and met-late clocks as done', () => {
    expect(deadlineLevel({ ...press, state: 'met' }, T0 + 30 * H).level).toBe('met');
    expect(deadlineLevel({ ...press, state: 'late' }, T0 + 30 * H).level).toBe('late');
    expect(deadlineLevel(null).level).toBe('none');
  });
  it('counts down in words, in both languages', () => {
    expect(countdownText(press, T0 + 20 * H + 30 * 60_000)).toBe('剩 3小时30分');
    expect(countdownText(press, T0 + 26 * H)).toBe('超期 2小时0分');
    expect(countdownText(press, T0 - 24 * H)).toBe('剩 2天0小时');
    setLocale('en');
    expect(countdownText(press, T0 + 23 * H + 55 * 60_000)).toBe('5m left');
    expect(countdownText(press, T0 + 74 * H)).toBe('overdue 2d 2h');
    expect(formatDuration(45_000)).toBe('45s');
  });
  it('finds the most urgent clock', () => {
    const resolve = { ...press, obligation: 'resolve', due: '2026-12-02T08:00:00+08:00', remind_at: null, start: press.start };
    expect(mostUrgent([resolve, press], T0 + H).obligation).toBe('press');
    expect(mostUrgent([{ ...press, state: 'met' }, resolve], T0 + H).obligation).toBe('resolve');
  });
});
