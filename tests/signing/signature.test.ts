import { verify } from 'node:crypto';
import { stableStringify } from '../../domain/audit';
import { prepareSignature, recordSignature } from '../../domain/signing/index';
import { createSchoolWithStaff } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSignedRegistration, dataUrlOf, filesUploadedBy, signaturePng } from './support';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  await sys?.close();
});

const verdictOf = async (registrationId: string, token: string) => api(sys, 'GET', `/api/registrations/${registrationId}/signature`, { token });

describe('GET /api/registrations/:id/signature', () => {
  test('When the principal has just signed, then the signature verifies as valid and the check is audited', async () => {
    const signed = await createSignedRegistration(sys);
    const res = await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal));

    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('valid');
    expect(res.body.record).toMatchObject({
      id: signed.signatureId,
      registrationId: signed.registrationId,
      signerId: signed.principal.id,
      schoolId: signed.school.id,
      contentHash: signed.contentHash,
      current: true,
      voidedAt: null,
    });
    expect(res.body.record.payload).toMatchObject({ contentHash: signed.contentHash, stampFileId: signed.stampFileId, signatureFileId: signed.signatureFileId });
    const audit = await sys.db('auditEvents').where({ registrationId: signed.registrationId, action: 'signature.verified' }).first();
    expect(audit.details.verdict).toBe('valid');
    expect(audit.actorId).toBe(signed.principal.id);
  });

  test('When the registration is edited after signing, then the verdict is content_changed', async () => {
    const signed = await createSignedRegistration(sys);
    await sys.db('memberUnits').where({ registrationId: signed.registrationId, position: 0 }).update({ profile: '签名后被改动的简介。' });

    const res = await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal));

    expect(res.body.verdict).toBe('content_changed');
    expect(res.body.checks).toMatchObject({ serverSignature: true, stampFile: true, signatureFile: true, content: false });
    expect(res.body.currentContentHash).not.toBe(signed.contentHash);
  });

  test('When only server-owned fields change (status, version, timestamps), then the signature stays valid', async () => {
    const signed = await createSignedRegistration(sys);
    await sys.db('registrations').where({ id: signed.registrationId }).update({ status: 'active', version: 7, updatedAt: sys.db.fn.now() });

    expect((await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal))).body.verdict).toBe('valid');
  });

  test('When the stored statement is forged (another signer), then the verdict is invalid', async () => {
    const signed = await createSignedRegistration(sys);
    const row = await sys.db('signatures').where({ id: signed.signatureId }).first();
    const forged = { ...row.payload, signerId: signed.staff.id };
    await sys.db('signatures').where({ id: signed.signatureId }).update({ payload: JSON.stringify(forged), signerId: signed.staff.id });

    const res = await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal));

    expect(res.body.verdict).toBe('invalid');
    expect(res.body.checks.serverSignature).toBe(false);
  });

  test('When the record is rewritten to match edited content, then the verdict is invalid, not valid', async () => {
    const signed = await createSignedRegistration(sys);
    await sys.db('registrations').where({ id: signed.registrationId }).update({ introduction: '被篡改的介绍。' });
    const current = (await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal))).body.currentContentHash as string;
    const row = await sys.db('signatures').where({ id: signed.signatureId }).first();
    await sys.db('signatures').where({ id: signed.signatureId }).update({ contentHash: current, payload: JSON.stringify({ ...row.payload, contentHash: current }) });

    expect((await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal))).body.verdict).toBe('invalid');
  });

  test('When the stamp image bytes are swapped, then the verdict is invalid', async () => {
    const signed = await createSignedRegistration(sys);
    await sys.db('files').where({ id: signed.stampFileId }).update({ content: signaturePng(200, 200) });

    const res = await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal));

    expect(res.body.verdict).toBe('invalid');
    expect(res.body.checks).toMatchObject({ serverSignature: true, stampFile: false, signatureFile: true });
  });

  test('When the record is pointed at another school’s stamp, then the verdict is invalid', async () => {
    const signed = await createSignedRegistration(sys);
    const other = await createSignedRegistration(sys);
    await sys.db('signatures').where({ id: signed.signatureId }).update({ stampFileId: other.stampFileId });

    expect((await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal))).body.verdict).toBe('invalid');
  });

  test('When the signature image is swapped, then the verdict is invalid', async () => {
    const signed = await createSignedRegistration(sys);
    await sys.db('files').where({ id: signed.signatureFileId }).update({ content: signaturePng(300, 100, 'M10,10 L290,90') });

    const res = await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal));
    expect(res.body.verdict).toBe('invalid');
    expect(res.body.checks.signatureFile).toBe(false);
  });

  test('When the school later uploads a new stamp, then the earlier signature stays valid', async () => {
    const signed = await createSignedRegistration(sys);
    const put = await api(sys, 'PUT', `/api/schools/${signed.school.id}/stamp`, {
      token: tokenFor(sys.config, signed.principal),
      body: { dataUrl: dataUrlOf(signaturePng(240, 240)) },
    });
    expect(put.status).toBe(201);

    expect((await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal))).body.verdict).toBe('valid');
  });

  test('When a verifier takes the public key from GET /api/signing-key, then the stored statement verifies offline', async () => {
    const signed = await createSignedRegistration(sys);
    const key = await api(sys, 'GET', '/api/signing-key');
    const { record } = (await verdictOf(signed.registrationId, tokenFor(sys.config, signed.principal))).body;

    expect(key.body.algorithm).toBe('Ed25519');
    expect(record.payload.keyId).toBe(key.body.keyId);
    expect(verify(null, Buffer.from(stableStringify(record.payload)), key.body.publicKeyPem, Buffer.from(record.serverSignature, 'base64'))).toBe(true);
    const tampered = { ...record.payload, signedAt: new Date(0).toISOString() };
    expect(verify(null, Buffer.from(stableStringify(tampered)), key.body.publicKeyPem, Buffer.from(record.serverSignature, 'base64'))).toBe(false);
  });

  test('When a principal of another school asks, then the registration does not exist for them', async () => {
    const signed = await createSignedRegistration(sys);
    const outsider = await createSchoolWithStaff(sys.db);

    expect((await verdictOf(signed.registrationId, tokenFor(sys.config, outsider.principal))).status).toBe(404);
  });

  test('When the registration was never signed, then the answer is 404 not_signed', async () => {
    const draft = await createSignedRegistration(sys, {}, { sign: false });

    const res = await verdictOf(draft.registrationId, tokenFor(sys.config, draft.staff));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_signed');
  });
});

