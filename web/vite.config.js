// Vite configuration of the yuqing workbench (docs: web/README.md).
// `npm run dev` proxies /api and /healthz to YQ_API (default http://127.0.0.1:8080).
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { mapsPlugin } from './scripts/maps.mjs';

const api = process.env.YQ_API || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue(), mapsPlugin()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    chunkSizeWarningLimit: 900,
    // No inline <script>: the server's CSP is script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/vue') || id.includes('node_modules/@vue')) return 'vue';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false, ws: false },
      '/healthz': { target: api },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.js', 'tests/unit/**/*.test.js'],
    restoreMocks: true,
  },
});
