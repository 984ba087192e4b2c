// Links from posts are hostile input: only http(s) URLs become links, and they open in a new
// tab without access to this page (rel="noopener noreferrer"). Anything else — javascript:,
// data:, vbscript:, a relative path — is shown as text.
export function safeHref(url) {
  if (typeof url !== 'string') return null;
  const s = url.trim();
  if (!s || s.length > 4096) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) return null;
  let u;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (!u.hostname) return null;
  return u.href;
}

export const LINK_REL = 'noopener noreferrer';
export const LINK_TARGET = '_blank';

// Attributes for a link element, or null when the URL must be shown as text.
export function linkAttrs(url) {
  const href = safeHref(url);
  return href ? { href, target: LINK_TARGET, rel: LINK_REL, referrerpolicy: 'no-referrer' } : null;
}
