// A risk reason as the server writes it (events/risk.h RiskReason): `factor` is a stable name
// ("deaths", "kind:emergency" …), `detail` the English line, `detail_zh` the Chinese one (events
// stored before it existed have `detail` only).
import { t, has, locale } from '../i18n/index.js';

export function reasonText(r) {
  if (!r) return '';
  if (locale.value === 'en') return r.detail || r.detail_zh || '';
  return r.detail_zh || r.detail || '';
}

export function factorLabel(factor) {
  if (!factor) return '';
  const key = 'risk.factor.' + factor.replace(':', '_');
  return has(key) || has(key, 'zh') ? t(key) : factor;
}
