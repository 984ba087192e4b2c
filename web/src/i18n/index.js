// A tiny i18n: Chinese by default, English on request, the choice kept in localStorage.
// t('events.title') looks the key up in the current locale, then in Chinese, then shows the key;
// t('x', {n: 3}) replaces {n}. Values are plain text: never HTML.
import { ref, computed } from 'vue';
import zh from '../locales/zh-CN.json';
import en from '../locales/en.json';

export const messages = { zh, en };
const STORAGE_KEY = 'yq.lang';

function initial() {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    /* storage may be disabled */
  }
  return 'zh';
}

export const locale = ref(initial());

export function setLocale(l) {
  locale.value = l === 'en' ? 'en' : 'zh';
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale.value);
  } catch {
    /* ignore */
  }
  if (globalThis.document) document.documentElement.lang = locale.value === 'en' ? 'en' : 'zh-CN';
}

function lookup(table, key) {
  let v = table;
  for (const part of key.split('.')) {
    if (v == null || typeof v !== 'object') return undefined;
    v = v[part];
  }
  return typeof v === 'string' ? v : undefined;
}

export function has(key, l = locale.value) {
  return lookup(messages[l], key) !== undefined;
}

export function t(key, params) {
  let s = lookup(messages[locale.value], key) ?? lookup(messages.zh, key) ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined && params[k] !== null ? String(params[k]) : m));
  return s;
}

// Picks the zh or en variant of a server value: pick({zh, en}) or pick(obj, 'reason') reads
// reason_zh / reason_en.
export function pick(obj, base) {
  if (!obj) return '';
  if (base === undefined) return (locale.value === 'en' ? obj.en : obj.zh) ?? obj.zh ?? obj.en ?? '';
  return (locale.value === 'en' ? obj[base + '_en'] : obj[base + '_zh']) ?? obj[base + '_zh'] ?? obj[base] ?? '';
}

export const isEn = computed(() => locale.value === 'en');

// All keys of a nested table, dotted: for the test that both locales have the same keys.
export function keysOf(table, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(table)) {
    const key = prefix ? prefix + '.' + k : k;
    if (v && typeof v === 'object') out.push(...keysOf(v, key));
    else out.push(key);
  }
  return out;
}

export const i18nPlugin = {
  install(app) {
    app.config.globalProperties.$t = t;
    app.config.globalProperties.$pick = pick;
  },
};
