// Node built-ins only: runs before dependencies exist.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}

/** Installs dependencies when missing or older than package.json. */
export function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const stale = !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(path.join(ROOT, 'package.json')).mtimeMs;
  if (stale) {
    console.error('Installing dependencies (npm install)…');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when the admin console's bundle is missing or older than its sources. */
export function adminUiBuildNeeded() {
  const ui = path.join(ROOT, 'admin-ui');
  if (!fs.existsSync(path.join(ui, 'index.html'))) return false;
  const built = path.join(ui, 'dist', 'index.html');
  // package-lock.json too: a changed dependency (say, another MUI major) needs a new bundle.
  const sources = Math.max(newestMtime(ui), fs.statSync(path.join(ROOT, 'package-lock.json')).mtimeMs);
  return !(fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources);
}

/** Builds the admin console when its bundle is missing or older than its sources. */
export function ensureAdminUiBuilt() {
  if (!adminUiBuildNeeded()) return;
  console.error('Building the admin console (vite build)…');
  run('npm', ['run', '--silent', 'build:ui']);
}
