// Highlighting without HTML: text is cut into segments {text, hit} that a component renders as
// text nodes and <mark> elements ({{ }} only). Nothing here ever produces markup, so a post
// that contains <script> or <img onerror> stays text.

// UTF-8 byte offsets (as the server reports matches) → UTF-16 indices into the JS string.
export function byteToIndexMap(text) {
  const map = new Map();
  let bytes = 0;
  let i = 0;
  map.set(0, 0);
  while (i < text.length) {
    const cp = text.codePointAt(i);
    const units = cp > 0xffff ? 2 : 1;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += units;
    map.set(bytes, i);
  }
  return map;
}

export function byteRangesToIndex(text, ranges) {
  if (!ranges || !ranges.length) return [];
  const map = byteToIndexMap(text);
  const out = [];
  for (const r of ranges) {
    const b = map.get(r.begin);
    const e = map.get(r.end);
    if (b === undefined || e === undefined || e <= b) continue; // not on a character boundary
    out.push({ begin: b, end: e, term: r.term });
  }
  return out;
}

// Segments from index ranges (overlaps merged).
export function segmentsFromRanges(text, ranges) {
  const s = typeof text === 'string' ? text : text == null ? '' : String(text);
  const rs = (ranges || [])
    .filter((r) => r.end > r.begin && r.begin >= 0 && r.end <= s.length)
    .sort((a, b) => a.begin - b.begin || b.end - a.end);
  const merged = [];
  for (const r of rs) {
    const last = merged[merged.length - 1];
    if (last && r.begin <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ begin: r.begin, end: r.end });
  }
  const out = [];
  let pos = 0;
  for (const r of merged) {
    if (r.begin > pos) out.push({ text: s.slice(pos, r.begin), hit: false });
    out.push({ text: s.slice(r.begin, r.end), hit: true });
    pos = r.end;
  }
  if (pos < s.length || !out.length) out.push({ text: s.slice(pos), hit: false });
  return out.filter((x) => x.text !== '' || out.length === 1);
}

// Server matches ({field, begin, end} in bytes) for one field → segments.
export function segmentsFromMatches(text, matches, field) {
  const s = text || '';
  const mine = (matches || []).filter((m) => !field || m.field === field);
  return segmentsFromRanges(s, byteRangesToIndex(s, mine));
}

// Matching for display only: full-width ASCII folded, case ignored. Keeps string length, so
// indices found in the folded text are indices in the original.
function fold(s) {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).toLowerCase();
}

// Ranges of every occurrence of the terms (longest first, no overlaps needed: merged later).
export function rangesOfTerms(text, terms) {
  const s = fold(text || '');
  const out = [];
  for (const term of terms || []) {
    const q = fold(String(term || ''));
    if (!q) continue;
    let i = s.indexOf(q);
    let guard = 0;
    while (i >= 0 && guard++ < 1000) {
      out.push({ begin: i, end: i + q.length });
      i = s.indexOf(q, i + q.length);
    }
  }
  return out;
}

export function segmentsFromTerms(text, terms) {
  return segmentsFromRanges(text || '', rangesOfTerms(text, terms));
}

// The server's dry-run highlight marks terms with 【】. Used only when no offsets came with it;
// brackets that the post itself contains are then indistinguishable and shown as marks too.
export function segmentsFromMarks(marked, open = '【', close = '】') {
  const s = marked || '';
  const out = [];
  let pos = 0;
  while (pos < s.length) {
    const a = s.indexOf(open, pos);
    if (a < 0) break;
    const b = s.indexOf(close, a + 1);
    if (b < 0) break;
    if (a > pos) out.push({ text: s.slice(pos, a), hit: false });
    out.push({ text: s.slice(a + open.length, b), hit: true });
    pos = b + close.length;
  }
  if (pos < s.length) out.push({ text: s.slice(pos), hit: false });
  return out.length ? out : [{ text: '', hit: false }];
}

// Cuts long segments to about max characters around the first hit, with "…" at the cuts.
export function clip(segments, max = 240) {
  const total = segments.reduce((n, x) => n + x.text.length, 0);
  if (total <= max) return segments;
  let first = 0;
  let n = 0;
  for (const x of segments) {
    if (x.hit) {
      first = n;
      break;
    }
    n += x.text.length;
  }
  const start = Math.max(0, Math.min(first - Math.floor(max / 4), total - max));
  const end = start + max;
  const out = [];
  let pos = 0;
  for (const x of segments) {
    const a = pos;
    const b = pos + x.text.length;
    pos = b;
    if (b <= start || a >= end) continue;
    out.push({ text: x.text.slice(Math.max(0, start - a), Math.min(x.text.length, end - a)), hit: x.hit });
  }
  if (start > 0) out.unshift({ text: '…', hit: false });
  if (end < total) out.push({ text: '…', hit: false });
  return out;
}
