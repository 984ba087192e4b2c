// The one API client (docs/api.md). Every request goes to the same origin with the session
// cookie; every state-changing request carries the CSRF token; every error becomes an ApiError
// with the server's code, message and details, shown in words by errorText().
import { t, has, locale } from '../i18n/index.js';

export class ApiError extends Error {
  constructor({ status = 0, code = 'network', message = '', details = null, retryAfter = null } = {}) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

const state = {
  csrf: '',
  // A server without cookie login answers the login with a bearer token; then (and only then)
  // it is kept in memory and sent as Authorization. The shipped path is the cookie.
  bearer: '',
  onUnauthenticated: null,
};

export function setCsrfToken(token) {
  state.csrf = token || '';
}
export function csrfToken() {
  return state.csrf;
}
export function setBearer(token) {
  state.bearer = token || '';
}
export function usingBearer() {
  return !!state.bearer;
}
export function onUnauthenticated(fn) {
  state.onUnauthenticated = fn;
}

export function buildUrl(path, query) {
  let url = path.startsWith('/') ? path : '/api/v1/' + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      qs.append(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

async function readError(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const e = body && body.error ? body.error : {};
  const ra = res.headers.get('Retry-After');
  return new ApiError({
    status: res.status,
    code: e.code || 'http_' + res.status,
    message: e.message || res.statusText || '',
    details: e.details || null,
    retryAfter: ra !== null && ra !== '' && !Number.isNaN(Number(ra)) ? Number(ra) : null,
  });
}

// request('GET', '/api/v1/events', {query, body, headers, raw, text, signal})
// raw: resolve {data, headers, status}; text: read the body as text (CSV).
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  const m = method.toUpperCase();
  if (m !== 'GET' && m !== 'HEAD') {
    headers['X-CSRF-Token'] = state.csrf;
    if (opts.body !== undefined && !(opts.body instanceof Blob) && typeof opts.body !== 'string') {
      headers['Content-Type'] = 'application/json';
    }
  }
  if (state.bearer) headers.Authorization = 'Bearer ' + state.bearer;
  let body;
  if (opts.body !== undefined) body = typeof opts.body === 'string' || opts.body instanceof Blob ? opts.body : JSON.stringify(opts.body);
  else if (m === 'POST' || m === 'PUT') body = '{}'; // the server wants a Content-Length
  if (body === '{}' && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method: m,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError({ code: 'network', message: String(err && err.message ? err.message : err) });
  }
  if (!res.ok) {
    const e = await readError(res);
    if (e.status === 401 && e.code === 'unauthenticated' && !opts.noAuthRedirect && state.onUnauthenticated) {
      state.onUnauthenticated(e);
    }
    throw e;
  }
  let data = null;
  if (res.status !== 204) {
    if (opts.text) data = await res.text();
    else {
      const ct = res.headers.get('Content-Type') || '';
      data = ct.includes('json') ? await res.json() : await res.text();
    }
  }
  return opts.raw ? { data, headers: res.headers, status: res.status } : data;
}

export const api = {
  get: (path, query, opts = {}) => request('GET', path, { ...opts, query }),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
  put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
  del: (path, opts = {}) => request('DELETE', path, opts),
};

// An endpoint the server may not have yet: null instead of an error when it answers 404
// no_such_endpoint (or 405), so a screen can fall back.
export async function optional(promise) {
  try {
    return await promise;
  } catch (e) {
    if (e instanceof ApiError && ((e.status === 404 && e.code === 'no_such_endpoint') || e.status === 405 || e.status === 501)) return null;
    throw e;
  }
}

// Codes whose server message says what exactly is wrong (a field, a column, a rule): the
// message is shown after the translated label.
const SPECIFIC = new Set([
  'invalid_argument', 'invalid_query', 'invalid_body', 'invalid_rule', 'weak_password',
  'invalid_organisation', 'invalid_department', 'invalid_routing_input', 'invalid_case',
  'invalid_policy', 'invalid_risk_assessment', 'failed_precondition', 'permission_denied',
  'already_exists', 'not_found', 'internal', 'payload_too_large', 'too_many_records',
]);

// The error in words, in the user's language.
export function errorText(err) {
  if (!err) return '';
  const sep = locale.value === 'en' ? ': ' : '：';
  if (!(err instanceof ApiError)) return t('errors.unknown') + (err.message ? sep + err.message : '');
  const key = 'errors.' + err.code;
  let label;
  if (has(key)) label = t(key, { seconds: err.retryAfter ?? '?', ...(err.details || {}) });
  else if (err.status === 0) label = t('errors.network');
  else label = '';
  if (!label) return err.message || t('errors.http', { status: err.status });
  if (err.code === 'too_many_logins' || err.code === 'network') return label;
  if (SPECIFIC.has(err.code) && err.message) return label + sep + err.message;
  return label;
}
