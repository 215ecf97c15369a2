/**
 * The review page in the console: a second review (after a failed first one and rectification)
 * shows the goals side by side with the evidence inline and both cycles on the timeline; the
 * school sees it without a rating form; the bureau rates it from the page. Then the bureau's
 * planning view. Screens in Chinese and English, at desktop size and at 390×844.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { signaturePng } from '../signing/support';
import { act, createCast, eventually, goalIdsOf, openTaskOf, restoreDefaultPolicies, setPolicyRow, throughSigning, type Cast } from '../workflow/support';
import { ensureConsoleBuilt, launchBrowser, openPage, screenshot, signIn, signOut, type BrowserSession, type WatchedPage } from './support';

jest.setTimeout(300_000);

let sys: TestSystem;
let cast: Cast;
let browser: BrowserSession;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem({ isolatedDatabase: {} }); // review periods are shortened: policies are global
  cast = await createCast(sys.db);
  browser = await launchBrowser();
  watched = await openPage(browser);
  page = watched.page;
});
afterAll(async () => {
  await restoreDefaultPolicies(sys.db);
  await browser?.close();
  await sys?.close();
});

const waitForTask = (id: string, step: 'goal_report' | 'goal_rating', round: number) =>
  eventually(async () => {
    const t = await openTaskOf(sys.db, id, step);
    return t && t.round === round ? t : null;
  }, 20_000, `${step} round ${round}`);

/** A registration whose first review failed (the first goal failed, the second passed): the school is to report again. */
async function secondReviewAwaitingReport(): Promise<{ registrationId: string; name: string; goals: string[] }> {
  const id = await throughSigning(sys, cast);
  await setPolicyRow(sys.db, 'review_period', { dueSeconds: 2 });
  await setPolicyRow(sys.db, 'rectification_period', { dueSeconds: 2 });
  await act(sys, cast.bureau, id, 'bureau_approval', 'approve');
  const goals = await goalIdsOf(sys.db, id);
  await waitForTask(id, 'goal_report', 1);
  await act(sys, cast.staff, id, 'goal_report', 'report', { payload: { goals: goals.map((goalId) => ({ goalId, status: 'in_progress', narrative: '首轮：仍在推进', evidenceFileIds: [] })) } });
  await act(sys, cast.bureau, id, 'goal_rating', 'rate', { comment: '家长学校尚未挂牌，请整改。', payload: { ratings: [{ goalId: goals[0], rating: 'fail' }, { goalId: goals[1], rating: 'pass' }], overall: 'fail' } });
  await waitForTask(id, 'goal_report', 2);
  await restoreDefaultPolicies(sys.db);
  const { name } = await sys.db('registrations').where({ id }).first('name');
  return { registrationId: id, name, goals };
}

