/**
 * Temporal's server in its production form (the `temporalio/server` image's engine: separate frontend,
 * history, matching and worker services on SQL persistence), built from the Go module proxy into a
 * cache once, and its schema tool. The cluster suite (`npm run test:cluster`) runs against it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findGo, goInstall } from './temporal-cli';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerBins {
  /** `server` (cmd/server): `server start --service <name>`. */
  server: string;
  /** `sql` (cmd/tools/sql, temporal-sql-tool): database and schema set-up. */
  sql: string;
}

export function temporalServerCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'jlt-temporal', `server-${TEMPORAL_SERVER_VERSION}`);
}

const binsIn = (dir: string): TemporalServerBins => ({ server: path.join(dir, 'server'), sql: path.join(dir, 'sql') });
const complete = (bins: TemporalServerBins) => fs.existsSync(bins.server) && fs.existsSync(bins.sql);

/**
 * The server and its SQL tool from the cache, else built once with
 * `GOTOOLCHAIN=local go install go.temporal.io/server/cmd/server@v1.29.1 …/cmd/tools/sql@v1.29.1`
 * (about ten minutes on two cores; `progress` gets one updating line). The build goes to a folder of
 * its own and moves into the cache only whole, so an interrupted build is never taken for a finished one.
 */
export async function locateTemporalServer(
  log: (msg: string) => void = console.error,
  progress: (detail: string) => void = () => undefined,
  signal?: AbortSignal,
): Promise<TemporalServerBins> {
  const dir = temporalServerCacheDir();
  if (complete(binsIn(dir))) return binsIn(dir);
  const go = findGo();
  if (!go) {
    throw new Error(
      `No Temporal server ${TEMPORAL_SERVER_VERSION} in ${dir} and no Go to build it: install Go, or put the binaries \`server\` and \`sql\` ` +
        `(go install ${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION} ${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}) there.`,
    );
  }
  const partial = `${dir}.${process.pid}.partial`;
  log(`Building the Temporal server ${TEMPORAL_SERVER_VERSION} with Go into ${dir} (first run only, about ten minutes)`);
  try {
    await goInstall({ go, packages: [`${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`], gobin: partial, progress, signal });
    fs.mkdirSync(dir, { recursive: true });
    // The tool last: its presence marks a whole cache.
    for (const name of ['server', 'sql']) fs.renameSync(path.join(partial, name), path.join(dir, name));
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  if (!complete(binsIn(dir))) throw new Error(`the Temporal server build left no binaries in ${dir}`);
  return binsIn(dir);
}

/** Where a PostgreSQL server is, for the SQL tool and the server's own config (from a postgres:// URL). */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function postgresEndpoint(url: string): PostgresEndpoint {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), password: decodeURIComponent(u.password) };
}

const run = promisify(execFile);

/**
 * Creates `database` and sets up one of Temporal's schemas in it (`temporal` or `visibility`) with the
 * SQL tool, as the compose file's `temporal-schema` job does: version tables first, then every
 * versioned step. The schema files are the ones built into the tool (the module's schema/postgresql/v12).
 */
export async function setupTemporalSchema(bins: TemporalServerBins, pg: PostgresEndpoint, database: string, schema: 'temporal' | 'visibility'): Promise<void> {
  const common = ['--plugin', 'postgres12', '--endpoint', pg.host, '--port', String(pg.port), '--user', pg.user, '--password', pg.password, '--database', database];
  const steps = [['create-database'], ['setup-schema', '--version', '0.0'], ['update-schema', '--schema-name', `postgresql/v12/${schema}`]];
  for (const step of steps) {
    try {
      await run(bins.sql, [...common, ...step], { timeout: 120_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`temporal-sql-tool ${step[0]} on ${database} failed: ${e.stderr?.slice(-1500) || e.message}`, { cause: err });
    }
  }
}
