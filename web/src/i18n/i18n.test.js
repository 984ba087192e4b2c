import { describe, it, expect, beforeEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zh from '../locales/zh-CN.json';
import en from '../locales/en.json';
import { keysOf, t, setLocale, locale, pick } from './index.js';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(vue|js)$/.test(e.name) && !e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

describe('i18n', () => {
  beforeEach(() => setLocale('zh'));

  it('has the same keys in Chinese and English', () => {
    const a = new Set(keysOf(zh));
    const b = new Set(keysOf(en));
    expect([...a].filter((k) => !b.has(k))).toEqual([]);
    expect([...b].filter((k) => !a.has(k))).toEqual([]);
  });

  it('has no empty text, apart from deliberately blank states', () => {
    for (const table of [zh, en]) {
      const empty = keysOf(table).filter((k) => {
        const v = k.split('.').reduce((o, p) => o[p], table);
        return v === '' && k !== 'rules.check.idle';
      });
      expect(empty).toEqual([]);
    }
  });

  it('defines every key the source uses literally', () => {
    const known = new Set(keysOf(zh));
    const missing = [];
    for (const file of sources(src)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\$?\bt\('([a-zA-Z][\w]*(?:\.[\w]+)+)'/g)) {
        if (!known.has(m[1])) missing.push(`${path.relative(src, file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('defines the dynamic families for every value the server sends', () => {
    const families = {
      caseState: ['new', 'judged', 'assigned', 'accepted', 'responding', 'responded', 'following_up', 'closed', 'evaluated'],
      role: ['admin', 'monitor', 'analyst', 'responder', 'leader', 'coordinator'],
      trend: ['rising', 'peaking', 'declining', 'dormant'],
      delivery: ['pending', 'delivered', 'dead'],
    };
    for (const [f, values] of Object.entries(families)) for (const v of values) expect(zh[f][v], `${f}.${v}`).toBeTruthy();
  });

  it('is Chinese by default, switches to English and remembers it', () => {
    expect(locale.value).toBe('zh');
    expect(t('nav.cases')).toBe('工单');
    setLocale('en');
    expect(t('nav.cases')).toBe('Cases');
    expect(localStorage.getItem('yq.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('fills parameters and falls back to the key', () => {
    expect(t('events.count', { n: 3 })).toBe('共 3 个');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('picks the server value of the current language', () => {
    expect(pick({ zh: '中', en: 'en' })).toBe('中');
    setLocale('en');
    expect(pick({ reason_zh: '中', reason_en: 'en' }, 'reason')).toBe('en');
  });
});
