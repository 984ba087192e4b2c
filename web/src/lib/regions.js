// GB/T 2260 names (built from data/gazetteer/places.tsv into /maps/regions.json at build time),
// loaded once on first use.
import { reactive } from 'vue';

export const regions = reactive({ names: {}, loaded: false });
let loading = null;

export function loadRegions() {
  if (!loading) {
    loading = fetch('/maps/regions.json', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : {}))
      .then((names) => {
        regions.names = names || {};
        regions.loaded = true;
      })
      .catch(() => {
        regions.loaded = true;
      });
  }
  return loading;
}

export function regionName(code) {
  if (!code) return '';
  const c = String(code).padEnd(6, '0');
  return regions.names[c] || String(code);
}

// The full name: 山西省长治市潞城区.
export function regionPath(code) {
  if (!code) return '';
  const c = String(code).padEnd(6, '0');
  const out = [];
  const p = c.slice(0, 2) + '0000';
  const q = c.slice(0, 4) + '00';
  if (regions.names[p]) out.push(regions.names[p]);
  if (q !== p && regions.names[q]) out.push(regions.names[q]);
  if (c !== q && regions.names[c]) out.push(regions.names[c]);
  return out.length ? out.join('') : String(code);
}

export function provinceOf(code) {
  return String(code || '').slice(0, 2) + '0000';
}
export function prefectureOf(code) {
  return String(code || '').slice(0, 4) + '00';
}
