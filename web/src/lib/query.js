// The words of a query (docs/query-language.md) that a hit should show highlighted: words and
// phrases that must or may appear — not operators, not negated terms, not region codes or
// keyword lists. For display only; the server decides what matches.
const OPS = new Set(['AND', 'OR', 'NOT']);
const FIELDS = ['title', 'text', 'author', 'source', 'channel', 'region'];

export function queryTerms(q) {
  const s = String(q || '')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .replace(/[“”]/g, '"')
    .replace(/[：]/g, ':')
    .replace(/[，]/g, ',');
  const terms = [];
  let i = 0;
  let negateNext = false;
  let skipDepth = -1; // inside a negated group: its depth
  let depth = 0;
  let fieldScope = '';
  const push = (w) => {
    if (skipDepth >= 0 || negateNext) {
      negateNext = false;
      return;
    }
    if (fieldScope === 'region' || w.startsWith('@')) return;
    if (w && !terms.includes(w)) terms.push(w);
  };
  while (i < s.length) {
    const c = s[i];
    if (/\s|,/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      depth++;
      if (negateNext && skipDepth < 0) skipDepth = depth;
      negateNext = false;
      i++;
      continue;
    }
    if (c === ')') {
      if (skipDepth === depth) skipDepth = -1;
      depth = Math.max(0, depth - 1);
      if (depth === 0) fieldScope = '';
      i++;
      continue;
    }
    if (c === '-' && i + 1 < s.length && !/\s/.test(s[i + 1])) {
      negateNext = true;
      i++;
      continue;
    }
    if (c === '"') {
      const j = s.indexOf('"', i + 1);
      const w = s.slice(i + 1, j < 0 ? s.length : j);
      push(w.trim());
      if (depth === 0) fieldScope = '';
      i = j < 0 ? s.length : j + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !/[\s(),"]/.test(s[j])) j++;
    let w = s.slice(i, j);
    i = j;
    if (OPS.has(w)) {
      if (w === 'NOT') negateNext = true;
      continue;
    }
    if (/^NEAR(\/\d+)?$/.test(w)) continue;
    const colon = w.indexOf(':');
    if (colon > 0 && FIELDS.includes(w.slice(0, colon))) {
      fieldScope = w.slice(0, colon);
      w = w.slice(colon + 1);
      if (!w) continue; // scope applies to the group or phrase that follows
      push(w);
      fieldScope = depth === 0 ? '' : fieldScope;
      continue;
    }
    push(w);
    if (depth === 0) fieldScope = '';
  }
  return terms;
}

// The caret position of an error column (1-based, in characters as the server counts them:
// code points) → {before, at, after} strings of the query.
export function splitAtColumn(q, column) {
  const chars = Array.from(String(q || ''));
  const col = Math.max(1, Number(column) || 1);
  const idx = Math.min(col - 1, chars.length);
  return { before: chars.slice(0, idx).join(''), at: chars[idx] ?? '', after: chars.slice(idx + 1).join('') };
}

// The column an error names: details.column, else "column N:" in the message; 0 when none.
export function errorColumn(err) {
  if (!err) return 0;
  const c = err.details && Number(err.details.column);
  if (c > 0) return c;
  const m = /column (\d+)/.exec(err.message || '');
  return m ? Number(m[1]) : 0;
}
