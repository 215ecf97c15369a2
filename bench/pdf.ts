/**
 * The printable form as a PDF, on the API as users call it:
 *   - the case from issue 10: one member profile of 4,000 characters without a break point, and a
 *     4000×4000 signature image;
 *   - the largest valid registration: every list and text at the schema's limit (only with
 *     `largest=1`: before layout was linear it would block the API for hours);
 * and the API's other requests (an inbox page) p95 while PDFs render, beside the same requests' p95
 * with nothing rendering, measured in the same run. The load comes from a process of its own.
 *
 *   npx tsx bench/pdf.ts [profileChars=4000] [largest=0]
 */
import { createSchoolWithStaff } from '../tests/support/fixtures';
import { api, tokenFor, type TestSystem } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { dataUrlOf, signaturePng } from '../tests/signing/support';
import { validRegistrationBody } from '../tests/support/fixtures';
import { giveDemoStamps } from '../domain/signing/demo-stamp';
import { prepareSignature, recordSignature } from '../domain/signing/index';
import * as pdfThread from '../domain/print/pdf-thread';
import { loadFromChild } from './load';
import { record, summary, type Figure } from './record';
import type { Actor } from '../api/middleware/auth';

/** Han characters without any break point a line breaker could use (no spaces, no punctuation). */
const unbroken = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 37 + seed) % 20000))).join('');

async function signedRegistration(sys: TestSystem, staff: Actor, principal: Actor, body: Record<string, unknown>, signatureSide: number) {
  const created = await api(sys, 'POST', '/api/registrations', { token: tokenFor(sys.config, staff), body });
  if (created.status !== 201) throw new Error(`creating the registration failed: ${created.status} ${JSON.stringify(created.body).slice(0, 500)}`);
  const id = created.body.id as string;
  await sys.db('registrations').where({ id }).update({ leadSchoolOpinion: '同意组建该教联体，牵头学校将统筹推进各项工作。', status: 'principal_signature' });
  const prepared = await prepareSignature(sys.db, { registrationId: id, actor: { ...principal, roles: [...principal.roles] } as never, signatureImage: dataUrlOf(signaturePng(signatureSide, signatureSide)) });
  await recordSignature(sys.db, { registrationId: id, signerId: principal.id, signatureFileId: prepared.signatureFileId, stampFileId: prepared.stampFileId, signedAt: new Date().toISOString(), dataDir: sys.config.dataDir, signingKeyPem: sys.config.SIGNING_KEY_PEM });
  await sys.db('registrations').where({ id }).update({ status: 'bureau_approval' });
  return id;
}

