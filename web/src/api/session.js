// Who is logged in: GET /api/v1/me on start (a reloaded page gets its CSRF token back there),
// login and logout. The session is an HttpOnly cookie the page never sees.
import { reactive } from 'vue';
import { api, setCsrfToken, setBearer, onUnauthenticated, ApiError } from './client.js';

export const session = reactive({
  loaded: false, // /me has answered (either way)
  user: null, // the user with permissions, region_scope …
  expired: false, // a request was refused 401 after login
});

export function can(permission) {
  const p = session.user?.permissions;
  return !!p && p.includes(permission);
}
export function canAny(...perms) {
  return perms.some(can);
}

function adopt(me) {
  session.user = me;
  session.expired = false;
  if (me && me.csrf_token) setCsrfToken(me.csrf_token);
}

onUnauthenticated(() => {
  if (session.user) session.expired = true;
  session.user = null;
});

let loadedResolve;
const loadedPromise = new Promise((r) => (loadedResolve = r));
// Resolves once /me has answered (logged in or not): the router waits for it.
export function whenLoaded() {
  return session.loaded ? Promise.resolve() : loadedPromise;
}

export async function loadMe() {
  try {
    adopt(await api.get('/api/v1/me', undefined, { noAuthRedirect: true }));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) {
      session.loaded = true;
      loadedResolve();
      throw e;
    }
    session.user = null;
  }
  session.loaded = true;
  loadedResolve();
  return session.user;
}

export async function login(name, password) {
  const res = await api.post('/api/v1/login', { name, password, cookie: true }, { noAuthRedirect: true });
  if (res.csrf_token) setCsrfToken(res.csrf_token);
  // A server without cookie sessions answers with a bearer token: use it for this tab only.
  if (res.token) setBearer(res.token);
  const me = await api.get('/api/v1/me', undefined, { noAuthRedirect: true });
  adopt({ ...me, csrf_token: me.csrf_token || res.csrf_token });
  return session.user;
}

export async function logout(all = false) {
  try {
    await api.post(all ? '/api/v1/logout/all' : '/api/v1/logout', {}, { noAuthRedirect: true });
  } finally {
    setCsrfToken('');
    setBearer('');
    session.user = null;
  }
}
