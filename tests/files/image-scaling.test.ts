import { imageSize } from 'image-size';
import { checkImage, STORED_MAX_SIDE } from '../../domain/files/images';
import { findFileWithContent, insertImageFile } from '../../domain/files/repository';
import { signaturePng } from '../signing/support';
import { startSystem, type TestSystem } from '../support/harness';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  await sys?.close();
});

describe('Images are scaled down when stored', () => {
  test('When a 4000×4000 signature is uploaded, then it is stored as a PNG no larger than the stored limit, with its own hash', async () => {
    const upload = checkImage(signaturePng(4000, 4000));
    const stored = await insertImageFile(sys.db, { kind: 'signature', image: upload, schoolId: null, uploadedBy: null });
    expect([stored.width, stored.height]).toEqual([STORED_MAX_SIDE, STORED_MAX_SIDE]);
    const file = (await findFileWithContent(sys.db, stored.id))!;
    expect(imageSize(file.content)).toMatchObject({ type: 'png', width: STORED_MAX_SIDE, height: STORED_MAX_SIDE });
    expect(stored.sha256).not.toBe(upload.sha256);
    expect(file.content.length).toBeLessThan(upload.size);
  });

  test('When a small image is uploaded, then it is stored byte for byte', async () => {
    const upload = checkImage(signaturePng(300, 100));
    const stored = await insertImageFile(sys.db, { kind: 'signature', image: upload, schoolId: null, uploadedBy: null });
    expect(stored).toMatchObject({ width: 300, height: 100, sha256: upload.sha256 });
  });
});
