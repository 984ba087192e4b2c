import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.js';
import { i18nPlugin, setLocale, locale } from './i18n/index.js';
import { loadRegions } from './lib/regions.js';
import './styles/main.css';

setLocale(locale.value);
loadRegions();
createApp(App).use(i18nPlugin).use(router).mount('#app');
