/**
 * The load generator in a process of its own, so that it does not share the API's event loop:
 * autocannon against one URL, printing every response time (ms) as JSON on stdout.
 *
 *   npx tsx bench/load.ts '{"url":…,"connections":4,"amount":400,"headers":{…}}'
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  amount?: number;
  duration?: number;
  headers?: Record<string, string>;
}

/** Runs the load in a child process; answers each response's time in ms (any non-200 fails it). */
export function loadFromChild(spec: LoadSpec): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`load generator exited ${code}`))));
  });
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  const times: number[] = [];
  const bad: number[] = [];
  // A long timeout: a request stuck behind a blocked event loop must be counted, not dropped.
  const instance = autocannon({ url: spec.url, connections: spec.connections, headers: spec.headers, timeout: 120, ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration ?? 10 }) });
  instance.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
    if (status === 200) times.push(ms);
    else bad.push(status);
  });
  instance.then(
    () => {
      if (bad.length) {
        console.error(`${bad.length} responses were not 200: ${[...new Set(bad)].join(', ')}`);
        process.exit(1);
      }
      process.stdout.write(JSON.stringify(times));
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
