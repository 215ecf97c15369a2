/** The API server compresses what it sends when the client accepts it (the console bundle, the lists). */
import http from 'node:http';
import zlib from 'node:zlib';
import { createUser } from '../support/fixtures';
import { startSystem, tokenFor, type TestSystem } from '../support/harness';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(() => sys.close());

/** The raw answer, as sent over the wire (no automatic decoding). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ encoding: string | undefined; vary: string | undefined; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${sys.baseUrl}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, bytes: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

test('When a client accepts gzip or brotli, then a large answer comes compressed and decodes to the same JSON; without it, plain', async () => {
  const admin = await createUser(sys.db, { roles: ['admin'] });
  const auth = { authorization: `Bearer ${tokenFor(sys.config, admin)}` };
  const path = '/api/party-types?range=[0,99]';
  const plain = await rawGet(path, { ...auth, 'accept-encoding': 'identity' });
  expect(plain.encoding).toBeUndefined();
  const catalog = JSON.parse(plain.bytes.toString('utf8'));
  expect(catalog.length).toBeGreaterThan(20);

  const gzip = await rawGet(path, { ...auth, 'accept-encoding': 'gzip' });
  expect(gzip.encoding).toBe('gzip');
  expect(gzip.vary).toMatch(/accept-encoding/i);
  expect(gzip.bytes.length).toBeLessThan(plain.bytes.length / 2);
  expect(JSON.parse(zlib.gunzipSync(gzip.bytes).toString('utf8'))).toEqual(catalog);

  const br = await rawGet(path, { ...auth, 'accept-encoding': 'br' });
  expect(br.encoding).toBe('br');
  expect(JSON.parse(zlib.brotliDecompressSync(br.bytes).toString('utf8'))).toEqual(catalog);
});
