/**
 * Builders for the signing, print and audit tests: images made on the spot (a drawn signature, a
 * stamp, files that only pretend to be images) and a registration signed the way the worker's
 * activity signs it (prepareSignature, then recordSignature), for use before the workflow drives it.
 */
import { Resvg } from '@resvg/resvg-js';
import type { Actor } from '../../api/middleware/auth';
import type { Db } from '../../db/connection';
import { giveDemoStamps } from '../../domain/signing/demo-stamp';
import { prepareSignature, recordSignature } from '../../domain/signing/index';
import { createSchoolWithStaff, validRegistrationBody, type RegistrationBody } from '../support/fixtures';
import { api, tokenFor, type TestSystem } from '../support/harness';

/** A PNG of the given size: a black "handwritten" stroke on transparent ground. */
export function signaturePng(width = 300, height = 100, stroke = 'M10,70 C60,10 90,90 140,40 S220,80 290,30'): Buffer {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 300 100" preserveAspectRatio="none">` +
    `<path d="${stroke}" fill="none" stroke="#111" stroke-width="5" stroke-linecap="round"/></svg>`;
  return new Resvg(svg, { background: 'rgba(0,0,0,0)' }).render().asPng();
}

export const dataUrlOf = (bytes: Buffer, type = 'image/png') => `data:${type};base64,${bytes.toString('base64')}`;

export const TINY_JPEG_BASE64 = '/9j/4AAQSkZJRgABAQEAAwADAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAoAB0DASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD3ef7X5g8gQ7Mc785z+FIPtxf5vs4T1G4kf41FqSzMqeWZNoByELDLcYzt5xjd+lWLQOtsokZmIJwX67cnGffGKBi7bj/npF0/55nr+dS0UUCCiiigAooooAKKKKACiiigD//Z';

export interface SignedRegistration {
  registrationId: string;
  signatureId: string;
  contentHash: string;
  signatureFileId: string;
  stampFileId: string;
  school: { id: number; name: string; districtId: number };
  staff: Actor;
  leader: Actor;
  principal: Actor;
  body: RegistrationBody;
}

/**
 * A school with staff and a generated stamp, a registration drafted through the API, a lead-school
 * opinion, and the principal's signature recorded exactly as the worker records it.
 */
export async function createSignedRegistration(
  sys: TestSystem,
  overrides: Partial<RegistrationBody> = {},
  opts: { opinion?: string; sign?: boolean } = {},
): Promise<SignedRegistration & { signed: boolean }> {
  const { db, config } = sys;
  const { school, staff, leader, principal } = await createSchoolWithStaff(db);
  await giveDemoStamps(db, [school.id]);
  const body = validRegistrationBody(overrides);
  const created = await api(sys, 'POST', '/api/registrations', { token: tokenFor(config, staff), body });
  if (created.status !== 201) throw new Error(`creating the registration failed: ${created.status} ${JSON.stringify(created.body)}`);
  const registrationId = created.body.id as string;
  await db('registrations')
    .where({ id: registrationId })
    .update({ leadSchoolOpinion: opts.opinion ?? '同意组建该教联体，牵头学校将统筹推进各项工作。', status: 'principal_signature' });
  const base = { registrationId, school, staff, leader, principal, body };
  if (opts.sign === false) return { ...base, signatureId: '', contentHash: '', signatureFileId: '', stampFileId: '', signed: false };

  const prepared = await prepareSignature(db, { registrationId, actor: principal, signatureImage: dataUrlOf(signaturePng()) });
  const recorded = await recordSignature(db, {
    registrationId,
    signerId: principal.id,
    signatureFileId: prepared.signatureFileId,
    stampFileId: prepared.stampFileId,
    signedAt: new Date().toISOString(),
    dataDir: config.dataDir,
    signingKeyPem: config.SIGNING_KEY_PEM,
  });
  await db('registrations').where({ id: registrationId }).update({ status: 'bureau_approval' });
  return { ...base, ...recorded, ...prepared, signed: true };
}

/** Files uploaded by one user: a refused upload must leave this unchanged. */
export async function filesUploadedBy(db: Db, userId: number): Promise<number> {
  const row = await db('files').where({ uploadedBy: userId }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
