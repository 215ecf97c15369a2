import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// .mts: an ES module whatever the root package.json says (it has no "type": "module").
const here = import.meta.dirname;

/**
 * public/login.js is copied as it is (a classic script, no bundle): index.html asks for it with its
 * content's hash, so a browser never pairs a cached login.js with a newer index.html (static files are
 * cached for an hour).
 */
function versionedLoginScript(): Plugin {
  return {
    name: 'versioned-login-script',
    apply: 'build',
    transformIndexHtml(html) {
      const hash = createHash('sha256').update(fs.readFileSync(path.join(here, 'public', 'login.js'))).digest('hex').slice(0, 10);
      return html.replace('<script src="/login.js">', `<script src="/login.js?v=${hash}">`);
    },
  };
}

// The console builds with Vite 8's own JSX transform (oxc, automatic runtime): no React plugin is
// needed for a production bundle. `npm run dev:ui` serves it with the API proxied.
export default defineConfig(({ command }) => ({
  // A build is always the production bundle, even when started from jest (NODE_ENV=test).
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  root: here,
  base: '/',
  plugins: [versionedLoginScript()],
  // The process rules are the server's own module (domain/process), not a copy.
  resolve: { alias: { '@process': path.resolve(__dirname, '../domain/process/index.ts') } },
  oxc: { jsx: { runtime: 'automatic', development: command !== 'build' } },
  build: {
    outDir: path.resolve(here, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    rollupOptions: {
      // MUI's 'use client' directives mean nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
}));
