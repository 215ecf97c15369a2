/**
 * What checking the user's current state on every request costs (immediate revocation):
 *
 *   npx tsx bench/auth-overhead.ts [seconds=3] [connections=10] [rounds=3]
 *
 * Serves GET /api/users/0 (auth and role check, then a 404 with no query of its own, so the
 * figure is the sign-in check itself) from three copies of the same app, differing only in how a verified token becomes the acting user:
 *   token only      — the old way: trust the token until it expires (no revocation)
 *   check, cached   — the shipped way: users row ≤ SESSION_CACHE_MS old, forgotten on local change
 *   check, uncached — the users row read on every request
 * The modes take turns for `rounds` rounds (the machine's load drifts); reports the median round.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../api/app';
import { installSessionResolver, sessionResolver, type SessionResolver } from '../api/middleware/auth';
import { SESSION_CACHE_MS } from '../domain/users/sessions';
import { createLogger } from '../platform/logger';
import { createUser } from '../tests/support/fixtures';
import { tokenFor } from '../tests/support/harness';
import { runScript } from '../tests/support/script';

// autocannon ships no types; the little used here is typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  '2xx': number;
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

runScript({ worker: false, isolatedDatabase: {} }, async (sys) => {
  const seconds = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 10);
  const admin = await createUser(sys.db, { roles: ['admin'] });
  const token = tokenFor(sys.config, admin);

  const tokenOnly: SessionResolver = async (claims) => ({ ...admin, id: claims.id });
  const modes: [string, SessionResolver][] = [
    ['token only (no revocation)', tokenOnly],
    [`check, cached ≤ ${SESSION_CACHE_MS} ms`, sessionResolver(sys.db)],
    ['check, uncached', sessionResolver(sys.db, 0)],
  ];

  const rounds = Number(process.argv[4] ?? 3);
  const apps = await Promise.all(
    modes.map(async ([label, resolver]) => {
      const app = createApp({ db: sys.db, temporal: sys.temporal, config: sys.config, logger: createLogger('silent', 'bench') });
      installSessionResolver(app, resolver);
      const server: Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      return { label, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/users/0`, results: [] as AutocannonResult[] };
    }),
  );
  const headers = { authorization: `Bearer ${token}` };
  for (const a of apps) await autocannon({ url: a.url, connections, duration: 1, headers }); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const a of apps) {
      const result = await autocannon({ url: a.url, connections, duration: seconds, headers });
      if (result.errors || result['2xx'] || result.non2xx !== result.requests.total) throw new Error(`${a.label}: expected only 404s`);
      a.results.push(result);
    }
  }
  console.log(`GET /api/users/0 (404 after the sign-in check), ${connections} connections, ${rounds} rounds of ${seconds} s`);
  for (const a of apps) {
    const byRate = [...a.results].sort((x, y) => x.requests.average - y.requests.average);
    const median = byRate[Math.floor(byRate.length / 2)];
    console.log(`${a.label.padEnd(30)} ${median.requests.average.toFixed(0).padStart(7)} req/s   p50 ${median.latency.p50} ms   p99 ${median.latency.p99} ms`);
    a.server.closeAllConnections();
    await new Promise<void>((resolve) => a.server.close(() => resolve()));
  }
});
