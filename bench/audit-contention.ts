/**
 * Audit-chain contention, on the real parts (Postgres, Temporal dev server, worker):
 *
 *   npx tsx bench/audit-contention.ts [seconds=8]
 *
 * Measures logins/s and decisions/s twice: alone, then while other transactions append an audit
 * event and then stay open for 300 ms (what a slow Temporal call inside a transaction does). With
 * one global chain lock held to the end of each transaction, those slow writers stall everyone.
 */
import { appendAuditEvent } from '../domain/audit';
import { createUser, DEFAULT_TEST_PASSWORD } from '../tests/support/fixtures';
import { api } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { complete, createCast, draftRegistration, openTaskOf, submit } from '../tests/workflow/support';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

runScript({}, async (sys) => {
  const seconds = Number(process.argv[2] ?? 8);
  const cast = await createCast(sys.db);
  const users = await Promise.all(Array.from({ length: 4 }, () => createUser(sys.db, { roles: ['admin'], password: DEFAULT_TEST_PASSWORD })));
  const slowRegistrations = await Promise.all(Array.from({ length: 4 }, () => draftRegistration(sys, cast.staff)));

  /** Registrations waiting at the lead-school opinion: one decision each. */
  const prepare = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = await draftRegistration(sys, cast.staff);
      const res = await submit(sys, cast.staff, id);
      if (res.status !== 200) throw new Error(`submit: ${res.status}`);
      ids.push(id);
    }
    return Promise.all(ids.map(async (id) => (await openTaskOf(sys.db, id, 'lead_school_opinion')).id as string));
  };

  const measure = async (label: string, contention: boolean) => {
    const taskIds = await prepare(40);
    let stop = false;
    const slowWriters = contention
      ? slowRegistrations.map(async (registrationId, i) => {
          let n = 0;
          while (!stop) {
            await sys.db.transaction(async (trx) => {
              await appendAuditEvent(trx, { action: 'bench.slow_writer', registrationId, details: { i, n: n++ } });
              await sleep(300);
            });
          }
        })
      : [];
    let logins = 0;
    let decisions = 0;
    const until = Date.now() + seconds * 1000;
    const loginLoop = async (u: (typeof users)[number]) => {
      while (Date.now() < until) {
        const res = await api(sys, 'POST', '/api/auth/login', { body: { username: u.username, password: DEFAULT_TEST_PASSWORD } });
        if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
        logins++;
      }
    };
    const decisionLoop = async () => {
      while (Date.now() < until && taskIds.length) {
        const taskId = taskIds.pop()!;
        const res = await complete(sys, cast.leader, taskId, 'opinion', { payload: { opinion: '同意' } });
        if (res.status !== 200) throw new Error(`opinion: ${res.status}`);
        decisions++;
      }
    };
    const t0 = performance.now();
    await Promise.all([...users.map(loginLoop), decisionLoop(), decisionLoop()]);
    const elapsed = (performance.now() - t0) / 1000;
    stop = true;
    await Promise.all(slowWriters);
    console.log(`  ${label.padEnd(34)} logins ${(logins / elapsed).toFixed(1).padStart(6)}/s   decisions ${(decisions / elapsed).toFixed(1).padStart(6)}/s`);
  };

  console.log(`\n${seconds} s each, 4 login loops + 2 decision loops:`);
  await measure('alone', false);
  await measure('with 4 slow audit writers (300 ms)', true);
});
