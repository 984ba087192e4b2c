// Event details fetched a few at a time and kept for a minute: the list's sparklines and the
// monitoring screen's volume chart read the 10-minute series of GET /api/v1/events/{id}.
// (The list entry carries no series: see the API proposal in web/README.md.)
import { api } from '../api/client.js';

const cache = new Map(); // id → {at, promise}
const TTL = 60_000;
let active = 0;
const queue = [];

function pump() {
  while (active < 3 && queue.length) {
    const job = queue.shift();
    active++;
    api
      .get('/api/v1/events/' + job.id)
      .then(job.resolve, job.reject)
      .finally(() => {
        active--;
        pump();
      });
  }
}

export function eventDetail(id, { fresh = false } = {}) {
  const hit = cache.get(id);
  if (hit && !fresh && Date.now() - hit.at < TTL) return hit.promise;
  const promise = new Promise((resolve, reject) => {
    queue.push({ id, resolve, reject });
    pump();
  });
  cache.set(id, { at: Date.now(), promise });
  promise.catch(() => cache.delete(id));
  return promise;
}

// Hourly post counts of an event's series over the `hours` hours up to `endMs`.
export function hourly(series, hours = 24, endMs = null) {
  const rows = (series || []).map(([start, posts]) => [Date.parse(start), Number(posts) || 0]);
  if (!rows.length) return new Array(hours).fill(0);
  const end = endMs ?? rows[rows.length - 1][0] + 600_000;
  const out = new Array(hours).fill(0);
  for (const [t, n] of rows) {
    const i = hours - 1 - Math.floor((end - 1 - t) / 3_600_000);
    if (i >= 0 && i < hours) out[i] += n;
  }
  return out;
}
