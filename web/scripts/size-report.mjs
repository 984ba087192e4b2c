// First-load JavaScript of the monitoring screen ("/"), gzipped: the entry chunk, its static
// imports, and the route's chunk with its static imports — what the browser must fetch before
// the screen draws. Reads dist/.vite/manifest.json (npm run build first).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'dist');
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
const seen = new Set();
function walk(key) {
  if (seen.has(key)) return;
  seen.add(key);
  for (const i of manifest[key].imports || []) walk(i);
}
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
walk(entry);
const route = process.argv[2] || 'src/screens/monitor/MonitorScreen.vue';
if (manifest[route]) walk(route);
let raw = 0;
let gz = 0;
const rows = [];
for (const k of seen) {
  const file = manifest[k].file;
  if (!file.endsWith('.js')) continue;
  const buf = fs.readFileSync(path.join(dist, file));
  const g = zlib.gzipSync(buf, { level: 9 }).length;
  raw += buf.length;
  gz += g;
  rows.push([file, buf.length, g]);
}
let css = 0;
for (const k of seen) for (const c of manifest[k].css || []) css += zlib.gzipSync(fs.readFileSync(path.join(dist, c)), { level: 9 }).length;
rows.sort((a, b) => b[2] - a[2]);
for (const [f, r, g] of rows) console.log(`${(g / 1024).toFixed(1).padStart(8)} kB gz  ${(r / 1024).toFixed(1).padStart(8)} kB  ${f}`);
console.log(`first load of ${route}: ${(gz / 1024).toFixed(1)} kB gzipped JavaScript (${(raw / 1024).toFixed(1)} kB raw), ${(css / 1024).toFixed(1)} kB gzipped CSS`);
if (gz > 500 * 1024) {
  console.error('over the 500 kB budget');
  process.exit(1);
}
