import { describe, it, expect } from 'vitest';
import {
  KINDS, FORMATS, SUBMISSION_STATES, TRIGGERS, PAGE,
  inputOf, todayIn, emptyGenerate, checkGenerate, generateBody, fileUrl, filesOf, canPreview,
  canReceive, canSubmit, stateTone, periodText, pagerStart, pagerOlder, pagerNewer, pagerBefore,
  listQuery, upsert,
} from './reports.js';
import zh from '../../locales/zh-CN.json';
import en from '../../locales/en.json';

// A role's permissions as `can` (api/session.js) answers them.
const holding = (...perms) => (p) => perms.includes(p);

describe('report generation form', () => {
  it('asks each kind for its one input: a date, an event or a case', () => {
    expect(['daily', 'weekly', 'monthly', 'assessment'].map(inputOf)).toEqual(['date', 'date', 'date', 'date']);
    expect(inputOf('flash')).toBe('event');
    expect(inputOf('event')).toBe('event');
    expect(inputOf('evaluation')).toBe('case');
  });

  it('counts today in the office zone (+08:00), not in UTC', () => {
    // 2026-12-02 17:30 UTC is already 2026-12-03 01:30 in 长治.
    const t = Date.parse('2026-12-02T17:30:00Z');
    expect(todayIn(t)).toBe('2026-12-03');
    expect(todayIn(t, 0)).toBe('2026-12-02');
    expect(todayIn(Date.parse('2026-12-02T15:59:59Z'))).toBe('2026-12-02');
    expect(emptyGenerate('weekly', t)).toEqual({ kind: 'weekly', date: '2026-12-03', event: '', case: '', region: '' });
  });

  it('finds the problems the server would refuse, naming the field', () => {
    const base = { kind: 'daily', date: '2026-12-03', event: '', case: '', region: '' };
    expect(checkGenerate(base)).toEqual([]);
    expect(checkGenerate({ ...base, date: '' })).toEqual([{ field: 'date', problem: 'required' }]);
    expect(checkGenerate({ ...base, date: '2026-02-30' })).toEqual([{ field: 'date', problem: 'date' }]);
    expect(checkGenerate({ ...base, date: '2026/12/03' })).toEqual([{ field: 'date', problem: 'date' }]);
    expect(checkGenerate({ ...base, kind: 'event', event: '' })).toEqual([{ field: 'event', problem: 'required' }]);
    expect(checkGenerate({ ...base, kind: 'flash', event: '12a' })).toEqual([{ field: 'event', problem: 'id' }]);
    expect(checkGenerate({ ...base, kind: 'evaluation', case: ' 42 ' })).toEqual([]);
    expect(checkGenerate({ ...base, region: '14040' })).toEqual([{ field: 'region', problem: 'region' }]);
    expect(checkGenerate({ ...base, region: '14' })).toEqual([]);
    expect(checkGenerate({ ...base, kind: 'yearly' })[0]).toEqual({ field: 'kind', problem: 'required' });
  });

  it('builds the POST /api/v1/archive body with the kind, its input and the region when given', () => {
    const form = { kind: 'daily', date: ' 2026-12-03 ', event: '7', case: '9', region: '' };
    expect(generateBody(form)).toEqual({ kind: 'daily', date: '2026-12-03' });
    expect(generateBody({ ...form, kind: 'event', region: ' 140406 ' })).toEqual({ kind: 'event', event: 7, region: '140406' });
    expect(generateBody({ ...form, kind: 'evaluation' })).toEqual({ kind: 'evaluation', case: 9 });
  });
});

describe('archived report files', () => {
  it('links each stored format and shows why a format failed', () => {
    expect(fileUrl(12, 'pdf')).toBe('/api/v1/archive/12/file/pdf');
    const r = { id: 12, formats: ['docx', 'html', 'odt'], errors: { pdf: 'chromium not found' } };
    expect(filesOf(r)).toEqual([
      { format: 'html', url: '/api/v1/archive/12/file/html', error: null },
      { format: 'pdf', url: null, error: 'chromium not found' },
      { format: 'docx', url: '/api/v1/archive/12/file/docx', error: null },
      { format: 'odt', url: '/api/v1/archive/12/file/odt', error: null },
    ]);
    expect(filesOf({ id: 1 })).toEqual([]);
  });

  it('previews only a report whose HTML is stored', () => {
    expect(canPreview({ formats: ['pdf', 'html'] })).toBe(true);
    expect(canPreview({ formats: ['pdf'] })).toBe(false);
    expect(canPreview({})).toBe(false);
    expect(canPreview(null)).toBe(false);
  });
});

