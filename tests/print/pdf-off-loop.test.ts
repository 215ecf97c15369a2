import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PdfTimedOut, printFormHash, renderFormPdfOffThread } from '../../domain/print/pdf-thread';
import { loadPrintForm } from '../../domain/print/model';
import { startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSignedRegistration } from '../signing/support';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  await sys?.close();
});

/**
 * Han characters with no space or punctuation anywhere: nothing a line breaker could use. Common
 * ones only: a few rare code points share a glyph with another in the font, and pdftotext reads back the other.
 */
const COMMON = Array.from('家庭教育指导服务社区学校联合开展活动组织志愿者参与课后建立沟通台账按季度复盘长期法治副校长护安园派出所图书馆妇联团委关工委文明实践中心');
const unbroken = (n: number, seed: number) => Array.from({ length: n }, (_, i) => COMMON[(i * 7 + seed) % COMMON.length]).join('');
const squash = (s: string) => s.replace(/\s+/g, '');
function pdfText(bytes: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pdf-')), 'form.pdf');
  fs.writeFileSync(file, bytes);
  // Only the value column (right of the labels, above the footer), so labels never interleave with values.
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-r', '72', '-x', '160', '-y', '0', '-W', '440', '-H', '784', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
}

/** A registration whose member units each have a long profile without break points, and one long English one. */
async function bigRegistration(seed: number) {
  const profiles = Array.from({ length: 8 }, (_, i) => unbroken(4000, seed + i));
  const english = `${'interdisciplinary '.repeat(60)}${'x'.repeat(900)} end.`;
  const signed = await createSignedRegistration(sys, {
    memberUnits: [
      ...profiles.map((profile, i) => ({ name: `成员单位${i + 1}`, partyType: 'community', contactPerson: '联系人', phone: '13800000000', role: '社区协同', profile })),
      { name: 'English unit', partyType: 'community', contactPerson: 'Li', phone: '13800000000', role: 'help', profile: english },
    ],
  });
  return { ...signed, profiles, english };
}

describe('The PDF is made off the API’s event loop', () => {
  test('When a large PDF is rendering, then /healthz answers before the PDF is finished, and the PDF holds every character of every profile', async () => {
    const big = await bigRegistration(1);
    let pdfDone = false;
    const pdf = fetch(`${sys.baseUrl}/api/registrations/${big.registrationId}/form.pdf`, { headers: { authorization: `Bearer ${tokenFor(sys.config, big.principal)}` } }).then(async (res) => {
      const bytes = Buffer.from(await res.arrayBuffer());
      pdfDone = true;
      return { status: res.status, bytes };
    });
    const health = await fetch(`${sys.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(pdfDone).toBe(false);

    const res = await pdf;
    expect(res.status).toBe(200);
    const text = squash(pdfText(res.bytes));
    // (Checked as booleans: a failure should not print 30,000 characters.)
    expect(big.profiles.map((p) => text.includes(p))).toEqual(big.profiles.map(() => true));
    expect(text.includes(squash(big.english))).toBe(true);
  });

  test('When a render takes longer than its bound, then it fails with PdfTimedOut, and the next render still works and comes from the cache the second time', async () => {
    const big = await bigRegistration(100);
    const form = (await loadPrintForm(sys.db, big.registrationId, { all: true }))!;
    await expect(renderFormPdfOffThread(form, { timeoutMs: 1 })).rejects.toBeInstanceOf(PdfTimedOut);

    const first = await renderFormPdfOffThread(form);
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await renderFormPdfOffThread(form)).toBe(first);
    // Another content is another entry.
    expect(printFormHash({ ...form, registration: { ...form.registration, remarks: '另一份' } })).not.toBe(printFormHash(form));
  });
});
