import { IMAGE_LIMITS } from '../../domain/files/images';
import { createSchoolWithStaff, createUser } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { dataUrlOf, filesUploadedBy, signaturePng, TINY_JPEG_BASE64 } from './support';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  await sys?.close();
});

/** multipart/form-data with one file part, its name and content type chosen by the "client". */
async function uploadMultipart(path: string, token: string, bytes: Buffer, name: string, type: string, method = 'POST') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${sys.baseUrl}${path}`, { method, body: form, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as any };
}

/** A PNG of the right size whose body is cut off after the header. */
const truncatedPng = () => signaturePng().subarray(0, 60);
/** Bytes that start like a PNG but run past the size limit. */
const oversizedPng = () => Buffer.concat([signaturePng(), Buffer.alloc(IMAGE_LIMITS.maxBytes, 7)]);

describe('POST /api/files', () => {
  test('When a school user uploads a PNG, then it is stored with its sniffed type and size and reads back the same', async () => {
    const { staff } = await createSchoolWithStaff(sys.db);
    const png = signaturePng(320, 120);
    const res = await api(sys, 'POST', '/api/files', { token: tokenFor(sys.config, staff), body: { dataUrl: dataUrlOf(png, 'image/jpeg'), name: 'evidence.jpg' } });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'evidence', mediaType: 'image/png', width: 320, height: 120, size: png.length, schoolId: staff.schoolId });
    const back = await fetch(`${sys.baseUrl}/api/files/${res.body.id}`, { headers: { authorization: `Bearer ${tokenFor(sys.config, staff)}` } });
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await back.arrayBuffer()).equals(png)).toBe(true);
    const audit = await sys.db('auditEvents').where({ action: 'file.uploaded', actorId: staff.id }).first();
    expect(audit.details.fileId).toBe(res.body.id);
  });

  test('When a JPEG is uploaded as multipart, then it is accepted as image/jpeg', async () => {
    const { staff } = await createSchoolWithStaff(sys.db);
    const res = await uploadMultipart('/api/files', tokenFor(sys.config, staff), Buffer.from(TINY_JPEG_BASE64, 'base64'), 'photo.bin', 'application/octet-stream');

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mediaType: 'image/jpeg', originalName: 'photo.bin' });
    expect(res.body.width).toBeGreaterThan(0);
  });

  test.each([
    ['a GIF (wrong type)', Buffer.from('GIF89a\x10\x00\x10\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x10\x00\x10\x00\x00\x02\x02D\x01\x00;', 'latin1'), 'PNG 或 JPEG'],
    ['a PDF (wrong type)', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'), 'PNG 或 JPEG'],
    ['a text file named .png', Buffer.from('this is not a picture at all, just text pretending'), 'PNG 或 JPEG'],
    ['a PNG cut off after its header', truncatedPng(), '损坏'],
    ['an oversized file', oversizedPng(), 'KB'],
    ['a PNG wider than the pixel limit', signaturePng(IMAGE_LIMITS.maxWidth + 1, 20), '像素'],
  ])('When the upload is %s (multipart claiming image/png), then it is refused with 400 and nothing is stored', async (_what, bytes, message) => {
    const { staff } = await createSchoolWithStaff(sys.db);
    const res = await uploadMultipart('/api/files', tokenFor(sys.config, staff), bytes, 'signature.png', 'image/png');

    expect(res.status).toBe(400);
    expect(res.body.errors.file).toContain(message);
    expect(await filesUploadedBy(sys.db, staff.id)).toBe(0);
  });

  test.each([
    ['a file that claims to be PNG but is not', dataUrlOf(Buffer.from('<html>hello</html>'), 'image/png'), 'PNG 或 JPEG'],
    ['an oversized PNG', dataUrlOf(Buffer.concat([signaturePng(), Buffer.alloc(IMAGE_LIMITS.maxBytes)]), 'image/png'), 'KB'],
    ['not a data URL', 'https://example.invalid/stamp.png', 'data:image'],
  ])('When the JSON upload is %s, then it is refused with 400 and nothing is stored', async (_what, dataUrl, message) => {
    const { staff } = await createSchoolWithStaff(sys.db);
    const res = await api(sys, 'POST', '/api/files', { token: tokenFor(sys.config, staff), body: { dataUrl } });

    expect(res.status).toBe(400);
    expect(res.body.errors.file).toContain(message);
    expect(await filesUploadedBy(sys.db, staff.id)).toBe(0);
  });

  test('When a file with a Chinese name is uploaded as multipart, then its name is kept as written', async () => {
    const { staff } = await createSchoolWithStaff(sys.db);
    const res = await uploadMultipart('/api/files', tokenFor(sys.config, staff), Buffer.from(TINY_JPEG_BASE64, 'base64'), '家长课堂.jpg', 'image/jpeg');

    expect(res.status).toBe(201);
    expect(res.body.originalName).toBe('家长课堂.jpg');
  });

  test('When a bureau approver tries to upload, then it is forbidden', async () => {
    const { school } = await createSchoolWithStaff(sys.db);
    const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: school.districtId });
    const res = await api(sys, 'POST', '/api/files', { token: tokenFor(sys.config, bureau), body: { dataUrl: dataUrlOf(signaturePng()) } });
    expect(res.status).toBe(403);
  });
});

describe('GET /api/files/:id', () => {
  test('When someone of another school asks for a file, then it does not exist for them; the district’s bureau may read it', async () => {
    const { staff, school } = await createSchoolWithStaff(sys.db);
    const outsider = await createSchoolWithStaff(sys.db);
    const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: school.districtId });
    const otherBureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: outsider.school.districtId });
    const up = await api(sys, 'POST', '/api/files', { token: tokenFor(sys.config, staff), body: { dataUrl: dataUrlOf(signaturePng()) } });

    expect((await api(sys, 'GET', `/api/files/${up.body.id}`, { token: tokenFor(sys.config, outsider.staff) })).status).toBe(404);
    expect((await api(sys, 'GET', `/api/files/${up.body.id}`, { token: tokenFor(sys.config, otherBureau) })).status).toBe(404);
    expect((await api(sys, 'GET', `/api/files/${up.body.id}`, { token: tokenFor(sys.config, bureau) })).status).toBe(200);
    expect((await api(sys, 'GET', '/api/files/not-a-uuid', { token: tokenFor(sys.config, staff) })).status).toBe(404);
  });
});

describe('PUT /api/schools/:id/stamp', () => {
  test('When the school’s principal uploads a stamp, then it becomes the school’s stamp and the change is audited', async () => {
    const { school, principal } = await createSchoolWithStaff(sys.db);
    const stamp = signaturePng(300, 300);
    const res = await uploadMultipart(`/api/schools/${school.id}/stamp`, tokenFor(sys.config, principal), stamp, '公章.png', 'image/png', 'PUT');

    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ kind: 'stamp', mediaType: 'image/png', schoolId: school.id, width: 300, height: 300 });
    expect((await sys.db('schools').where({ id: school.id }).first('stampFileId')).stampFileId).toBe(res.body.stampFileId);
    const audit = await sys.db('auditEvents').where({ action: 'school.stamp_set', actorId: principal.id }).first();
    expect(audit.details).toMatchObject({ schoolId: school.id, fileId: res.body.stampFileId });
    const read = await fetch(`${sys.baseUrl}/api/schools/${school.id}/stamp`, { headers: { authorization: `Bearer ${tokenFor(sys.config, principal)}` } });
    expect(Buffer.from(await read.arrayBuffer()).equals(stamp)).toBe(true);
  });

  test('When an administrator uploads a stamp for any school by JSON, then it is accepted', async () => {
    const { school } = await createSchoolWithStaff(sys.db);
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const res = await api(sys, 'POST', `/api/schools/${school.id}/stamp`, { token: tokenFor(sys.config, admin), body: { dataUrl: dataUrlOf(signaturePng(200, 200)) } });
    expect(res.status).toBe(201);
  });

  test('When a principal of another school or a staff member tries, then it is forbidden and nothing is stored', async () => {
    const { school, staff } = await createSchoolWithStaff(sys.db);
    const outsider = await createSchoolWithStaff(sys.db);
    const body = { dataUrl: dataUrlOf(signaturePng(200, 200)) };

    expect((await api(sys, 'PUT', `/api/schools/${school.id}/stamp`, { token: tokenFor(sys.config, outsider.principal), body })).status).toBe(403);
    expect((await api(sys, 'PUT', `/api/schools/${school.id}/stamp`, { token: tokenFor(sys.config, staff), body })).status).toBe(403);
    expect(await filesUploadedBy(sys.db, outsider.principal.id)).toBe(0);
    expect((await sys.db('schools').where({ id: school.id }).first('stampFileId')).stampFileId).toBeNull();
  });

  test('When the stamp is not an image, then it is refused with 400 and the school keeps no stamp', async () => {
    const { school, principal } = await createSchoolWithStaff(sys.db);
    const res = await uploadMultipart(`/api/schools/${school.id}/stamp`, tokenFor(sys.config, principal), Buffer.from('%PDF-1.7 fake'), 'stamp.png', 'image/png', 'PUT');

    expect(res.status).toBe(400);
    expect(await filesUploadedBy(sys.db, principal.id)).toBe(0);
    expect((await sys.db('schools').where({ id: school.id }).first('stampFileId')).stampFileId).toBeNull();
  });
});
