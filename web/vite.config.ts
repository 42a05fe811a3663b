import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The API serves the build (dist/web) on its own origin: hashed file names under /assets are cached
 * for a year, index.html never (src/web-app). `vite build --outDir` is set by scripts/dist.cjs.
 */
export default defineConfig({
  plugins: [vue()],
  build: {
    assetsDir: 'assets',
    // .vite/manifest.json: which files each page loads, for the size budget test.
    manifest: true,
    sourcemap: false,
    // The size budget is checked by test/web/size-budget.spec.ts; this only keeps Vite quiet about chunks under it.
    chunkSizeWarningLimit: 600,
  },
});
