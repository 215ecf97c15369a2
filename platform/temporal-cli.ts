import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export function temporalCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'jlt-temporal', TEMPORAL_CLI_VERSION);
}

export function findGo(): string | undefined {
  return onPath('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/**
 * The Temporal CLI, found in order: TEMPORAL_CLI_PATH, `temporal` on PATH, our cache, a fresh
 * `go install` into the cache (minutes the first time; progress goes to `progress` as one updating
 * line), or the SDK's download. `signal` stops a build in progress (a stop during the first start).
 */
export async function locateTemporalCli(
  log: (msg: string) => void = console.error,
  progress: (detail: string) => void = () => undefined,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (process.env.TEMPORAL_CLI_PATH) {
    if (!fs.existsSync(process.env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH points to ${process.env.TEMPORAL_CLI_PATH}, which does not exist`);
    }
    return process.env.TEMPORAL_CLI_PATH;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const cached = path.join(temporalCacheDir(), 'temporal');
  if (fs.existsSync(cached)) return cached;

  const go = findGo();
  if (go) {
    log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${temporalCacheDir()} (first run only, a few minutes)`);
    await goInstall({ go, packages: [`github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], gobin: temporalCacheDir(), progress, signal }).catch((err) =>
      log(`Building the Temporal CLI failed: ${(err as Error).message}`),
    );
    if (fs.existsSync(cached)) return cached;
  }

  return undefined; // the caller falls back to the SDK's download, then fails with what to install
}

/**
 * `go install` of `packages` into `gobin` (GOTOOLCHAIN=local: the machine's Go, no toolchain download);
 * progress goes to `progress` as one updating line. `signal` stops it.
 */
export function goInstall(opts: { go: string; packages: string[]; gobin: string; progress: (detail: string) => void; signal?: AbortSignal }): Promise<void> {
  fs.mkdirSync(opts.gobin, { recursive: true });
  return new Promise<void>((resolve, reject) => {
    const child = spawn(opts.go, ['install', '-x', ...opts.packages], {
      env: { ...process.env, GOBIN: opts.gobin, GOTOOLCHAIN: 'local' },
      stdio: ['ignore', 'ignore', 'pipe'],
      signal: opts.signal,
    });
    let steps = 0;
    let downloads = 0;
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-2000);
      for (const line of chunk.toString().split('\n')) {
        if (line.startsWith('go: downloading')) downloads++;
        else if (line.trim()) steps++;
      }
      opts.progress(downloads ? `${downloads} modules downloaded, ${steps} build steps` : `${steps} build steps`);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install exited with ${code}: ${tail.split('\n').slice(-5).join(' | ')}`))));
  });
}

export const NO_TEMPORAL_CLI_MESSAGE =
    'No Temporal CLI found. Install one of: the `temporal` CLI on PATH (https://docs.temporal.io/cli), ' +
      'Go (so it can be built with `go install github.com/temporalio/cli/cmd/temporal@v1.5.1`), ' +
      'or set TEMPORAL_CLI_PATH / TEMPORAL_ADDRESS.';

export function temporalCliVersion(bin: string): string {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
}