describe('prepareSignature and recordSignature', () => {
  test('When the school has no stamp, then signing is refused with 409 and nothing is stored', async () => {
    const draft = await createSignedRegistration(sys, {}, { sign: false });
    await sys.db('schools').where({ id: draft.school.id }).update({ stampFileId: null });

    await expect(
      prepareSignature(sys.db, { registrationId: draft.registrationId, actor: draft.principal, signatureImage: dataUrlOf(signaturePng()) }),
    ).rejects.toMatchObject({ status: 409 });
    expect(await filesUploadedBy(sys.db, draft.principal.id)).toBe(0);
  });

  test('When the drawn signature is not an image, then signing is refused with 400 and nothing is stored', async () => {
    const draft = await createSignedRegistration(sys, {}, { sign: false });

    await expect(
      prepareSignature(sys.db, {
        registrationId: draft.registrationId,
        actor: draft.principal,
        signatureImage: dataUrlOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png'),
      }),
    ).rejects.toMatchObject({ status: 400, errors: { 'payload.signatureImage': expect.stringContaining('PNG') } });
    expect(await filesUploadedBy(sys.db, draft.principal.id)).toBe(0);
  });

  test('When a principal of another school tries to sign, then it is refused with 403', async () => {
    const draft = await createSignedRegistration(sys, {}, { sign: false });
    const outsider = await createSchoolWithStaff(sys.db);

    await expect(
      prepareSignature(sys.db, { registrationId: draft.registrationId, actor: outsider.principal, signatureImage: dataUrlOf(signaturePng()) }),
    ).rejects.toMatchObject({ status: 403 });
  });

  test('When the worker retries recordSignature, then one signature and one audit event exist', async () => {
    const signed = await createSignedRegistration(sys);
    const again = await recordSignature(sys.db, {
      registrationId: signed.registrationId,
      signerId: signed.principal.id,
      signatureFileId: signed.signatureFileId,
      signedAt: new Date().toISOString(),
      dataDir: sys.config.dataDir,
    });

    expect(again).toEqual({ signatureId: signed.signatureId, contentHash: signed.contentHash });
    expect(await sys.db('signatures').where({ registrationId: signed.registrationId }).count({ n: '*' }).first()).toEqual({ n: '1' });
    expect(await sys.db('auditEvents').where({ registrationId: signed.registrationId, action: 'registration.signed' }).count({ n: '*' }).first()).toEqual({ n: '1' });
    expect((await sys.db('registrations').where({ id: signed.registrationId }).first('signatureId')).signatureId).toBe(signed.signatureId);
  });
});
