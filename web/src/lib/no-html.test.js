// Nothing in the workbench renders HTML from data: no v-html, no innerHTML and friends.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FORBIDDEN = [/v-html/, /\binnerHTML\b/, /\bouterHTML\b/, /insertAdjacentHTML/, /document\.write/, /createContextualFragment/, /\bDOMParser\b/, /\beval\s*\(/, /new Function\s*\(/];

function files(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (/\.(vue|js|mjs|ts|html)$/.test(e.name) && !e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

describe('no HTML from data', () => {
  it('finds no v-html, innerHTML, outerHTML, insertAdjacentHTML, document.write or eval in src/', () => {
    const hits = [];
    const list = [...files(root), path.join(root, '..', 'index.html')];
    expect(list.length).toBeGreaterThan(20);
    for (const f of list) {
      const text = fs.readFileSync(f, 'utf8');
      text.split('\n').forEach((line, i) => {
        for (const re of FORBIDDEN) if (re.test(line)) hits.push(`${path.relative(root, f)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
  it('has no inline script in index.html (CSP script-src self)', () => {
    const html = fs.readFileSync(path.join(root, '..', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src=/);
      expect(body.trim()).toBe('');
    }
  });
});
