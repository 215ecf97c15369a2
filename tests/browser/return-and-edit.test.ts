/**
 * A return in the browser: the leader returns the draft with a reason; the drafter sees why on the
 * timeline, edits (a duplicate member name is refused under its row), and resubmits.
 */
import type { Page } from 'playwright-core';
import { createSchoolWithStaff, DEFAULT_TEST_PASSWORD, validRegistrationBody } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { ensureConsoleBuilt, launchBrowser, openPage, screenshot, signIn, signOut, type BrowserSession, type WatchedPage } from './support';

jest.setTimeout(240_000);

let sys: TestSystem;
let browser: BrowserSession;
let people: Awaited<ReturnType<typeof createSchoolWithStaff>>;
let watched: WatchedPage;
let page: Page;
let registrationId: string;
const name = `返回修改测试教联体 ${Date.now().toString(36)}`;
const reason = '成员单位简介不完整，请补充后重新提交。';

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem();
  people = await createSchoolWithStaff(sys.db);
  const token = tokenFor(sys.config, people.staff);
  const created = await api(sys, 'POST', '/api/registrations', { token, body: validRegistrationBody({ name }) });
  expect(created.status).toBe(201);
  registrationId = created.body.id;
  expect((await api(sys, 'POST', `/api/registrations/${registrationId}/submit`, { token })).status).toBe(200);
  browser = await launchBrowser();
  watched = await openPage(browser);
  page = watched.page;
});

afterAll(async () => {
  await browser?.close();
  await sys?.close();
});


/** Nothing can swallow a click: a kept-mounted menu that is closed carries MuiModal-hidden; one still open or closing does not. */
async function settled(page: Page) {
  await page.waitForFunction(() => !document.querySelector('.MuiModal-root:not(.MuiModal-hidden), .RaLoadingIndicator-loader'));
}

/**
 * Opens a tab of the show page once nothing can swallow the click: no menu, popover or dialog
 * open or still closing (a closing one keeps its invisible backdrop over the page), and no fetch in flight
 * (its re-render re-mounts the tabs under the pointer); then waits until the tab is selected.
 * Under load the filter menu's exit and the record's refetch both outlast a bare click.
 */
async function openTab(page: Page, name: string) {
  await settled(page);
  const tab = page.getByRole('tab', { name });
  await tab.click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

describe('Returning a registration for revision', () => {
  test('When the leader returns the draft with a reason, then it goes back to the drafter as a draft', async () => {
    await signIn(page, sys.baseUrl, people.leader.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/tasks`);
    const row = page.locator('tr', { hasText: name });
    for (let i = 0; i < 30 && !(await row.count()); i++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: '刷新' }).click();
    }
    await row.getByTestId('open-opinion').click();
    // A return without a reason is refused in the dialog before anything is sent.
    await page.getByRole('button', { name: '退回', exact: true }).click();
    await page.getByText('退回或不予批准须填写理由').waitFor();
    await page.locator('textarea[name="opinion"]').fill(reason);
    await page.getByRole('button', { name: '退回', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    await expect(sys.db('registrations').where({ id: registrationId }).first('status')).resolves.toEqual({ status: 'draft' });
    await signOut(page);
  });

  test('When the drafter edits the returned draft, then a duplicate member shows under its row, and the fixed draft is resubmitted', async () => {
    await signIn(page, sys.baseUrl, people.staff.username, DEFAULT_TEST_PASSWORD);
    // The drafter's 待办 holds it, as returned, with the reason.
    await page.goto(`${sys.baseUrl}/#/tasks`);
    const item = page.locator('tr', { hasText: name });
    await item.getByTestId('returned-chip').waitFor();
    await item.getByTestId('returned-reason').getByText(reason, { exact: false }).waitFor();
    expect(await page.getByTestId('count-todo').textContent()).toBe('1');
    await screenshot(page, 'returned-in-drafter-inbox');
    // The list finds it among the drafts.
    await page.getByRole('menuitem', { name: '教联体登记' }).click();
    await page.getByRole('combobox', { name: '状态' }).click();
    await page.getByRole('option', { name: '草稿' }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await page.locator('tr', { hasText: name }).locator('[data-status="draft"]').waitFor();
    await screenshot(page, 'drafts-list');
    // The list writes its filter to the address after a debounce; a row clicked before that is
    // followed by the list's own navigation back to itself. And the status menu's closing backdrop
    // would take the click on the row.
    await page.waitForURL(/filter=[^&]*draft/);
    await settled(page);
    await page.locator('tr', { hasText: name }).click();
    // Returned, not a fresh draft: 已退回, and no valid-signature badge (the reason: in the 待办 above and the timeline below).
    await page.waitForURL(/\/show$/);
    await page.locator('[data-status="draft"][data-returned="yes"]').first().getByText('已退回').waitFor();
    await screenshot(page, 'returned-show');
    expect(await page.locator('[data-testid="signature-verdict"][data-verdict="valid"]').count()).toBe(0);
    await openTab(page, '办理进程');
    await page.getByTestId('timeline').getByText(reason).waitFor();
    await page.getByTestId('timeline').getByText(/牵头学校意见 · 退回修改/).waitFor();
    await screenshot(page, 'returned-timeline');

    await page.getByRole('link', { name: '编辑' }).click();
    await page.getByRole('tab', { name: '成员单位、成员' }).click();
    const third = page.locator('input[name="memberUnits.2.name"]');
    await third.fill('城东街道幸福社区');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('.MuiFormControl-root', { has: third }).getByText('成员单位名称重复').waitFor();
    await screenshot(page, 'edit-duplicate-member');

    await third.fill('家长委员会（一年级）');
    await page.locator('textarea[name="memberUnits.2.profile"]').fill('组织一年级家长参加家庭教育指导活动，补充完整的成员简介。');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/show$/);
    await page.getByTestId('submit-registration').click();
    await page.getByTestId('confirm-submit').click();
    await page.locator('[data-status="lead_school_opinion"]').first().waitFor();
    const stored = await sys.db('memberUnits').where({ registrationId }).orderBy('position').pluck('name');
    expect(stored[2]).toBe('家长委员会（一年级）');
    await screenshot(page, 'resubmitted-before-tab');
    await openTab(page, '办理进程');
    await page.getByTestId('timeline').getByText(/^重新提交 · /).waitFor();
    await screenshot(page, 'resubmitted');
    await signOut(page);
    expect(watched.unexpectedProblems([/status of 400/, /^http 400: PUT .*\/api\/registrations\/[0-9a-f-]{36}$/])).toEqual([]);
  });
});
