/**
 * The goal-reviews resource on the real workflow engine: a registration goes through a failed
 * first review, rectification and a passed second review with shortened periods, and the resource
 * is read at every stage — by the lead school, by the bureau, and (not) by anyone outside the scope.
 * Then the printed 周期评估报告 (PDF text, rendered page) and the bureau's planning view with CSV.
 * Policies are global: this suite runs on a database of its own.
 */
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REVIEW_LABELS } from '../../domain/print/review-model';
import { createSchoolWithStaff, createUser } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { signaturePng } from '../signing/support';
import { act, as, createCast, eventually, goalIdsOf, openTaskOf, restoreDefaultPolicies, setPolicyRow, throughSigning, type Cast } from '../workflow/support';

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/print');

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem({ isolatedDatabase: {} });
  cast = await createCast(sys.db);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});
afterEach(() => restoreDefaultPolicies(sys.db));
afterAll(() => sys.close());

const q = (o: unknown) => encodeURIComponent(JSON.stringify(o));
const waitForTask = (id: string, step: 'goal_report' | 'goal_rating', round: number) =>
  eventually(async () => {
    const t = await openTaskOf(sys.db, id, step);
    return t && t.round === round ? t : null;
  }, 20_000, `${step} round ${round}`);

async function reviewsOf(actor: Cast['staff'], registrationId: string) {
  const res = await as(sys, actor)('GET', `/api/goal-reviews?filter=${q({ registrationId })}&sort=${q(['cycle', 'ASC'])}&range=${q([0, 9])}`);
  expect(res.status).toBe(200);
  return res.body as any[];
}

async function approvedWithReviewIn(seconds: number, rectificationSeconds: number): Promise<string> {
  const id = await throughSigning(sys, cast);
  await setPolicyRow(sys.db, 'review_period', { dueSeconds: seconds });
  await setPolicyRow(sys.db, 'rectification_period', { dueSeconds: rectificationSeconds });
  await act(sys, cast.bureau, id, 'bureau_approval', 'approve');
  return id;
}

async function uploadEvidence(): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(signaturePng(320, 200))], { type: 'image/png' }), 'parents-class.png');
  form.append('kind', 'evidence');
  const res = await fetch(`${sys.baseUrl}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${tokenFor(sys.config, cast.staff)}` }, body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Set by the two-cycle test, read by the print test. */
let closed: { registrationId: string; first: string; second: string } | null = null;

