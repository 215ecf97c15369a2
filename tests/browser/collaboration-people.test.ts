/**
 * Tasks for people in the console: the leader transfers the opinion task to a colleague (转交) on a
 * desktop, and the drafter urges it (催办) on a phone (390×844). Both read in the timeline; the
 * urge dialog then says when urging is next allowed.
 */
import type { Page } from 'playwright-core';
import { createUser, DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { createCast, draftRegistration, eventually, openTaskOf, registrationRow, submit, type Cast } from '../workflow/support';
import { ensureConsoleBuilt, horizontalOverflow, launchBrowser, openPage, PHONE, screenshot, signIn, signOut, unnamedButtons, type BrowserSession, type WatchedPage } from './support';

jest.setTimeout(300_000);

let sys: TestSystem;
let cast: Cast;
let colleague: Awaited<ReturnType<typeof createUser>>;
let desktop: BrowserSession;
let phone: BrowserSession;
let registrationId: string;
let name: string;
let taskId: string;

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem();
  cast = await createCast(sys.db);
  colleague = await createUser(sys.db, { roles: ['lead_school_leader'], schoolId: cast.school.id, name: '副校长乙' });
  registrationId = await draftRegistration(sys, cast.staff);
  name = (await registrationRow(sys.db, registrationId)).name;
  expect((await submit(sys, cast.staff, registrationId)).status).toBe(200);
  taskId = (await openTaskOf(sys.db, registrationId, 'lead_school_opinion')).id;
  desktop = await launchBrowser({ viewport: { width: 1366, height: 900 } });
  phone = await launchBrowser({ ...PHONE });
});

afterAll(async () => {
  await desktop?.close();
  await phone?.close();
  await sys?.close();
});

async function settled(p: Page): Promise<void> {
  await p.locator('#react-admin-title').first().waitFor({ state: 'attached' });
  await p.waitForLoadState('networkidle');
}

/** The dialog has finished fading in (a screenshot mid-transition shows the page through it). */
async function dialogShown(p: Page): Promise<void> {
  await p.waitForFunction(() => {
    const c = document.querySelector('.MuiDialog-container');
    return !!c && getComputedStyle(c).opacity === '1';
  });
}

const showPage = () => `${sys.baseUrl}/#/registrations/${registrationId}/show`;

