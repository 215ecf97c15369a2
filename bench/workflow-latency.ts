/**
 * How long the process takes to answer, on the real parts (Postgres, Temporal dev server, worker):
 *
 *   npx tsx bench/workflow-latency.ts [registrations=20]
 *
 * Drives registrations through the API from submit to approval, one after another, and reports
 * the latency of each kind of call (each answers once the workflow has applied the decision and
 * opened the next task); then races ten approvers on one task.
 */
import { createUser } from '../tests/support/fixtures';
import { percentile, runScript } from '../tests/support/script';
import { complete, createCast, draftRegistration, openTaskOf, signaturePayload, submit } from '../tests/workflow/support';


runScript({}, async (sys) => {
  const n = Number(process.argv[2] ?? 20);
  const cast = await createCast(sys.db);
  const timings: Record<string, number[]> = { submit: [], opinion: [], sign: [], approve: [] };
  const timed = async (name: string, call: () => Promise<{ status: number }>) => {
    const t = performance.now();
    const res = await call();
    timings[name].push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
  };
  for (let i = 0; i < n; i++) {
    const id = await draftRegistration(sys, cast.staff);
    await timed('submit', () => submit(sys, cast.staff, id));
    const lead = await openTaskOf(sys.db, id, 'lead_school_opinion');
    await timed('opinion', () => complete(sys, cast.leader, lead.id, 'opinion', { payload: { opinion: '同意' } }));
    const sig = await openTaskOf(sys.db, id, 'principal_signature');
    await timed('sign', () => complete(sys, cast.principal, sig.id, 'sign', { payload: signaturePayload() }));
    const bureau = await openTaskOf(sys.db, id, 'bureau_approval');
    await timed('approve', () => complete(sys, cast.bureau, bureau.id, 'approve'));
  }
  console.log(`\n${n} registrations, submit → active, sequential:`);
  for (const [name, xs] of Object.entries(timings)) {
    console.log(`  ${name.padEnd(8)} p50 ${percentile(xs, 50).toFixed(0)} ms   p95 ${percentile(xs, 95).toFixed(0)} ms   max ${Math.max(...xs).toFixed(0)} ms`);
  }

  const approvers = await Promise.all(Array.from({ length: 10 }, () => createUser(sys.db, { roles: ['bureau_approver'], districtId: cast.school.districtId })));
  const id = await draftRegistration(sys, cast.staff);
  await submit(sys, cast.staff, id);
  await complete(sys, cast.leader, (await openTaskOf(sys.db, id, 'lead_school_opinion')).id, 'opinion', { payload: { opinion: '同意' } });
  await complete(sys, cast.principal, (await openTaskOf(sys.db, id, 'principal_signature')).id, 'sign', { payload: signaturePayload() });
  const task = await openTaskOf(sys.db, id, 'bureau_approval');
  const t = performance.now();
  const answers = await Promise.all(approvers.map((a) => complete(sys, a, task.id, 'approve')));
  console.log(`\n10 approvers racing on one task: ${answers.filter((a) => a.status === 200).length} × 200, ${answers.filter((a) => a.status === 409).length} × 409, all answered in ${(performance.now() - t).toFixed(0)} ms`);
});
