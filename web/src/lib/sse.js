// The live streams of alerts and of matched posts.
//
// The live alert stream (GET /api/v1/alerts/stream, server-sent events, with the session
// cookie). If the stream cannot be opened (a server without cookie streams, a bearer session in
// development, too many streams), falls back to polling GET /api/v1/alerts?after_id= every 5 s.
import { api, usingBearer } from '../api/client.js';

export function subscribeAlerts({ after = 0, onAlert, onState }) {
  let last = after;
  let es = null;
  let timer = null;
  let closed = false;
  let failures = 0;
  const seen = (a) => {
    if (!a || typeof a.id !== 'number') return;
    if (a.id > last) last = a.id;
    onAlert(a);
  };
  const poll = async () => {
    if (closed) return;
    try {
      const res = await api.get('/api/v1/alerts', { after_id: last, limit: 100 });
      for (const a of res.alerts || []) if (a.id > last) seen(a);
      onState?.('polling');
    } catch {
      onState?.('error');
    }
    if (!closed) timer = setTimeout(poll, 5000);
  };
  const startPolling = () => {
    if (es) {
      es.close();
      es = null;
    }
    if (!timer) poll();
  };
  if (usingBearer() || typeof EventSource === 'undefined') startPolling();
  else {
    es = new EventSource('/api/v1/alerts/stream?after=' + encodeURIComponent(last));
    es.addEventListener('open', () => {
      failures = 0;
      onState?.('live');
    });
    es.addEventListener('alert', (ev) => {
      try {
        seen(JSON.parse(ev.data));
      } catch {
        /* a malformed event is skipped */
      }
    });
    es.addEventListener('error', () => {
      failures++;
      onState?.('reconnecting');
      // The browser reconnects by itself (retry: 3000, with Last-Event-ID); if the server
      // refuses the stream outright, or keeps failing, poll instead.
      if (es && (es.readyState === 2 || failures >= 3)) startPolling();
    });
  }
  return () => {
    closed = true;
    if (es) es.close();
    if (timer) clearTimeout(timer);
  };
}

// The live feed of processed posts (GET /api/v1/posts/stream, with the session cookie):
// `rulesOnly` for posts that matched a monitoring rule, starting `recent` processed posts back
// so the card is not empty. Where a stream cannot be opened, calls `poll` every 20 s instead.
export function subscribePosts({ rulesOnly = true, recent = 0, onPost, onState, poll }) {
  let es = null;
  let timer = null;
  let closed = false;
  let failures = 0;
  const startPolling = () => {
    if (es) {
      es.close();
      es = null;
    }
    if (timer || closed) return;
    const tick = async () => {
      if (closed) return;
      try {
        await poll?.();
        onState?.('polling');
      } catch {
        onState?.('error');
      }
      if (!closed) timer = setTimeout(tick, 20_000);
    };
    tick();
  };
  if (usingBearer() || typeof EventSource === 'undefined') startPolling();
  else {
    const q = new URLSearchParams();
    if (rulesOnly) q.set('rules', 'only');
    if (recent > 0) q.set('recent', String(recent));
    es = new EventSource('/api/v1/posts/stream?' + q.toString());
    es.addEventListener('open', () => {
      failures = 0;
      onState?.('live');
    });
    es.addEventListener('post', (ev) => {
      try {
        onPost(JSON.parse(ev.data));
      } catch {
        /* a malformed event is skipped */
      }
    });
    es.addEventListener('error', () => {
      failures++;
      onState?.('reconnecting');
      if (es && (es.readyState === 2 || failures >= 3)) startPolling();
    });
  }
  return () => {
    closed = true;
    if (es) es.close();
    if (timer) clearTimeout(timer);
  };
}