describe('submissions upward', () => {
  it('lets a holder of receive_reports sign for a queued or sent submission only', () => {
    const receiver = holding('receive_reports');
    expect(canReceive({ state: 'sent' }, receiver)).toBe(true);
    expect(canReceive({ state: 'queued' }, receiver)).toBe(true);
    expect(canReceive({ state: 'failed' }, receiver)).toBe(false);
    expect(canReceive({ state: 'received' }, receiver)).toBe(false);
    expect(canReceive({ state: 'sent' }, holding('submit_reports'))).toBe(false);
    expect(canReceive(null, receiver)).toBe(false);
  });

  it('offers submitting again only while nothing is on its way or received', () => {
    const submitter = holding('submit_reports');
    expect(canSubmit({ submissions: [] }, submitter)).toBe(true);
    expect(canSubmit({}, submitter)).toBe(true);
    expect(canSubmit({ submissions: [{ state: 'failed' }] }, submitter)).toBe(true);
    for (const state of ['queued', 'sent', 'received']) {
      expect(canSubmit({ submissions: [{ state: 'failed' }, { state }] }, submitter), state).toBe(false);
    }
    expect(canSubmit({ submissions: [] }, holding('receive_reports'))).toBe(false);
    expect(canSubmit(null, submitter)).toBe(false);
  });

  it('tones each submission state and has words for it in both languages', () => {
    expect(SUBMISSION_STATES.map(stateTone)).toEqual(['', 'warn', 'bad', 'ok']);
    expect(stateTone('unknown')).toBe('');
    for (const table of [zh, en]) {
      for (const s of SUBMISSION_STATES) expect(table.reports.subState[s], s).toBeTruthy();
      for (const k of KINDS) expect(table.reports.kind[k], k).toBeTruthy();
      for (const k of TRIGGERS) expect(table.reports.trigger[k], k).toBeTruthy();
    }
    expect(zh.reports.kind.daily).toBe('日报');
    expect(FORMATS).toEqual(['html', 'pdf', 'docx']);
  });
});

describe('report period', () => {
  it('shows a day as one date and longer periods as a range in +08:00, the end exclusive', () => {
    // The daily report of 2026-12-02 in 长治: [12-01 16:00Z, 12-02 16:00Z).
    expect(periodText({ period_from: '2026-12-01T16:00:00Z', period_to: '2026-12-02T16:00:00Z' })).toBe('2026-12-02');
    // A week, Monday to Sunday.
    expect(periodText({ period_from: '2026-11-29T16:00:00Z', period_to: '2026-12-06T16:00:00Z' })).toBe('2026-11-30 – 2026-12-06');
    // A month.
    expect(periodText({ period_from: '2026-10-31T16:00:00Z', period_to: '2026-11-30T16:00:00Z' })).toBe('2026-11-01 – 2026-11-30');
    // In UTC the same day reads differently.
    expect(periodText({ period_from: '2026-12-02T00:00:00Z', period_to: '2026-12-03T00:00:00Z' }, 0)).toBe('2026-12-02');
    expect(periodText({ period_from: '2026-12-01T16:00:00Z' })).toBe('2026-12-02');
    expect(periodText({ period_from: 'not a time', period_to: '2026-12-02T16:00:00Z' })).toBe('not a time – 2026-12-02');
    expect(periodText({})).toBe('');
    expect(periodText(null)).toBe('');
  });
});

describe('paging back through the archive', () => {
  it('keeps the before_id of each page so that newer returns to the page shown before', () => {
    let p = pagerStart();
    expect(pagerBefore(p)).toBe(null);
    expect(listQuery('', p)).toEqual({ kind: undefined, limit: PAGE, before_id: undefined });
    // Without a next page, older stays where it is.
    expect(pagerOlder(p)).toBe(p);
    p = pagerOlder({ ...p, next: 120 });
    expect(pagerBefore(p)).toBe(120);
    expect(listQuery('daily', p, 20)).toEqual({ kind: 'daily', limit: 20, before_id: 120 });
    p = pagerOlder({ ...p, next: 70 });
    expect(p.stack).toEqual([null, 120, 70]);
    p = pagerNewer(p);
    expect(pagerBefore(p)).toBe(120);
    p = pagerNewer(p);
    expect(pagerBefore(p)).toBe(null);
    // The newest page has nothing newer.
    expect(pagerNewer(p)).toBe(p);
  });

  it('puts a new or changed report in its place, newest first', () => {
    const list = [{ id: 9 }, { id: 5 }, { id: 2 }];
    expect(upsert(list, { id: 12 }).map((r) => r.id)).toEqual([12, 9, 5, 2]);
    expect(upsert(list, { id: 7 }).map((r) => r.id)).toEqual([9, 7, 5, 2]);
    const changed = upsert(list, { id: 5, title: 'changed' });
    expect(changed.map((r) => r.id)).toEqual([9, 5, 2]);
    expect(changed[1].title).toBe('changed');
    expect(list[1].title).toBeUndefined();
  });
});
