import { spawn } from 'node:child_process';
import path from 'node:path';
import { adminUiBuildNeeded, ROOT } from '../scripts/ensure-deps.mjs';

/**
 * Builds the admin console with Vite when its bundle is stale, reporting progress as it goes.
 * Vite's warnings are passed on (a normal build has none); its routine output is not.
 */
export async function buildConsoleIfStale(opts: {
  progress: (detail: string) => void;
  warn: (msg: string) => void;
  signal?: AbortSignal;
}): Promise<'built' | 'current'> {
  if (!adminUiBuildNeeded()) return 'current';
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', 'admin-ui/vite.config.mts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: opts.signal,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let tail = '';
    const onLine = (line: string) => {
      tail = (tail + line + '\n').slice(-4000);
      const modules = /(\d+) modules transformed/.exec(line);
      if (modules) opts.progress(`${modules[1]} modules`);
      else if (/^(rendering chunks|computing gzip size)/.test(line)) opts.progress(line.replace(/\.+$/, ''));
      else if (/^\(!\)|warn/i.test(line)) opts.warn(`vite: ${line}`);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream.on('data', (d: Buffer) => {
        const parts = (buffered + d.toString()).split('\n');
        buffered = parts.pop() ?? '';
        for (const l of parts) if (l.trim()) onLine(l.trim());
      });
    }
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}:\n${tail}`))));
  });
  return 'built';
}