describe('Tasks for people in the console', () => {
  let watched: WatchedPage;

  test('When the leader transfers the opinion task to a colleague with a reason, then the colleague holds it and the timeline shows both people', async () => {
    watched = await openPage(desktop);
    const page = watched.page;
    await signIn(page, sys.baseUrl, cast.leader.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/tasks`);
    const row = page.locator('tr', { hasText: name });
    await row.first().waitFor();
    // The inbox names who holds the task: for now any lead-school leader.
    await expect(row.getByTestId('assignee').textContent()).resolves.toContain('牵头学校负责人');

    await page.goto(showPage());
    await settled(page);
    await page.getByTestId('open-transfer').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('transfer-to').click();
    const options = page.getByTestId('transfer-candidate');
    await options.first().waitFor();
    // Only those who may take it: the colleague, not the leader themselves nor the principal.
    expect(await options.allTextContents()).toEqual(['副校长乙']);
    await options.first().click();
    // Without a reason the dialog says so and sends nothing.
    await dialog.getByTestId('confirm-transfer').click();
    await dialog.getByText('请填写转交理由').waitFor();
    await dialog.getByTestId('transfer-reason').fill('本人外出培训，请代为出具意见');
    await dialogShown(page);
    await screenshot(page, 'desktop-transfer-dialog');
    await dialog.getByTestId('confirm-transfer').click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: '办理进程' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('副校长乙').first().waitFor();
    await expect(timeline.textContent()).resolves.toMatch(/转交.*→ 副校长乙/);
    await page.getByTestId('open-task-assignee').waitFor();
    await expect(page.getByTestId('open-task-assignee').textContent()).resolves.toContain('副校长乙');
    // The leader no longer holds it: no 转交, no 填写意见.
    await expect(page.getByTestId('open-transfer').count()).resolves.toBe(0);
    await screenshot(page, 'desktop-after-transfer');
    expect((await sys.db('tasks').where({ id: taskId }).first()).assigneeUserId).toBe(colleague.id);
    expect(watched.unexpectedProblems()).toEqual([]);
    await signOut(page);
  });

  test('When the drafter urges the task on a phone, then the colleague is notified, the timeline shows it, and the dialog then says when urging is next allowed', async () => {
    watched = await openPage(phone);
    const page = watched.page;
    await signIn(page, sys.baseUrl, cast.staff.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${showPage()}/process`);
    await settled(page);
    await page.getByTestId('timeline').waitFor();
    await screenshot(page, 'phone-registration-with-urge');
    expect((await horizontalOverflow(page)).scrollWidth).toBe(390);
    await page.getByTestId('open-urge').tap();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('assignee').textContent()).resolves.toContain('副校长乙');
    await dialog.getByTestId('urge-message').fill('下周一前需报送，请尽快出具意见');
    const box = (await dialog.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
    expect(await unnamedButtons(page)).toEqual([]);
    await dialogShown(page);
    await screenshot(page, 'phone-urge-dialog');
    await dialog.getByTestId('confirm-urge').tap();
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('timeline').getByText('下周一前需报送').waitFor();
    await eventually(async () => (await sys.db('notifications').where({ recipientUserId: colleague.id, kind: 'urged', taskId }).first()) ?? null, 10_000, 'the colleague notified');

    await page.getByTestId('open-urge').tap();
    await dialog.getByTestId('urge-next').waitFor();
    await expect(dialog.getByTestId('confirm-urge').isDisabled()).resolves.toBe(true);
    expect((await horizontalOverflow(page)).scrollWidth).toBe(390);
    await dialogShown(page);
    await screenshot(page, 'phone-urge-next-allowed');
    await dialog.getByRole('button', { name: '取消' }).tap();
    await screenshot(page, 'phone-timeline-after-urge');
    expect(watched.unexpectedProblems()).toEqual([]);
  });

  test('When the drafter opens 委托 from the user menu on a phone, then the delegations page offers only eligible delegates and the new delegation is listed as active', async () => {
    const page = watched.page;
    await page.locator('button[aria-label$="个人"], button[aria-label$="Profile"]').first().tap();
    await page.getByTestId('menu-delegations').tap();
    await page.waitForURL((url) => url.hash.startsWith('#/delegations'));
    await settled(page);
    await screenshot(page, 'phone-delegations-list');
    await page.goto(`${sys.baseUrl}/#/delegations/create`);
    await settled(page);
    expect((await horizontalOverflow(page)).scrollWidth).toBe(390);
    await page.getByRole('combobox', { name: /受托人/ }).tap();
    const options = page.getByRole('option');
    await options.first().waitFor();
    // Staff of the same school only: the colleague is offered, nobody of another school.
    const offered = await options.allTextContents();
    expect(offered).toEqual(expect.arrayContaining(['副校长乙', cast.leader.name]));
    expect(offered).not.toContain(cast.bureau.name);
    await page.getByRole('option', { name: '副校长乙' }).tap();
    await page.locator('textarea[name="reason"], input[name="reason"]').first().fill('外出学习一周');
    await screenshot(page, 'phone-delegation-create');
    await page.getByRole('button', { name: '保存' }).tap();
    await page.waitForURL((url) => url.hash === '#/delegations');
    await page.getByText(`${cast.staff.name} → 副校长乙`).waitFor();
    await page.getByText('生效中').first().waitFor();
    await settled(page);
    expect((await horizontalOverflow(page)).scrollWidth).toBe(390);
    await screenshot(page, 'phone-delegations-after-create');
    const stored = await sys.db('delegations').where({ fromUserId: cast.staff.id }).first();
    expect(stored).toMatchObject({ toUserId: colleague.id, reason: '外出学习一周' });
    expect(watched.unexpectedProblems()).toEqual([]);
  });
});
