// Hostile input: post text, author names, titles and URLs from the internet are shown as text,
// and only http(s) URLs become links (new tab, noopener noreferrer).
import { describe, it, expect } from 'vitest';
import { mount } from '@vue/test-utils';
import { safeHref, linkAttrs } from './links.js';
import { segmentsFromTerms, segmentsFromMatches, segmentsFromMarks, byteRangesToIndex, clip } from './highlight.js';
import Highlighted from '../components/Highlighted.vue';
import SafeLink from '../components/SafeLink.vue';
import PostCard from '../components/PostCard.vue';
import { i18nPlugin } from '../i18n/index.js';

const SCRIPT = '<script>window.__pwned = 1</script>';
const IMG = '<img src=x onerror="window.__pwned = 2">';
const JS_URL = 'javascript:window.__pwned=3';

function bytes(s) {
  return new TextEncoder().encode(s).length;
}

describe('links', () => {
  it('makes links of http and https only', () => {
    expect(safeHref('https://weibo.com/1/2')).toBe('https://weibo.com/1/2');
    expect(safeHref('http://news.example.cn/a?b=1')).toBe('http://news.example.cn/a?b=1');
    for (const bad of [JS_URL, 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '//evil.example/x', '/relative', 'ftp://x/y', '', null, 42]) {
      expect(safeHref(bad), String(bad)).toBeNull();
    }
  });
  it('opens links in a new tab without opener or referrer', () => {
    expect(linkAttrs('https://a.example/')).toMatchObject({ target: '_blank', rel: 'noopener noreferrer' });
    expect(linkAttrs(JS_URL)).toBeNull();
  });
  it('renders a javascript: URL as text, never as a link', () => {
    const w = mount(SafeLink, { props: { url: JS_URL }, global: { plugins: [i18nPlugin] } });
    expect(w.find('a').exists()).toBe(false);
    expect(w.text()).toBe(JS_URL);
    const ok = mount(SafeLink, { props: { url: 'https://weibo.com/x', text: '原文' }, global: { plugins: [i18nPlugin] } });
    const a = ok.find('a');
    expect(a.attributes('href')).toBe('https://weibo.com/x');
    expect(a.attributes('rel')).toBe('noopener noreferrer');
    expect(a.attributes('target')).toBe('_blank');
  });
});

describe('highlighting', () => {
  it('cuts text into segments around the terms', () => {
    expect(segmentsFromTerms('长治市潞城区苯胺泄漏', ['苯胺', '潞城'])).toEqual([
      { text: '长治市', hit: false },
      { text: '潞城', hit: true },
      { text: '区', hit: false },
      { text: '苯胺', hit: true },
      { text: '泄漏', hit: false },
    ]);
  });
  it('ignores case and full width when finding terms', () => {
    const s = segmentsFromTerms('ＰＸ项目 and px', ['px']);
    expect(s.filter((x) => x.hit).map((x) => x.text)).toEqual(['ＰＸ', 'px']);
  });
  it('reads the server byte offsets of UTF-8 text correctly', () => {
    const text = '网传长治苯胺😀泄漏';
    const begin = bytes('网传');
    const end = begin + bytes('长治');
    const e2 = bytes('网传长治苯胺😀');
    const m = [{ field: 'text', begin, end, term: '长治' }, { field: 'text', begin: e2, end: e2 + bytes('泄漏'), term: '泄漏' }, { field: 'title', begin: 0, end: 3 }];
    expect(segmentsFromMatches(text, m, 'text').filter((x) => x.hit).map((x) => x.text)).toEqual(['长治', '泄漏']);
    // an offset inside a character is dropped, not misdrawn
    expect(byteRangesToIndex(text, [{ begin: 1, end: 4 }])).toEqual([]);
  });
  it('keeps <script> and <img onerror> as text in the segments and in the DOM', () => {
    const hostile = `苯胺 ${SCRIPT} ${IMG} 泄漏`;
    const segs = segmentsFromTerms(hostile, ['苯胺', 'script', 'onerror']);
    expect(segs.map((s) => s.text).join('')).toBe(hostile);
    const w = mount(Highlighted, { props: { segments: segs } });
    expect(w.find('script').exists()).toBe(false);
    expect(w.find('img').exists()).toBe(false);
    expect(w.text()).toBe(hostile);
    expect(w.findAll('mark').map((m) => m.text())).toEqual(['苯胺', 'script', 'script', 'onerror']);
    expect(w.html()).toContain('&lt;');
  });
  it('reads the dry run 【】 marks without interpreting anything else', () => {
    const segs = segmentsFromMarks(`【长治】化工厂${IMG}【泄漏】`);
    expect(segs).toEqual([
      { text: '长治', hit: true },
      { text: '化工厂' + IMG, hit: false },
      { text: '泄漏', hit: true },
    ]);
  });
  it('clips long text around the first hit', () => {
    const long = 'a'.repeat(500) + '苯胺' + 'b'.repeat(500);
    const c = clip(segmentsFromTerms(long, ['苯胺']), 100);
    expect(c[0].text).toBe('…');
    expect(c.some((x) => x.hit && x.text === '苯胺')).toBe(true);
    expect(c.reduce((n, x) => n + x.text.length, 0)).toBeLessThanOrEqual(102);
  });
});

describe('a hostile post', () => {
  it('shows as text and runs nothing', () => {
    window.__pwned = 0;
    const post = {
      source: 'weibo',
      id: '1',
      channel: 'weibo',
      title: `标题${SCRIPT}`,
      text: `网传长治苯胺泄漏 ${IMG} <a href="javascript:alert(1)">点我</a>`,
      url: JS_URL,
      author: { name: `<b onmouseover="x()">大V</b>${SCRIPT}`, followers: 10 },
      published_at: '2026-11-16T09:12:00+08:00',
      metrics: { reposts: 1, comments: 2, likes: 3, views: 4 },
      rules: [{ id: 1, name: `<img src=x onerror=alert(1)>`, terms: ['苯胺'], matches: [] }],
    };
    const w = mount(PostCard, { props: { post, terms: ['苯胺', 'script'] }, global: { plugins: [i18nPlugin] }, attachTo: document.body });
    for (const tag of ['script', 'img', 'b', 'a[href^="javascript"]']) expect(w.find(tag).exists(), tag).toBe(false);
    expect(w.findAll('a').length).toBe(0); // the javascript: URL is no link
    expect(w.text()).toContain('<script>');
    expect(w.text()).toContain('onerror');
    expect(w.text()).toContain(JS_URL);
    expect(window.__pwned).toBe(0);
    w.unmount();
  });
  it('links an https original with noopener noreferrer', () => {
    const w = mount(PostCard, { props: { post: { source: 's', id: '2', text: 'x', url: 'https://weibo.com/2', published_at: '2026-11-16T09:12:00+08:00' } }, global: { plugins: [i18nPlugin] } });
    const a = w.find('a');
    expect(a.attributes('rel')).toBe('noopener noreferrer');
    expect(a.attributes('target')).toBe('_blank');
  });
});
