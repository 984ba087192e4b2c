import { describe, it, expect, beforeEach, vi } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import QueryInput from './QueryInput.vue';
import Countdown from './Countdown.vue';
import GradeBadge from './GradeBadge.vue';
import Pager from './Pager.vue';
import LoginScreen from '../screens/login/LoginScreen.vue';
import { ApiError } from '../api/client.js';
import { i18nPlugin, setLocale } from '../i18n/index.js';

const global = { plugins: [i18nPlugin] };

describe('QueryInput', () => {
  beforeEach(() => setLocale('zh'));
  it('puts the caret under the column the server names', () => {
    const error = new ApiError({ status: 400, code: 'invalid_query', message: "column 8: expected a word, phrase or '(' after AND, found OR", details: { column: 8 } });
    const w = mount(QueryInput, { props: { modelValue: '长治 AND OR 泄漏', error }, global });
    expect(w.find('.caret-pad').text()).toBe('长治 AND');
    expect(w.find('.caret-at').text()).toBe('O');
    expect(w.find('.caret').text()).toBe('^');
    expect(w.find('[role="alert"]').text()).toContain('查询语法错误');
    expect(w.find('input').attributes('aria-invalid')).toBe('true');
  });
  it('shows no caret without an error', () => {
    const w = mount(QueryInput, { props: { modelValue: '苯胺' }, global });
    expect(w.find('.caret').exists()).toBe(false);
  });
  it('emits the typed query and submits on Enter', async () => {
    const w = mount(QueryInput, { props: { modelValue: '' }, global });
    await w.find('input').setValue('浊漳河');
    expect(w.emitted('update:modelValue')[0]).toEqual(['浊漳河']);
    await w.find('input').trigger('keydown', { key: 'Enter' });
    expect(w.emitted('submit')).toBeTruthy();
  });
});

describe('Countdown', () => {
  it('is red when overdue and amber when close', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-18T03:00:00+08:00'));
    const d = { obligation: 'press', obligation_zh: '新闻发布会或情况通报', start: '2026-11-17T08:00:00+08:00', due: '2026-11-18T08:00:00+08:00', remind_at: '2026-11-18T02:00:00+08:00', state: 'running' };
    const soon = mount(Countdown, { props: { deadline: d }, global });
    expect(soon.classes()).toContain('dl-soon');
    expect(soon.text()).toBe('剩 5小时0分');
    vi.setSystemTime(new Date('2026-11-18T09:00:00+08:00'));
    const late = mount(Countdown, { props: { deadline: d, showName: true }, global });
    expect(late.classes()).toContain('dl-overdue');
    expect(late.text()).toContain('超期 1小时0分');
    expect(late.text()).toContain('新闻发布会或情况通报');
    soon.unmount();
    late.unmount();
    vi.useRealTimers();
  });
});

describe('small components', () => {
  it('GradeBadge names the grade', () => {
    const w = mount(GradeBadge, { props: { grade: 'II', long: true }, global });
    expect(w.text()).toBe('II 重大');
    expect(w.classes()).toContain('grade-2');
  });
  it('Pager pages by limit and offset', async () => {
    const w = mount(Pager, { props: { offset: 20, limit: 20, total: 45, count: 20 }, global });
    expect(w.text()).toContain('21–40 / 45');
    await w.findAll('button')[1].trigger('click');
    expect(w.emitted('update:offset')[0]).toEqual([40]);
    await w.findAll('button')[0].trigger('click');
    expect(w.emitted('update:offset')[1]).toEqual([0]);
  });
});

describe('LoginScreen', () => {
  beforeEach(() => setLocale('zh'));
  it('logs in with the cookie flag and shows a rate limit with its wait', async () => {
    const calls = [];
    globalThis.fetch = vi.fn(async (url, init) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ error: { code: 'too_many_logins', message: 'too many logins for li.qiang; wait 30 s' } }), { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '30' } });
    });
    const w = mount(LoginScreen, { global });
    await w.find('input[name="username"]').setValue('li.qiang');
    await w.find('input[name="password"]').setValue('secret-secret');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(calls[0].url).toBe('/api/v1/login');
    expect(JSON.parse(calls[0].init.body)).toEqual({ name: 'li.qiang', password: 'secret-secret', cookie: true });
    expect(w.find('[role="alert"]').text()).toContain('登录尝试过于频繁，请 30 秒后再试。');
    expect(w.find('button[type="submit"]').attributes('disabled')).toBeDefined();
  });
});
