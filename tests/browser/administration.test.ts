/**
 * Administrators' settings in the browser: an extra form field appears in the registration form
 * without a code change; a deadline change reports how many registrations in flight it moves (and shows it done);
 * a principal never sees the settings; the dashboard counts.
 */
import type { Page } from 'playwright-core';
import { createSchoolWithStaff, createUser, DEFAULT_TEST_PASSWORD, validRegistrationBody } from '../support/fixtures';
import { api, currentTokenFor, startSystem, type TestSystem } from '../support/harness';
import { clickUntilShown, ensureConsoleBuilt, launchBrowser, openPage, screenshot, signIn, signOut, type BrowserSession, type WatchedPage } from './support';

jest.setTimeout(240_000);

let sys: TestSystem;
let browser: BrowserSession;
let people: Awaited<ReturnType<typeof createSchoolWithStaff>>;
let admin: Awaited<ReturnType<typeof createUser>>;
let bureau: Awaited<ReturnType<typeof createUser>>;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  await ensureConsoleBuilt();
  // Settings are global (form fields, policies): this suite runs on a database of its own.
  sys = await startSystem({ isolatedDatabase: {} });
  people = await createSchoolWithStaff(sys.db);
  admin = await createUser(sys.db, { roles: ['admin'] });
  bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: people.school.districtId });
  browser = await launchBrowser();
  watched = await openPage(browser);
  page = watched.page;
});

afterAll(async () => {
  // Extra fields are global: leave none behind for other test files sharing the database.
  await sys?.db('formFields').where('key', 'like', 'browserTest%').del();
  await browser?.close();
  await sys?.close();
});

/** A submitted registration whose lead-school opinion task is open (its timer is in flight). */
async function registrationInFlight(): Promise<string> {
  const token = await currentTokenFor(sys, people.staff);
  const created = await api(sys, 'POST', '/api/registrations', { token, body: validRegistrationBody() });
  expect(created.status).toBe(201);
  expect((await api(sys, 'POST', `/api/registrations/${created.body.id}/submit`, { token })).status).toBe(200);
  for (let i = 0; i < 40; i++) {
    const open = await sys.db('tasks').where({ registrationId: created.body.id, step: 'lead_school_opinion', status: 'open' }).first('id');
    if (open) return created.body.id;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the lead-school opinion task never opened');
}

describe('Administration in the console', () => {
  const key = `browserTest${Date.now().toString(36)}`;

  afterEach(async () => {
    // Whatever happened, the next test starts signed out (a failure above stays the one reported).
    if (await page.evaluate(() => localStorage.getItem('jlt.session') !== null)) {
      await signOut(page).catch(() => page.evaluate(() => localStorage.removeItem('jlt.session')));
    }
  });

  test('When an administrator defines an extra field, then the registration form shows it without a code change', async () => {
    await signIn(page, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/form-fields/create`);
    await page.locator('input[name="key"]').fill(key);
    await page.locator('input[name="labelZh"]').fill('学段覆盖');
    await page.locator('input[name="labelEn"]').fill('School stages covered');
    await page.getByRole('combobox', { name: '类型' }).click();
    await page.getByRole('option', { name: '下拉选择' }).click();
    await page.locator('.ra-input-options').getByRole('button', { name: '添加' }).click();
    await page.locator('input[name="options.0.value"]').fill('primary');
    await page.locator('input[name="options.0.labelZh"]').fill('小学');
    await page.locator('input[name="options.0.labelEn"]').fill('Primary');
    await screenshot(page, 'admin-form-field');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/#\/form-fields$/);
    await page.getByRole('cell', { name: key }).waitFor();
    await signOut(page);

    await signIn(page, sys.baseUrl, people.staff.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/registrations/create`);
    await page.getByRole('tab', { name: '备注与补充信息' }).click();
    await page.getByLabel('学段覆盖').waitFor();
    await screenshot(page, 'staff-extra-field');
    await signOut(page);
  });

  test('When an administrator saves a step deadline, then the console says how many registrations in flight it moves and shows the move reaching them', async () => {
    // This suite has a database of its own, so the one registration in flight is the only one moved.
    await registrationInFlight();
    const before = await sys.db('deadlinePolicies').where({ step: 'lead_school_opinion' }).first('dueSeconds');
    const audited = async () => Number((await sys.db('auditEvents').where({ action: 'deadline_policy.updated', actorId: admin.id }).count({ n: '*' }).first())?.n);
    const auditedBefore = await audited();
    await signIn(page, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
    await page.getByRole('menuitem', { name: '期限策略' }).click();
    await clickUntilShown(page.getByRole('cell', { name: '牵头学校意见' }), page.locator('input[name="dueSeconds"]'));
    // Seconds are edited as an amount and a unit: 3 days show as "3" 天.
    const days = before.dueSeconds / 86400;
    expect(Number.isInteger(days)).toBe(true);
    await expect(page.locator('input[name="dueSeconds"]').inputValue()).resolves.toBe(String(days));
    await page.locator('input[name="dueSeconds"]').fill(String(days + 2));
    await page.getByRole('button', { name: '保存' }).click();
    const toast = page.getByText(/^已保存。\d+ 个进行中的登记正按新期限调整。$/);
    await toast.waitFor();
    const moved = Number(/(\d+) 个/.exec((await toast.textContent())!)![1]);
    expect(moved).toBe(1);
    // The move itself is carried out in the background; the page shows it reaching that registration.
    const progress = page.getByTestId('policy-propagation');
    await progress.getByText(/牵头学校意见（第 \d+ 次调整）：已调整 1 \/ 1/).waitFor();
    await progress.getByText('已完成').first().waitFor();
    await screenshot(page, 'admin-deadline-moved');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'admin-deadline-moved-phone');
    await page.setViewportSize({ width: 1400, height: 900 });
    expect(await audited()).toBe(auditedBefore + 1);
    expect((await sys.db('deadlinePolicies').where({ step: 'lead_school_opinion' }).first('dueSeconds')).dueSeconds).toBe(before.dueSeconds + 2 * 86400);
    await signOut(page);
  });

  test('When a principal signs in, then no administrators’ settings are offered, not even by address', async () => {
    await signIn(page, sys.baseUrl, people.principal.username, DEFAULT_TEST_PASSWORD);
    await page.getByRole('menuitem', { name: '待办' }).waitFor();
    for (const settings of ['用户', '学校', '登记表补充字段', '期限策略', '审计日志']) {
      expect(await page.getByRole('menuitem', { name: settings, exact: true }).count()).toBe(0);
    }
    await page.goto(`${sys.baseUrl}/#/users`);
    await page.getByText('无权访问').first().waitFor();
    await screenshot(page, 'principal-no-settings');
    await signOut(page);
  });

  test('When the bureau opens the dashboard, then it counts registrations by status and the overdue tasks', async () => {
    await signIn(page, sys.baseUrl, bureau.username, DEFAULT_TEST_PASSWORD);
    const inOpinion = await sys.db('registrations as r').join('schools as s', 's.id', 'r.schoolId').where({ 'r.status': 'lead_school_opinion', 's.districtId': people.school.districtId }).count({ n: '*' }).first();
    await page.locator('[data-status-count="lead_school_opinion"]').getByText(String(inOpinion?.n), { exact: true }).waitFor();
    await page.getByTestId('dash-overdue-value').waitFor();
    await screenshot(page, 'bureau-dashboard');
    await signOut(page);
    expect(watched.unexpectedProblems()).toEqual([]);
  });
});
