import { describe, it, expect, afterEach } from 'vitest';
import { reasonText, factorLabel } from './risk.js';
import { setLocale } from '../i18n/index.js';

describe('risk reasons', () => {
  afterEach(() => setLocale('zh'));
  const r = { factor: 'kind:emergency', detail: 'key-response kind emergency in 3 of 10 posts', detail_zh: '重点回应类型“突发事件和自然灾害”：10条信息中3条' };

  it('shows the Chinese line in Chinese and the English line in English', () => {
    setLocale('zh');
    expect(reasonText(r)).toBe(r.detail_zh);
    expect(factorLabel('kind:emergency')).toBe('重点回应：突发事件和自然灾害');
    expect(factorLabel('negative_share')).toBe('负面占比');
    setLocale('en');
    expect(reasonText(r)).toBe(r.detail);
    expect(factorLabel('kind:emergency')).toBe('Key response: emergency or disaster');
  });

  it('falls back to what the server wrote', () => {
    setLocale('zh');
    expect(reasonText({ detail: 'heat index 61 ≥ 60' })).toBe('heat index 61 ≥ 60');
    expect(reasonText(null)).toBe('');
    expect(factorLabel('something_new')).toBe('something_new');
  });
});
