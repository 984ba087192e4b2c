// ECharts, tree-shaken: only the charts and components the workbench draws.
import * as echarts from 'echarts/core';
import { LineChart, BarChart, PieChart, MapChart } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  TitleComponent,
  DataZoomComponent,
  MarkLineComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart, BarChart, PieChart, MapChart,
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, TitleComponent,
  DataZoomComponent, MarkLineComponent, CanvasRenderer,
]);

export { echarts };

// Maps: /maps/index.json names the files; each is fetched once and registered under its code.
// China's is registered as "china" too, which makes ECharts add the 南海诸岛 inset.
let indexPromise = null;
const registered = new Map();

export function mapIndex() {
  if (!indexPromise) {
    indexPromise = fetch('/maps/index.json', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : { maps: {} }))
      .catch(() => ({ maps: {} }));
  }
  return indexPromise;
}

export async function loadMap(code) {
  if (registered.has(code)) return registered.get(code);
  const p = (async () => {
    const idx = await mapIndex();
    const entry = idx.maps && idx.maps[code];
    if (!entry) return null;
    const res = await fetch('/maps/' + entry.file, { credentials: 'same-origin' });
    if (!res.ok) return null;
    const geo = await res.json();
    const name = code === '100000' ? 'china' : 'yq-' + code;
    echarts.registerMap(name, geo);
    const names = {};
    for (const f of geo.features || []) if (f.properties?.code) names[f.properties.name] = f.properties.code;
    return { name, entry, codeByName: names, geo };
  })();
  registered.set(code, p);
  return p;
}
