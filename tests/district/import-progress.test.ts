/**
 * A large spreadsheet takes seconds to read, check and write. A client that asks for
 * `application/x-ndjson` is told how far the import has got while it runs, then gets the answer the
 * plain JSON request would have had (the console shows the progress).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../api/middleware/auth';
import { startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchool, createUser } from '../support/fixtures';
import { upload, workbook } from './xlsx';

let sys: TestSystem;
let admin: Actor;
const USER_HEADERS = ['用户名', '姓名', '角色', '学校代码', '所属区', '邮箱', '初始密码'];

interface Line {
  progress?: { phase: string; done: number; total: number };
  status?: number;
  body?: any;
}

/** Uploads asking for progress; every line with the number of the network chunk it arrived in. */
async function uploadWithProgress(path: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'import.xlsx');
  const res = await fetch(`${sys.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokenFor(sys.config, admin)}`, accept: 'application/x-ndjson' }, body: form });
  const lines: (Line & { chunk: number })[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  let chunk = 0;
  for await (const bytesIn of res.body as unknown as AsyncIterable<Uint8Array>) {
    chunk++;
    buffered += decoder.decode(bytesIn, { stream: true });
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const text of complete) if (text) lines.push({ ...(JSON.parse(text) as Line), chunk });
  }
  expect(buffered).toBe('');
  return { status: res.status, type: res.headers.get('content-type'), lines, progress: lines.filter((l) => l.progress).map((l) => l.progress!), last: lines[lines.length - 1] };
}

const phases = (progress: { phase: string }[]) => progress.map((p) => p.phase).filter((p, i, all) => all[i - 1] !== p);

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  admin = await createUser(sys.db, { roles: ['admin'] });
});
afterAll(() => sys.close());

describe('Import progress', () => {
  test('When an administrator imports 3,000 users asking for progress, then reading, checking, hashing and writing are reported before the answer, which equals the plain one', async () => {
    const school = await createSchool(sys.db);
    const s = randomUUID().slice(0, 8);
    const file = await workbook(
      USER_HEADERS,
      Array.from({ length: 3000 }, (_, i) => [`p${s}.${i}`, `教师${i}`, '学校经办人', school.code, '', '', i < 6 ? `初始密码-${i}-长一些` : '']),
    );

    const preview = await uploadWithProgress('/api/imports/users?dryRun=true', file);
    expect(preview.status).toBe(200);
    expect(preview.type).toContain('application/x-ndjson');
    expect(phases(preview.progress)).toEqual(['read', 'check']);
    expect(preview.progress.at(-1)).toEqual({ phase: 'check', done: 3000, total: 3000 });
    expect(preview.last.status).toBe(200);
    const plain = await upload(sys.baseUrl, '/api/imports/users?dryRun=true', tokenFor(sys.config, admin), file);
    expect(preview.last.body).toEqual(plain.body);

    const done = await uploadWithProgress('/api/imports/users', file);
    expect(phases(done.progress)).toEqual(['read', 'check', 'passwords', 'write']);
    const hashed = done.progress.filter((p) => p.phase === 'passwords');
    expect(hashed.at(-1)).toEqual({ phase: 'passwords', done: 6, total: 6 });
    const written = done.progress.filter((p) => p.phase === 'write');
    expect(written[0]).toEqual({ phase: 'write', done: 0, total: 3000 });
    expect(written.at(-1)).toEqual({ phase: 'write', done: 3000, total: 3000 });
    expect(written.map((p) => p.done)).toEqual([...written.map((p) => p.done)].sort((a, b) => a - b));
    expect(done.last).toMatchObject({ status: 200, body: { dryRun: false, counts: { create: 3000, update: 0, unchanged: 0, error: 0 } } });
    // Streamed as it happened: the first report came in before the chunk that carried the answer.
    expect(done.lines[0].chunk).toBeLessThan(done.last.chunk);
    expect(Number((await sys.db('users').where('username', 'like', `p${s}.%`).count({ n: '*' }).first())!.n)).toBe(3000);
  });

  test('When the rows have errors or the file is not a workbook, then the last line carries the 400 with its Chinese message, and nothing is written', async () => {
    const s = randomUUID().slice(0, 8);
    const bad = await workbook(USER_HEADERS, [
      [`q${s}.1`, '教师', '学校经办人', 'no-such-school', '', '', ''],
      [`q${s}.2`, '教师', '校长', 'no-such-school', '', '', ''],
    ]);
    const rows = await uploadWithProgress('/api/imports/users', bad);
    expect(rows.last.status).toBe(400);
    expect(rows.last.body).toMatchObject({ code: 'import_invalid', counts: { error: 2 } });
    expect(rows.last.body.message).toContain('有 2 行有误，未导入任何数据');
    expect(rows.last.body.rows[0].errors.school).toContain('学校代码“no-such-school”不存在');

    const notWorkbook = await uploadWithProgress('/api/imports/schools', Buffer.from('学校代码,学校名称\nA,B\n'));
    expect(notWorkbook.last.status).toBe(400);
    expect(notWorkbook.last.body.message).toContain('文件不是有效的 Excel（.xlsx）文件');
    expect(Number((await sys.db('users').where('username', 'like', `q${s}.%`).count({ n: '*' }).first())!.n)).toBe(0);
  });
});
