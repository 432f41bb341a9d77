/**
 * Builds the renderer as a static page. `base: './'` keeps every asset URL relative, so the same
 * build loads from `layerlab serve` over HTTP and from Electron's custom protocol.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The config is bundled by Vite before it runs, so import.meta.url is this file; no Node `path` needed.
// On Windows the URL path is /C:/...; drop the slash before the drive letter.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${here}../dist/renderer`,
    emptyOutDir: true,
    // uPlot, React Flow and React together are ~700 kB; one chunk loads faster from disk than many.
    chunkSizeWarningLimit: 2000,
  },
});
