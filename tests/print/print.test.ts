import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LABELS } from '../../domain/print/model';
import { createSchoolWithStaff } from '../support/fixtures';
import { startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSignedRegistration } from '../signing/support';

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/print');

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await sys?.close();
});

async function fetchPdf(registrationId: string, token: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${sys.baseUrl}/api/registrations/${registrationId}/form.pdf`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** pdftotext's reading of the PDF with all white space removed (cells wrap wherever they like). */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}
/** Only the value column (right of the labels, above the page footer; at 72 dpi a pixel is a point), so labels never interleave with values. */
function pdfValueColumnText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-r', '72', '-x', '160', '-y', '0', '-W', '440', '-H', '784', file, '-'], { encoding: 'utf8' }).replace(
    /\s+/g,
    '',
  );
}
const squash = (s: string) => s.replace(/\s+/g, '');

/** Every label of annex 2, as printed. */
const FORM_LABELS = [
  LABELS.title,
  LABELS.leadSchool,
  LABELS.legalRepresentative,
  LABELS.formedOn,
  '成员学校（如无可不填）',
  LABELS.memberUnits,
  '“教联体”基本情况介绍',
  '（含教联体主要特点、工作优势等，字数控制在800字以内）',
  '周期建设目标和主要任务措施',
  '（两年内达成目标、完成的主要任务）',
  '“教联体”牵头学校意见',
  '校长签名：',
  '（盖章）',
  '“教联体”成员单位、成员简介',
  '（可加页）',
  LABELS.remarks,
];

describe('GET /api/registrations/:id/form.pdf', () => {
  test('When a signed registration is printed, then the PDF holds every label and value of annex 2 and renders', async () => {
    const signed = await createSignedRegistration(sys, { remarks: '本表一式两份。' });
    const res = await fetchPdf(signed.registrationId, tokenFor(sys.config, signed.principal));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/pdf');
    const file = path.join(ARTIFACTS, 'signed-form.pdf');
    fs.writeFileSync(file, res.bytes);

    const text = pdfText(file);
    for (const label of FORM_LABELS) expect(text).toContain(squash(label));
    const b = signed.body;
    const [y, m, d] = b.formedOn.split('-').map(Number);
    for (const value of [
      b.name,
      signed.school.name,
      b.legalRepresentative,
      `${y}年${m}月${d}日`,
      b.memberSchools[0].name,
      ...b.memberUnits.flatMap((u) => [u.name, u.profile, u.contactPerson]),
      '公安', // the party type's Chinese name, not its code
      b.introduction,
      ...b.goals.flatMap((g) => [g.title, g.measures, g.indicator]),
      '同意组建该教联体',
      '本表一式两份。',
    ]) {
      expect(text).toContain(squash(value));
    }
    expect(text).not.toContain('department.public_security');

    // The CJK font is embedded, and the signature and stamp images are on the page.
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansCJK\S*\s+CID Type 0C\s+Identity-H\s+yes/);
    // pdfimages -list: page num type width height …; the signature (300×100) and the stamp (400×400) sit on page 1.
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[2] === 'image');
    expect(images.map((cols) => `p${cols[0]} ${cols[3]}x${cols[4]}`)).toEqual(['p1 300x100', 'p1 400x400']);

    const png = path.join(ARTIFACTS, 'signed-form-page');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '2', file, png]);
    const first = fs.readFileSync(`${png}-1.png`);
    expect(first.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(first.length).toBeGreaterThan(10_000);
  });

  test('When the content is longer than a page, then the cells continue on the next pages and nothing is lost', async () => {
    const introduction = '本教联体以立德树人为根本任务，推动家校社协同育人。'.repeat(32).slice(0, 800);
    const goals = Array.from({ length: 12 }, (_, i) => ({
      title: `第${i + 1}项目标：家校共育品牌建设`,
      measures: `措施${i + 1}：每月开展一次家长开放日活动，组织社区志愿者参与课后服务，建立家校沟通台账并按季度复盘。`,
      indicator: `指标${i + 1}：家长满意度达到百分之九十以上`,
      targetDate: signedBodyDate(),
    }));
    const signed = await createSignedRegistration(sys, {
      introduction,
      goals,
      memberUnits: Array.from({ length: 6 }, (_, i) => ({
        name: `成员单位${i + 1}号`,
        partyType: 'community',
        contactPerson: '联系人',
        phone: '13800000000',
        role: '社区协同',
        profile: `成员单位${i + 1}号简介：${'长期参与社区教育和家庭教育指导服务工作。'.repeat(20)}结束${i + 1}。`,
      })),
    });
    const res = await fetchPdf(signed.registrationId, tokenFor(sys.config, signed.staff));
    const file = path.join(ARTIFACTS, 'long-form.pdf');
    fs.writeFileSync(file, res.bytes);

    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(4);
    const text = pdfValueColumnText(file);
    expect(text).toContain(squash(introduction));
    for (const g of goals) expect(text).toContain(squash(g.measures));
    for (let i = 1; i <= 6; i++) expect(text).toContain(`结束${i}。`);
    expect(pdfText(file)).toContain('（续）');
    execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(ARTIFACTS, 'long-form-page')]);
  });

  test('When someone of another school asks for the PDF, then it does not exist for them', async () => {
    const signed = await createSignedRegistration(sys);
    const outsider = await createSchoolWithStaff(sys.db);

    expect((await fetchPdf(signed.registrationId, tokenFor(sys.config, outsider.staff))).status).toBe(404);
  });
});

describe('GET /api/registrations/:id/print', () => {
  test('When a signed registration is viewed for printing, then the page has the form’s rows, values, signature and stamp', async () => {
    const signed = await createSignedRegistration(sys, { remarks: '<script>alert(1)</script>' });
    const res = await fetch(`${sys.baseUrl}/api/registrations/${signed.registrationId}/print`, {
      headers: { authorization: `Bearer ${tokenFor(sys.config, signed.leader)}` },
    });
    const html = await res.text();
    fs.writeFileSync(path.join(ARTIFACTS, 'signed-form.html'), html);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const visibleText = html.replace(/<[^>]+>/g, '');
    for (const label of FORM_LABELS) expect(visibleText).toContain(label);
    expect(html).toContain(signed.body.name);
    expect(html).toContain(signed.body.memberUnits[1].profile);
    expect(html).toMatch(/<img class="signature"[^>]+src="data:image\/png;base64,/);
    expect(html).toMatch(/<img class="stamp"[^>]+src="data:image\/png;base64,/);
    // The drafter's text is escaped, never markup.
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  test('When the registration is not signed yet, then the signature cell is empty with a blank date', async () => {
    const draft = await createSignedRegistration(sys, {}, { sign: false });
    const res = await fetch(`${sys.baseUrl}/api/registrations/${draft.registrationId}/print`, {
      headers: { authorization: `Bearer ${tokenFor(sys.config, draft.staff)}` },
    });
    const html = await res.text();

    expect(html).toContain('校长签名：');
    expect(html).not.toContain('<img');
  });
});

function signedBodyDate(): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + 6);
  return d.toISOString().slice(0, 10);
}
