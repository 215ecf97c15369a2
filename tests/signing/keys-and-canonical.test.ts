import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalContentHash, type CanonicalContentSource } from '../../domain/signing/canonical';
import { loadSigningKey, signingKeyPath } from '../../domain/signing/keys';

describe('loadSigningKey', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-key-'));

  test('When no PEM is configured, then a key is generated once under the data folder with mode 0600 and reused', () => {
    const dir = tmp();
    const first = loadSigningKey({ dataDir: dir });
    const file = signingKeyPath(dir);

    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.privateKey.asymmetricKeyType).toBe('ed25519');
    // Another process (no shared cache) reading the same folder gets the same key.
    const pem = fs.readFileSync(file, 'utf8');
    expect(loadSigningKey({ pem, dataDir: tmp() }).keyId).toBe(first.keyId);
  });

  test('When SIGNING_KEY_PEM is configured, then it wins over the data folder', () => {
    const dir = tmp();
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = loadSigningKey({ pem, dataDir: dir });

    expect(fs.existsSync(signingKeyPath(dir))).toBe(false);
    expect(key.keyId).not.toBe(loadSigningKey({ dataDir: dir }).keyId);
  });

  test('When the configured key is not Ed25519, then loading fails and says so', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadSigningKey({ pem, dataDir: tmp() })).toThrow(/Ed25519/);
  });
});

describe('canonicalContentHash', () => {
  const base: CanonicalContentSource = {
    id: '00000000-0000-4000-8000-000000000001',
    schoolId: 1,
    schoolName: '示范区第一实验小学',
    name: '阳光教联体',
    legalRepresentative: '王校长',
    formedOn: '2026-09-01',
    memberSchools: [{ name: '第二小学' }],
    memberUnits: [{ name: '城东派出所', partyType: 'department.public_security', contactPerson: '李警官', phone: '110', role: '护校', profile: '简介' }],
    introduction: '介绍',
    goals: [{ id: '00000000-0000-4000-8000-0000000000aa', title: '目标', measures: '措施', indicator: null, targetDate: '2027-09-01' }],
    leadSchoolOpinion: '同意',
    remarks: null,
    extra: { motto: '立德树人' },
  };

  test('When text differs only in Unicode form, surrounding space, line ends or empty-versus-missing, then the hash is the same', () => {
    const variant = {
      ...base,
      name: '  阳光教联体\n',
      legalRepresentative: '王校长'.normalize('NFD'),
      introduction: '介绍\r\n'.trim() + ' ',
      remarks: '',
      goals: [{ ...base.goals[0], id: '00000000-0000-4000-8000-0000000000bb' }], // goal ids are not content
    };
    expect(canonicalContentHash(variant)).toBe(canonicalContentHash(base));
    // NFC matters where it changes the bytes: é composed vs decomposed.
    expect(canonicalContentHash({ ...base, name: 'Caf\u0065\u0301' })).toBe(canonicalContentHash({ ...base, name: 'Caf\u00e9' }));
  });

  test.each([
    ['a member unit’s profile', { memberUnits: [{ ...base.memberUnits[0], profile: '另一份简介' }] }],
    ['a member unit’s party type', { memberUnits: [{ ...base.memberUnits[0], partyType: 'community' }] }],
    ['the lead-school opinion', { leadSchoolOpinion: '不同意' }],
    ['a goal’s target date', { goals: [{ ...base.goals[0], targetDate: '2027-10-01' }] }],
    ['an administrator-defined field', { extra: { motto: '厚德载物' } }],
    ['the list of member schools', { memberSchools: [] }],
    ['the date formed', { formedOn: '2026-09-02' }],
  ])('When %s changes, then the hash changes', (_what, change) => {
    expect(canonicalContentHash({ ...base, ...change } as CanonicalContentSource)).not.toBe(canonicalContentHash(base));
  });
});