async function choose(testId: string, option: string) {
  await page.locator(`[data-testid="${testId}"] [role="combobox"]`).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('The goal review page', () => {
  let review: Awaited<ReturnType<typeof secondReviewAwaitingReport>> & { reviewId: string };

  test('When the school reports its second review from the inbox, then the dialog shows the previous ratings and the report reaches the review', async () => {
    const prepared = await secondReviewAwaitingReport();
    await signIn(page, sys.baseUrl, cast.staff.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/tasks`);
    const row = page.locator('tr', { hasText: prepared.name }).first();
    await row.getByRole('button', { name: '填写自评' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-testid="previous-review"]', { hasText: '家长学校尚未挂牌，请整改。' }).waitFor();
    expect(await dialog.locator('[data-testid="previous-rating"] [data-rating]').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-rating')))).toEqual(['fail', 'pass']);
    for (const i of [0, 1]) {
      await dialog.getByRole('combobox').nth(i).click();
      await page.getByRole('option', { name: '已达成', exact: true }).click();
      await dialog.locator('textarea:not([aria-hidden])').nth(i).fill(`复评：目标 ${i + 1} 已达成，家长学校已挂牌`);
    }
    await dialog.locator('input[type="file"]').first().setInputFiles({ name: 'workshop.png', mimeType: 'image/png', buffer: signaturePng(480, 300) });
    await dialog.getByText('佐证材料（图片）：1').waitFor();
    await screenshot(page, 'report-dialog-zh');
    await dialog.getByRole('button', { name: '填写自评' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForTask(prepared.registrationId, 'goal_rating', 2);
    const second = await sys.db('goalReviews').where({ registrationId: prepared.registrationId, cycle: 2 }).first();
    expect(second).toMatchObject({ status: 'rating', reportedBy: cast.staff.id });
    review = { ...prepared, reviewId: second.id };
    await signOut(page);
  });

  test('When the school opens its second review, then it sees promise, report and rating side by side, both cycles, and no rating form', async () => {
    await signIn(page, sys.baseUrl, cast.staff.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/goal-reviews/${review.reviewId}/show`);
    await page.locator('[data-testid="goals-side-by-side"]').waitFor();
    await page.getByText('复评：目标 1 已达成，家长学校已挂牌').waitFor();
    expect(await page.locator('[data-testid="review-goal"]').count()).toBe(2);
    await page.getByText('上次评级：不通过').waitFor();
    const timeline = page.locator('[data-testid="review-timeline"]');
    await timeline.getByText('第 1 次评估 · 教育局评级 · 不通过', { exact: false }).waitFor();
    await timeline.getByText('家长学校尚未挂牌，请整改。').waitFor();
    await timeline.getByText('第 2 次评估（本次） · 学校提交自评', { exact: false }).waitFor();
    expect(await page.locator('[data-testid="rating-panel"]').count()).toBe(0);
    await signOut(page);
  });

  test('When the bureau opens the review from the list, then the evidence opens inline and it rates the review from the page', async () => {
    await signIn(page, sys.baseUrl, cast.bureau.username, DEFAULT_TEST_PASSWORD);
    await page.getByRole('menuitem', { name: '周期评估' }).click();
    await page.locator('tr', { hasText: '待教育局评级' }).first().click();
    await page.waitForURL((url) => url.hash.includes(`/goal-reviews/${review.reviewId}/show`));
    await page.locator('[data-testid="rating-panel"]').waitFor();

    // The evidence image shows as a thumbnail and enlarges in a dialog.
    const thumb = page.locator('[data-testid="evidence"] img').first();
    await thumb.waitFor();
    expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
    await screenshot(page, 'review-page-zh');
    await page.locator('[data-testid="evidence"] button').first().click();
    const preview = page.getByRole('dialog');
    await preview.getByText('佐证材料预览').waitFor();
    await preview.locator('img').waitFor();
    await preview.getByRole('button', { name: '关闭' }).click();
    await preview.waitFor({ state: 'hidden' });

    await choose('rating-0', '通过');
    await choose('rating-1', '有条件通过');
    await choose('overall', '有条件通过');
    await page.locator('[data-testid="rating-panel"] textarea[name="comment"]').fill('整改到位，第二项目标需持续跟进。');
    await page.locator('[data-testid="rating-panel"]').getByRole('button', { name: '评估评级' }).click();

    await page.locator('[data-review-status="conditional"]').waitFor();
    await page.locator('[data-testid="review-comment"]', { hasText: '整改到位，第二项目标需持续跟进。' }).waitFor();
    expect(await page.locator('[data-testid="rating-panel"]').count()).toBe(0);
    const stored = await sys.db('goalReviews').where({ id: review.reviewId }).first();
    expect(stored).toMatchObject({ status: 'conditional', overall: 'conditional', ratedBy: cast.bureau.id, comment: '整改到位，第二项目标需持续跟进。' });
    const items = await sys.db('goalReviewItems').where({ reviewId: review.reviewId });
    expect(Object.fromEntries(items.map((i: any) => [i.goalId, i.rating]))).toEqual({ [review.goals[0]]: 'pass', [review.goals[1]]: 'conditional' });
    await eventually(async () => (await sys.db('registrations').where({ id: review.registrationId }).first()).status === 'closed', 10_000, 'the registration closed');
    await screenshot(page, 'review-page-rated-zh');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('[data-testid="goals-side-by-side"]').waitFor();
    await screenshot(page, 'review-page-rated-390');
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  test('When the bureau opens the planning view, then it shows the outcomes by school and year, in Chinese and in English', async () => {
    await page.goto(`${sys.baseUrl}/#/review-planning`);
    const planning = page.locator('[data-testid="review-planning"]');
    await planning.getByText('各校评估结果（按年度）').waitFor();
    const outcome = planning.locator('tr', { hasText: cast.school.name });
    await outcome.first().waitFor();
    // One failed and one conditional review of this school this year: 0 | 1 | 1 | 2.
    expect((await outcome.first().locator('td').allInnerTexts()).slice(2)).toEqual(['0', '1', '1', '2']);
    await screenshot(page, 'planning-zh');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'planning-390');
    await page.setViewportSize({ width: 1400, height: 900 });

    await page.getByRole('button', { name: /语言|中文/ }).first().click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await planning.getByText('Outcomes by school and year').waitFor();
    await screenshot(page, 'planning-en');
    await page.goto(`${sys.baseUrl}/#/goal-reviews/${review.reviewId}/show`);
    await page.getByText('Promised at registration').first().waitFor();
    await page.getByText('Passed with conditions').first().waitFor();
    await screenshot(page, 'review-page-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'review-page-en-390');
    await page.goto(`${sys.baseUrl}/#/goal-reviews`);
    await page.getByText('Passed with conditions').first().waitFor();
    await screenshot(page, 'review-list-en-390');
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByRole('button', { name: /Language|English/ }).first().click();
    await page.getByRole('menuitem', { name: '中文' }).click();

    expect(watched.unexpectedProblems()).toEqual([]);
  });
});
