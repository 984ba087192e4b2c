import { describe, it, expect, beforeEach, vi } from 'vitest';
import { api, request, setCsrfToken, setBearer, errorText, ApiError, optional, onUnauthenticated, buildUrl } from './client.js';
import { setLocale } from '../i18n/index.js';

function reply(status, body, headers = {}) {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers },
  });
}

describe('API client', () => {
  let calls;
  beforeEach(() => {
    calls = [];
    setLocale('zh');
    setCsrfToken('tok-123');
    setBearer('');
    globalThis.fetch = vi.fn(async (url, init) => {
      calls.push({ url, init });
      return reply(200, { ok: true });
    });
  });

  it('sends the CSRF token on every state-changing request, never on GET', async () => {
    await api.get('/api/v1/events', { sort: 'heat' });
    await api.post('/api/v1/alerts/5/ack', {});
    await api.put('/api/v1/rules/1', { enabled: false });
    await api.del('/api/v1/tokens/x');
    const [get, post, put, del] = calls;
    expect(get.init.headers['X-CSRF-Token']).toBeUndefined();
    expect(post.init.headers['X-CSRF-Token']).toBe('tok-123');
    expect(put.init.headers['X-CSRF-Token']).toBe('tok-123');
    expect(del.init.headers['X-CSRF-Token']).toBe('tok-123');
    for (const c of calls) expect(c.init.credentials).toBe('same-origin');
    expect(post.init.headers['Content-Type']).toBe('application/json');
    expect(put.init.body).toBe('{"enabled":false}');
  });

  it('sends no Authorization header with the cookie session', async () => {
    await api.get('/api/v1/me');
    expect(calls[0].init.headers.Authorization).toBeUndefined();
    setBearer('yq_dev');
    await api.get('/api/v1/me');
    expect(calls[1].init.headers.Authorization).toBe('Bearer yq_dev');
  });

  it('sends an empty JSON object for a POST without fields (the server wants a length)', async () => {
    await request('POST', '/api/v1/cases/1/accept');
    expect(calls[0].init.body).toBe('{}');
  });

  it('builds query strings without empty values', () => {
    expect(buildUrl('/api/v1/events', { q: '苯胺', grade: '', region: undefined, limit: 20 })).toBe('/api/v1/events?q=%E8%8B%AF%E8%83%BA&limit=20');
  });

  it('turns the error shape into an ApiError with code, message and details', async () => {
    fetch.mockResolvedValueOnce(reply(400, { error: { code: 'invalid_query', message: "column 10: expected ')'", details: { column: 10 } } }));
    const e = await api.get('/api/v1/search', { q: '(长治' }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_query');
    expect(e.details.column).toBe(10);
    expect(errorText(e)).toBe("查询语法错误：column 10: expected ')'");
    setLocale('en');
    expect(errorText(e)).toBe("Query syntax error: column 10: expected ')'");
  });

  it('words a refused login, a disabled user and the CSRF refusal in the user language', async () => {
    fetch.mockResolvedValueOnce(reply(401, { error: { code: 'login_failed', message: 'wrong user name or password' } }));
    const a = await api.post('/api/v1/login', { name: 'x', password: 'y' }, { noAuthRedirect: true }).catch((x) => x);
    expect(errorText(a)).toBe('用户名或密码不正确。');
    fetch.mockResolvedValueOnce(reply(403, { error: { code: 'csrf_failed', message: 'missing X-CSRF-Token' } }));
    const b = await api.post('/api/v1/logout').catch((x) => x);
    expect(errorText(b)).toBe('页面的安全令牌已失效，请刷新页面后重试。');
    setLocale('en');
    expect(errorText(a)).toBe('Wrong user name or password.');
  });

  it('says when to retry a rate-limited login, from Retry-After', async () => {
    fetch.mockResolvedValueOnce(reply(429, { error: { code: 'too_many_logins', message: 'too many logins' } }, { 'Retry-After': '42' }));
    const e = await api.post('/api/v1/login', {}, { noAuthRedirect: true }).catch((x) => x);
    expect(e.retryAfter).toBe(42);
    expect(errorText(e)).toBe('登录尝试过于频繁，请 42 秒后再试。');
  });

  it('falls back to the server message for an unknown code, and words a network failure', async () => {
    fetch.mockResolvedValueOnce(reply(418, { error: { code: 'teapot', message: 'I am a teapot' } }));
    const e = await api.get('/api/v1/x').catch((x) => x);
    expect(errorText(e)).toBe('I am a teapot');
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const n = await api.get('/api/v1/x').catch((x) => x);
    expect(n.code).toBe('network');
    expect(errorText(n)).toBe('无法连接服务器，请检查网络或稍后重试。');
  });

  it('keeps a permission refusal specific', async () => {
    fetch.mockResolvedValueOnce(reply(403, { error: { code: 'permission_denied', message: 'li.qiang (role "responder") may not GET /api/v1/events', details: { permission: 'read_events' } } }));
    const e = await api.get('/api/v1/events').catch((x) => x);
    expect(errorText(e)).toContain('您的角色无权执行此操作');
    expect(errorText(e)).toContain('may not GET /api/v1/events');
  });

  it('tells the session about a 401 so the login screen shows', async () => {
    const seen = vi.fn();
    onUnauthenticated(seen);
    fetch.mockResolvedValueOnce(reply(401, { error: { code: 'unauthenticated', message: 'the session has expired' } }));
    await api.get('/api/v1/events').catch(() => {});
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('answers null for an endpoint the server does not have', async () => {
    fetch.mockResolvedValueOnce(reply(404, { error: { code: 'no_such_endpoint', message: 'no such endpoint' } }));
    expect(await optional(api.get('/api/v1/stats/sentiment'))).toBeNull();
    fetch.mockResolvedValueOnce(reply(404, { error: { code: 'not_found', message: 'no event with id 9' } }));
    await expect(optional(api.get('/api/v1/events/9'))).rejects.toBeInstanceOf(ApiError);
  });

  it('returns headers when asked (the ETag of a case)', async () => {
    fetch.mockResolvedValueOnce(reply(200, { id: 7 }, { ETag: '"6"' }));
    const r = await api.get('/api/v1/cases/7', undefined, { raw: true });
    expect(r.headers.get('ETag')).toBe('"6"');
    expect(r.data.id).toBe(7);
  });
});