describe('GET /api/goal-reviews through a two-cycle review', () => {
  test('When a review fails, is rectified and passes, then the resource shows each stage to the school and the bureau, and nothing to others', async () => {
    const outsider = await createSchoolWithStaff(sys.db); // another district
    const neighbour = await createSchoolWithStaff(sys.db, { districtId: cast.school.districtId }); // same district, other school
    const otherBureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: outsider.school.districtId });

    const id = await approvedWithReviewIn(2, 2);
    const goals = await goalIdsOf(sys.db, id);
    expect(await reviewsOf(cast.staff, id)).toEqual([]);

    // Stage 1: the review opens; the lead school is to report.
    const reportTask = await waitForTask(id, 'goal_report', 1);
    let [review] = await reviewsOf(cast.staff, id);
    expect(review).toMatchObject({
      registrationId: id,
      schoolId: cast.school.id,
      schoolName: cast.school.name,
      cycle: 1,
      status: 'reporting',
      reportedBy: null,
      ratedBy: null,
      overall: null,
      comment: null,
      task: { id: reportTask.id, step: 'goal_report', status: 'open' },
    });
    expect(review.registrationName).toBeTruthy();
    expect(review.dueAt).toBe(new Date(reportTask.dueAt).toISOString());
    expect(review.items.map((i: any) => i.goalId)).toEqual(goals);
    expect(review.items[0]).toMatchObject({ progress: null, narrative: null, evidenceFileIds: [], rating: null });
    expect(review.items[0].title).toBeTruthy();
    const firstId = review.id;

    // Stage 2: the school reports, with evidence and a covering note; the bureau is to rate.
    const evidenceId = await uploadEvidence();
    await act(sys, cast.staff, id, 'goal_report', 'report', {
      comment: '两项目标均已推进。',
      payload: {
        goals: goals.map((goalId, i) => ({ goalId, status: i === 0 ? 'achieved' : 'not_achieved', narrative: `第一轮：目标 ${i + 1} 的情况`, evidenceFileIds: i === 0 ? [evidenceId] : [] })),
      },
    });
    const ratingTask = await waitForTask(id, 'goal_rating', 1);
    const asBureau = await as(sys, cast.bureau)('GET', `/api/goal-reviews/${firstId}`);
    expect(asBureau.status).toBe(200);
    review = asBureau.body;
    expect(review).toMatchObject({ status: 'rating', reportedBy: cast.staff.id, reportedByName: cast.staff.name, reportComment: '两项目标均已推进。', task: { id: ratingTask.id, step: 'goal_rating', status: 'open' } });
    expect(review.reportedAt).toBeTruthy();
    expect(review.items[0]).toMatchObject({ progress: 'achieved', narrative: '第一轮：目标 1 的情况', evidenceFileIds: [evidenceId], rating: null });
    expect(review.items[0].evidence).toEqual([expect.objectContaining({ id: evidenceId, mediaType: 'image/png', originalName: 'parents-class.png' })]);
    expect(review.items[1]).toMatchObject({ progress: 'not_achieved', evidenceFileIds: [] });

    // Stage 3: the bureau fails it; rectification runs and the first review shows the outcome.
    await act(sys, cast.bureau, id, 'goal_rating', 'rate', { comment: '家长学校未建立。', payload: { ratings: [{ goalId: goals[0], rating: 'pass' }, { goalId: goals[1], rating: 'fail' }], overall: 'fail' } });
    [review] = await reviewsOf(cast.leader, id);
    expect(review).toMatchObject({ id: firstId, status: 'failed', overall: 'fail', comment: '家长学校未建立。', ratedBy: cast.bureau.id, ratedByName: cast.bureau.name });
    expect(review.rectificationDueAt).toBeTruthy();
    expect(review.items.map((i: any) => i.rating)).toEqual(['pass', 'fail']);
    const failedList = await as(sys, cast.bureau)('GET', `/api/goal-reviews?filter=${q({ registrationId: id, overall: 'fail', status: 'failed', cycle: 1 })}`);
    expect(failedList.body.map((r: any) => r.id)).toEqual([firstId]);
    expect(failedList.headers.get('content-range')).toBe('goal-reviews 0-0/1');

    // Stage 4: the second review opens after rectification.
    await waitForTask(id, 'goal_report', 2);
    const both = await reviewsOf(cast.staff, id);
    expect(both.map((r) => [r.cycle, r.status])).toEqual([[1, 'failed'], [2, 'reporting']]);
    const secondId = both[1].id;
    expect(both[1].items.every((i: any) => i.progress === null && i.rating === null)).toBe(true);
    const onlySecond = await as(sys, cast.staff)('GET', `/api/goal-reviews?filter=${q({ registrationId: id, cycle: 2 })}`);
    expect(onlySecond.body.map((r: any) => r.id)).toEqual([secondId]);

    // Stage 5: report and pass.
    await act(sys, cast.staff, id, 'goal_report', 'report', { payload: { goals: goals.map((goalId, i) => ({ goalId, status: 'achieved', narrative: `第二轮：目标 ${i + 1} 已达成`, evidenceFileIds: [] })) } });
    await waitForTask(id, 'goal_rating', 2);
    await act(sys, cast.bureau, id, 'goal_rating', 'rate', { comment: '整改到位，同意通过。', payload: { ratings: goals.map((goalId) => ({ goalId, rating: 'pass' })), overall: 'pass' } });
    const final = await reviewsOf(cast.principal, id);
    expect(final.map((r) => [r.cycle, r.status, r.overall])).toEqual([[1, 'failed', 'fail'], [2, 'passed', 'pass']]);
    expect(final[1]).toMatchObject({ comment: '整改到位，同意通过。', items: [expect.objectContaining({ narrative: '第二轮：目标 1 已达成', rating: 'pass' }), expect.objectContaining({ rating: 'pass' })] });
    expect(final[0].items[0].narrative).toBe('第一轮：目标 1 的情况'); // the first cycle keeps its own report
    expect((await sys.db('registrations').where({ id }).first()).status).toBe('closed');

    // Due filters: the second review's rating step was due at its task's due time.
    const dueAt = final[1].dueAt as string;
    const before = await as(sys, cast.bureau)('GET', `/api/goal-reviews?filter=${q({ registrationId: id, dueBefore: new Date(Date.parse(dueAt) + 1000).toISOString(), dueAfter: dueAt })}`);
    expect(before.body.map((r: any) => r.id)).toEqual([secondId]);

    // Scope: another school of the district, another district's bureau, and an anonymous caller.
    for (const stranger of [neighbour.staff, neighbour.principal, outsider.leader, otherBureau]) {
      expect(await reviewsOf(stranger, id)).toEqual([]);
      expect((await as(sys, stranger)('GET', `/api/goal-reviews/${firstId}`)).status).toBe(404);
      expect((await as(sys, stranger)('GET', `/api/goal-reviews/${firstId}/report.pdf`)).status).toBe(404);
    }
    expect((await api(sys, 'GET', `/api/goal-reviews/${firstId}`)).status).toBe(401);
    expect((await as(sys, cast.admin)('GET', `/api/goal-reviews/${firstId}`)).status).toBe(200);
    closed = { registrationId: id, first: firstId, second: secondId };
  });

  test('When a filter, sort or id is malformed, then 400 with the field named (or 404 for an id), and no 500', async () => {
    const staff = as(sys, cast.staff);
    const bad = await staff('GET', `/api/goal-reviews?filter=${q({ status: 'lost', dueBefore: 'tomorrow' })}`);
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['filter.dueBefore', 'filter.status']);
    expect(bad.body.errors['filter.status']).toBeTruthy();
    expect((await staff('GET', `/api/goal-reviews?filter=${q({ unknown: 1 })}`)).status).toBe(400);
    const nul = await staff('GET', `/api/goal-reviews?filter=${q({ q: 'a\u0000b' })}`);
    expect(nul.status).toBe(400);
    expect(nul.body.errors['filter.q']).toMatch(/control character/);
    expect((await staff('GET', `/api/goal-reviews?range=${q([0, 5000])}`)).status).toBe(400);
    expect((await staff('GET', `/api/goal-reviews?sort=${q(['password', 'ASC'])}`)).body.errors.sort).toMatch(/Cannot sort/);
    expect((await staff('GET', '/api/goal-reviews/not-a-uuid')).status).toBe(404);
    expect((await staff('GET', '/api/goal-reviews/%00')).status).toBe(400);
  });
});