runScript({ worker: false, isolatedDatabase: {} }, async (sys) => {
  const profileChars = Number(process.argv[2] ?? 4000);
  const largest = process.argv[3] === '1';
  const { school, staff, principal } = await createSchoolWithStaff(sys.db);
  await giveDemoStamps(sys.db, [school.id]);
  const token = tokenFor(sys.config, principal);

  const issueCase = (seed: number) => {
    const body = validRegistrationBody();
    body.memberUnits[0] = { ...body.memberUnits[0], profile: unbroken(profileChars, seed) };
    return body;
  };
  // The largest body the API accepts: every list at its limit, and the texts as long as the 2 MB
  // request limit allows (the schema's per-field limits together would be ~7 MB), profiles last.
  const largestBody = () => {
    const body = validRegistrationBody();
    const base = {
      ...body,
      memberSchools: Array.from({ length: 100 }, (_, i) => ({ name: `成员学校${i}${unbroken(190, i)}` })),
      memberUnits: Array.from({ length: 300 }, (_, i) => ({ ...body.memberUnits[i % body.memberUnits.length], name: `成员单位${i}${unbroken(190, i)}`, role: unbroken(200, i), profile: '' })),
      introduction: unbroken(800),
      goals: Array.from({ length: 100 }, (_, i) => ({ ...body.goals[0], title: unbroken(300, i), measures: unbroken(1000, i), indicator: unbroken(300, i) })),
      remarks: unbroken(2000),
    };
    const room = 1.95 * 2 ** 20 - Buffer.byteLength(JSON.stringify(base));
    const each = Math.max(0, Math.floor(room / 3 / 300) - 2);
    return { ...base, memberUnits: base.memberUnits.map((u, i) => ({ ...u, profile: unbroken(each, i) })) };
  };

  // Several registrations of the issue's case, so that renders during the load are not cache hits.
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(await signedRegistration(sys, staff, principal, issueCase(i), 4000));

  // Wall time, and the CPU time this process spent meanwhile (the API and its PDF threads; the load
  // comes from another process): on a shared, loaded machine the CPU time is the comparable figure.
  const pdf = async (id: string) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const res = await fetch(`${sys.baseUrl}/api/registrations/${id}/form.pdf`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`form.pdf: ${res.status} ${bytes.toString().slice(0, 300)}`);
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, bytes: bytes.length };
  };
  const other = { url: `${sys.baseUrl}/api/tasks?filter=${encodeURIComponent('{"mine":true}')}&range=[0,24]`, connections: 2, headers: { authorization: `Bearer ${token}` } };

  // As api/main.ts does at start-up (in the background there): one PDF thread with the fonts ready
  // (absent in builds from before it existed, which a 'before' run measures).
  const prewarm = (pdfThread as { prewarmPdfThreads?: (n: number) => Promise<unknown> }).prewarmPdfThreads;
  const warmStart = performance.now();
  const warmCpu = process.cpuUsage();
  if (prewarm) await prewarm(1);
  const warmUsed = process.cpuUsage(warmCpu);
  const warm = { ms: performance.now() - warmStart, cpuMs: (warmUsed.user + warmUsed.system) / 1000 };
  const idle = summary(await loadFromChild({ ...other, duration: 4 }));
  const first = await pdf(ids[0]);
  const again = await pdf(ids[0]);
  // Other requests while the remaining PDFs render one after another.
  const during = loadFromChild({ ...other, duration: 4 });
  const renders: number[] = [];
  for (const id of ids.slice(1)) renders.push((await pdf(id)).ms);
  const busy = summary(await during);

  const figures: Figure[] = [
    { what: `PDF, one ${profileChars}-char unbroken profile + 4000×4000 signature (first render)`, value: first.ms, unit: 'ms', target: '< 2 s' },
    { what: 'PDF, first render: CPU time of the API process (all threads)', value: first.cpuMs, unit: 'ms', target: '< 2 s' },
    { what: 'PDF, same registration again', value: again.ms, unit: 'ms' },
    { what: 'inbox p95 while PDFs render (idle = limit)', value: busy.p95, unit: 'ms', limit: idle.p95, target: '≈ 1×, < 50 ms' },
    { what: 'PDF thread warm-up, done in the background at API start: CPU time', value: warm.cpuMs, unit: 'ms' },
  ];
  const detail: Record<string, unknown> = { warm, first, again, renders, idle, busy };
  if (largest) {
    const id = await signedRegistration(sys, staff, principal, largestBody(), 4000);
    const t = performance.now();
    const cpu = process.cpuUsage();
    const res = await fetch(`${sys.baseUrl}/api/registrations/${id}/form.pdf`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = (await res.arrayBuffer()).byteLength;
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const pages = res.status === 200 ? ` ${(bytes / 2 ** 20).toFixed(1)} MiB` : ` answered ${res.status}`;
    figures.push({ what: `PDF, largest valid registration (all lists and texts at the schema's limits;${pages})`, value: ms, unit: 'ms', target: '< 2 s' });
    figures.push({ what: 'PDF, largest valid registration: CPU time of the API process (all threads)', value: cpuMs, unit: 'ms', target: '< 2 s' });
    detail.largest = { status: res.status, ms, cpuMs, bytes };
  }
  console.log(JSON.stringify(detail));
  record('pdf', figures, detail);
});
