import { checkImage } from '../../domain/files/images';
import { giveDemoStamps, renderDemoStampPng } from '../../domain/signing/demo-stamp';
import { createSchool } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { createSignedRegistration } from './support';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  await sys?.close();
});

describe('giveDemoStamps', () => {
  test('When the demo seeds run twice, then each school gets one generated stamp and keeps it', async () => {
    const [a, b] = [await createSchool(sys.db), await createSchool(sys.db)];

    expect(await giveDemoStamps(sys.db, [a.id, b.id])).toEqual([a.id, b.id]);
    const stampsOf = async () => (await sys.db('schools').whereIn('id', [a.id, b.id]).orderBy('id').select('stampFileId')).map((r) => r.stampFileId as string);
    const first = await stampsOf();
    expect(first.every(Boolean)).toBe(true);
    expect(await giveDemoStamps(sys.db, [a.id, b.id])).toEqual([]);
    expect(await stampsOf()).toEqual(first);

    const file = await sys.db('files').where({ id: first[0] }).first();
    expect(file).toMatchObject({ kind: 'stamp', mediaType: 'image/png', width: 400, height: 400, schoolId: a.id });
    expect(checkImage(file.content).mediaType).toBe('image/png');
  });

  test('When two starts seed at once, then the school still ends with exactly one stamp file', async () => {
    const school = await createSchool(sys.db);
    const results = await Promise.all([giveDemoStamps(sys.db, [school.id]), giveDemoStamps(sys.db, [school.id])]);

    expect(results.flat()).toEqual([school.id]);
    expect(await sys.db('files').where({ schoolId: school.id, kind: 'stamp' }).count({ n: '*' }).first()).toEqual({ n: '1' });
  });

  test('When a school already has an uploaded stamp, then the demo seal does not replace it', async () => {
    const signed = await createSignedRegistration(sys);
    expect(await giveDemoStamps(sys.db, [signed.school.id])).toEqual([]);
    expect((await sys.db('schools').where({ id: signed.school.id }).first('stampFileId')).stampFileId).toBe(signed.stampFileId);
  });

  test('When a seal is drawn, then the school’s name changes the picture', () => {
    expect(renderDemoStampPng('示范区第一实验小学').equals(renderDemoStampPng('示范区第二实验小学'))).toBe(false);
  });
});