describe('The printed 周期评估报告', () => {
  test('When the second review of a rectified registration is printed, then pdftotext finds every label and value, and the page renders', async () => {
    if (!closed) throw new Error('the two-cycle test did not complete');
    const res = await fetch(`${sys.baseUrl}/api/goal-reviews/${closed.second}/report.pdf`, { headers: { authorization: `Bearer ${tokenFor(sys.config, cast.leader)}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(ARTIFACTS, 'review-report.pdf');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoS\w+CJK/);

    const registration = (await as(sys, cast.staff)('GET', `/api/registrations/${closed.registrationId}`)).body;
    const signature = await sys.db('signatures').where({ id: registration.signatureId }).first();
    const squash = (s: string) => s.replace(/\s+/g, '');
    const expected = [
      REVIEW_LABELS.title,
      REVIEW_LABELS.allianceName,
      registration.name,
      REVIEW_LABELS.leadSchool,
      cast.school.name,
      REVIEW_LABELS.cycle,
      '第2次评估（整改后复评）',
      REVIEW_LABELS.cycleDates,
      REVIEW_LABELS.approvedOn,
      REVIEW_LABELS.openedOn,
      REVIEW_LABELS.rectificationDue,
      ...registration.goals.flatMap((g: any) => [g.title, ...(g.measures ? [g.measures] : [])]),
      REVIEW_LABELS.promise,
      REVIEW_LABELS.report,
      REVIEW_LABELS.rating,
      '第二轮：目标1已达成',
      '通过（首次评估：不通过）',
      REVIEW_LABELS.previous,
      '家长学校未建立。',
      REVIEW_LABELS.overall,
      REVIEW_LABELS.comment,
      '整改到位，同意通过。',
      REVIEW_LABELS.ratedBy,
      cast.bureau.name,
      REVIEW_LABELS.digest,
      signature.contentHash,
    ];
    for (const value of expected) expect(text).toContain(squash(value));

    // Rendered for a person to look at: test-artifacts/print/review-report-1.png
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(ARTIFACTS, 'review-report')]);
    expect(fs.statSync(path.join(ARTIFACTS, 'review-report-1.png')).size).toBeGreaterThan(10_000);

    const html = await fetch(`${sys.baseUrl}/api/goal-reviews/${closed.first}/print`, { headers: { authorization: `Bearer ${tokenFor(sys.config, cast.bureau)}` } });
    expect(html.status).toBe(200);
    const page = await html.text();
    fs.writeFileSync(path.join(ARTIFACTS, 'review-report.html'), page);
    expect(page).toContain(REVIEW_LABELS.title);
    expect(page).toContain('第 1 次评估（首次评估）');
    expect(page).toContain('家长学校未建立。');
    expect(page).toContain(signature.contentHash);
  });
});

describe('GET /api/goal-reviews/planning', () => {
  test('When reviews fall due within the horizon or a registration is in rectification, then the bureau sees them, with outcomes by school and year and a CSV with Chinese headers', async () => {
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const outcomeOf = (plan: any) => plan.outcomes.find((o: any) => o.schoolId === cast.school.id && o.year === year) ?? { passed: 0, conditional: 0, failed: 0, total: 0 };
    const before = outcomeOf((await as(sys, cast.bureau)('GET', '/api/goal-reviews/planning?days=30')).body);

    // One alliance whose review falls due in 60 days, one in rectification for an hour.
    const dueSoon = await throughSigning(sys, cast);
    await setPolicyRow(sys.db, 'review_period', { dueSeconds: 60 * 24 * 3600 });
    await act(sys, cast.bureau, dueSoon, 'bureau_approval', 'approve');
    const rectifying = await approvedWithReviewIn(2, 3600);
    const goals = await goalIdsOf(sys.db, rectifying);
    await waitForTask(rectifying, 'goal_report', 1);
    await act(sys, cast.staff, rectifying, 'goal_report', 'report', { payload: { goals: goals.map((goalId) => ({ goalId, status: 'in_progress', narrative: '推进中', evidenceFileIds: [] })) } });
    await act(sys, cast.bureau, rectifying, 'goal_rating', 'rate', { comment: '需整改。', payload: { ratings: goals.map((goalId) => ({ goalId, rating: 'fail' })), overall: 'fail' } });

    const bureau = as(sys, cast.bureau);
    const in30 = (await bureau('GET', '/api/goal-reviews/planning?days=30')).body;
    const in90 = (await bureau('GET', '/api/goal-reviews/planning?days=90')).body;
    expect(in30.upcoming.map((u: any) => u.registrationId)).not.toContain(dueSoon);
    const soon = in90.upcoming.find((u: any) => u.registrationId === dueSoon);
    expect(soon).toMatchObject({ status: 'active', cycle: 1, schoolName: cast.school.name, daysLeft: 60 });
    const rect = in90.rectification.find((r: any) => r.registrationId === rectifying);
    expect(rect).toMatchObject({ comment: '需整改。', daysLeft: 1 });
    expect(Date.parse(rect.rectificationDueAt) - Date.parse(rect.failedAt)).toBe(3600 * 1000);
    // The second cycle of the rectifying registration is what falls due next.
    expect(in30.upcoming.find((u: any) => u.registrationId === rectifying)).toMatchObject({ status: 'rectification', cycle: 2 });

    // The failed review counts in this school's outcomes of this year.
    expect(outcomeOf(in90)).toMatchObject({ schoolName: cast.school.name, passed: before.passed, conditional: before.conditional, failed: before.failed + 1, total: before.total + 1 });

    const csv = await fetch(`${sys.baseUrl}/api/goal-reviews/planning.csv?days=90&section=rectification`, { headers: { authorization: `Bearer ${tokenFor(sys.config, cast.bureau)}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split(/\r?\n/);
    expect(lines[0]).toBe('教联体名称,牵头学校,评估未通过日期,教育局意见,整改期限,剩余天数');
    expect(lines.some((l) => l.includes('需整改。') && l.includes(cast.school.name))).toBe(true);
    const outcomesCsv = await fetch(`${sys.baseUrl}/api/goal-reviews/planning.csv?section=outcomes`, { headers: { authorization: `Bearer ${tokenFor(sys.config, cast.admin)}` } });
    expect((await outcomesCsv.text()).split(/\r?\n/)[0]).toBe('牵头学校,年度,通过,有条件通过,不通过,合计');
    // The same section as .xlsx, the district's export format: Chinese headers, the school's row.
    const xlsx = await fetch(`${sys.baseUrl}/api/goal-reviews/planning.xlsx?days=90&section=rectification`, { headers: { authorization: `Bearer ${tokenFor(sys.config, cast.bureau)}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const rows = book.worksheets[0].getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows[0]).toEqual(['教联体名称', '牵头学校', '评估未通过日期', '教育局意见', '整改期限', '剩余天数']);
    expect(rows.some((r) => r.includes('需整改。') && r.includes(cast.school.name))).toBe(true);

    // Only the bureau and administrators plan; another district's bureau sees none of this district.
    expect((await as(sys, cast.staff)('GET', '/api/goal-reviews/planning')).status).toBe(403);
    expect((await as(sys, cast.principal)('GET', '/api/goal-reviews/planning.csv')).status).toBe(403);
    const outsider = await createSchoolWithStaff(sys.db);
    const otherBureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: outsider.school.districtId });
    const theirs = (await as(sys, otherBureau)('GET', '/api/goal-reviews/planning?days=180')).body;
    expect([...theirs.upcoming, ...theirs.rectification].map((r: any) => r.registrationId)).not.toContain(rectifying);
    expect(theirs.outcomes.find((o: any) => o.schoolId === cast.school.id)).toBeUndefined();
    const bad = await bureau('GET', '/api/goal-reviews/planning?days=45');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.days).toMatch(/30, 90, 180/);
  });
});
