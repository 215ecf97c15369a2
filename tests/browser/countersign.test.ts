/**
 * 会签 in the console: the administrator sets the bureau step to need both of two named approvers on
 * the deadline-policy page, each approver sees their own task, the registration page shows who has
 * approved and who is still to, and the step completes only after the second approval (taken on a
 * 390×844 phone, where 加签 is offered too).
 */
import type { Page } from 'playwright-core';
import { renderDemoStampPng, giveDemoStamps } from '../../domain/signing/demo-stamp';
import { createSchoolWithStaff, createUser, DEFAULT_TEST_PASSWORD, validRegistrationBody } from '../support/fixtures';
import { api, currentTokenFor, startSystem, type TestSystem } from '../support/harness';
import { ensureConsoleBuilt, horizontalOverflow, launchBrowser, openPage, PHONE, screenshot, signIn, signOut, type BrowserSession } from './support';

jest.setTimeout(300_000);

let sys: TestSystem;
let desktop: BrowserSession;
let phone: BrowserSession;
let people: Awaited<ReturnType<typeof createSchoolWithStaff>>;
let first: Awaited<ReturnType<typeof createUser>>;
let second: Awaited<ReturnType<typeof createUser>>;
let admin: Awaited<ReturnType<typeof createUser>>;
const stamp = Date.now().toString(36);

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem({ isolatedDatabase: {} }); // it changes deadline policies, which every suite reads
  people = await createSchoolWithStaff(sys.db);
  await giveDemoStamps(sys.db, [people.school.id]);
  first = await createUser(sys.db, { roles: ['bureau_approver'], districtId: people.school.districtId, name: `会签甲${stamp}` });
  second = await createUser(sys.db, { roles: ['bureau_approver'], districtId: people.school.districtId, name: `会签乙${stamp}` });
  admin = await createUser(sys.db, { roles: ['admin'] });
  desktop = await launchBrowser();
  phone = await launchBrowser({ ...PHONE });
});

afterAll(async () => {
  await sys?.db('deadlinePolicies').where({ step: 'bureau_approval' }).update({ approverMode: 'single', approverUserIds: JSON.stringify([]) });
  await desktop?.close();
  await phone?.close();
  await sys?.close();
});

/** A registration taken through the opinion and the signature by the API: it awaits the bureau. */
async function awaitingBureau(name: string): Promise<string> {
  const staffToken = await currentTokenFor(sys, people.staff);
  const created = await api(sys, 'POST', '/api/registrations', { token: staffToken, body: validRegistrationBody({ name }) });
  const id = created.body.id as string;
  expect((await api(sys, 'POST', `/api/registrations/${id}/submit`, { token: staffToken })).status).toBe(200);
  const act = async (token: string, step: string, body: unknown) => {
    const list = await api(sys, 'GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ registrationId: id, step, status: 'open' }))}`, { token });
    expect((await api(sys, 'POST', `/api/tasks/${list.body[0].id}/complete`, { token, body })).status).toBe(200);
  };
  await act(await currentTokenFor(sys, people.leader), 'lead_school_opinion', { action: 'opinion', payload: { opinion: '同意登记。' } });
  const signatureImage = `data:image/png;base64,${renderDemoStampPng('签名', 160).toString('base64')}`;
  await act(await currentTokenFor(sys, people.principal), 'principal_signature', { action: 'sign', payload: { signatureImage } });
  return id;
}

/** The open dialog has finished fading in (a screenshot mid-transition shows the page through it). */
async function settledDialog(page: Page) {
  await page.waitForFunction(() => {
    const paper = document.querySelector('.MuiDialog-paper');
    return !!paper && getComputedStyle(paper).opacity === '1' && getComputedStyle(paper.closest('.MuiDialog-container')!).opacity === '1';
  });
}

async function pickApprover(page: Page, name: string) {
  const input = page.getByRole('combobox', { name: '审批人' });
  await input.click();
  await input.fill(name);
  await page.getByRole('option', { name: new RegExp(name) }).click();
}

describe('A 会签 step with two bureau approvers', () => {
  const name = `会签教联体 ${stamp}`;
  let registrationId: string;

  test('When the administrator sets the bureau step to 会签 with two approvers on the policy page, then the policy names both', async () => {
    const { page } = await openPage(desktop);
    await signIn(page, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
    const policy = await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).first('id');
    await page.goto(`${sys.baseUrl}/#/deadline-policies/${policy.id}`);
    await page.getByLabel('审批方式').click();
    await page.getByRole('option', { name: '会签' }).click();
    await pickApprover(page, first.name);
    await pickApprover(page, second.name);
    await screenshot(page, 'policy-countersign-desktop');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/#\/deadline-policies$/);
    const row = await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).first('approverMode', 'approverUserIds');
    expect(row).toEqual({ approverMode: 'all', approverUserIds: [first.id, second.id] });
    await signOut(page);
    await page.close();
  });

  test('When the first approver approves in the inbox, then the registration still awaits the second, and its page shows who approved', async () => {
    registrationId = await awaitingBureau(name);
    const { page } = await openPage(desktop);
    await signIn(page, sys.baseUrl, first.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/tasks`);
    const row = page.locator('tr', { hasText: name });
    await row.waitFor();
    await row.getByTestId('open-add-approver').waitFor();
    await row.getByTestId('open-decision').click();
    await page.getByTestId('return-to').waitFor();
    await settledDialog(page);
    await screenshot(page, 'decision-dialog-desktop');
    await page.getByTestId('confirm-approve').click();
    await row.waitFor({ state: 'detached' });
    expect((await sys.db('registrations').where({ id: registrationId }).first('status')).status).toBe('bureau_approval');

    await page.goto(`${sys.baseUrl}/#/registrations/${registrationId}/show/process`);
    const approvers = page.getByTestId('parallel-approver');
    await approvers.first().waitFor();
    expect(await approvers.evaluateAll((chips) => chips.map((c) => [c.textContent, c.getAttribute('data-state')]))).toEqual([
      [`${first.name} · 已同意`, 'done'],
      [`${second.name} · 待审批`, 'open'],
    ]);
    await screenshot(page, 'registration-countersign-desktop');
    await signOut(page);
    await page.close();
  });

  test('When the second approver approves on a phone, then the step completes and the registration is active', async () => {
    const { page } = await openPage(phone);
    await signIn(page, sys.baseUrl, second.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/registrations/${registrationId}/show/process`);
    await page.getByTestId('parallel-approvers').waitFor();
    await screenshot(page, 'registration-countersign-phone');
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(390);

    await page.goto(`${sys.baseUrl}/#/tasks`);
    const card = page.locator(`[data-testid="task-card"][data-registration="${name}"]`);
    await card.waitFor();
    // 加签 is offered on the phone too: its dialog fits the screen.
    await card.getByTestId('open-add-approver').click();
    await page.getByTestId('add-approver-user').waitFor();
    await settledDialog(page);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(390);
    await screenshot(page, 'add-approver-phone');
    await page.getByRole('button', { name: '取消' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await card.getByTestId('open-decision').click();
    await settledDialog(page);
    await screenshot(page, 'decision-dialog-phone');
    await page.getByTestId('confirm-approve').click();
    await card.waitFor({ state: 'detached' });
    expect((await sys.db('registrations').where({ id: registrationId }).first('status')).status).toBe('active');
    const tasks = await sys.db('tasks').where({ registrationId, step: 'bureau_approval' }).orderBy('slot');
    expect(tasks.map((t: { completedBy: number; status: string }) => [t.completedBy, t.status])).toEqual([
      [first.id, 'done'],
      [second.id, 'done'],
    ]);
    await page.goto(`${sys.baseUrl}/#/registrations/${registrationId}/show`);
    await page.locator('[data-status="active"]').first().waitFor();
    await screenshot(page, 'registration-active-phone');
  });

  test('When an approver adds a colleague after themselves in the 加签 dialog, then the colleague is asked once the adder approved', async () => {
    await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).update({ approverMode: 'single', approverUserIds: JSON.stringify([]) });
    const single = `加签教联体 ${stamp}`;
    const id = await awaitingBureau(single);
    const { page } = await openPage(desktop);
    await signIn(page, sys.baseUrl, first.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/tasks`);
    const row = page.locator('tr', { hasText: single });
    await row.getByTestId('open-add-approver').click();
    await page.getByTestId('add-approver-user').getByRole('combobox').click();
    await page.getByRole('option', { name: new RegExp(second.name) }).click();
    await page.getByLabel('在我之后（我批准后由对方审批）').check();
    await page.getByTestId('add-approver-reason').fill('请分管领导复核');
    await settledDialog(page);
    await screenshot(page, 'add-approver-desktop');
    await page.getByTestId('confirm-add-approver').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const held = await sys.db('tasks').where({ registrationId: id, step: 'bureau_approval' }).select('assigneeUserId', 'status');
    expect(held).toEqual([{ assigneeUserId: first.id, status: 'open' }]);

    await row.getByTestId('open-decision').click();
    await page.getByTestId('confirm-approve').click();
    await row.waitFor({ state: 'detached' });
    const tasks = await sys.db('tasks').where({ registrationId: id, step: 'bureau_approval' }).orderBy('slot');
    expect(tasks.map((t: { assigneeUserId: number; status: string }) => [t.assigneeUserId, t.status])).toEqual([
      [first.id, 'done'],
      [second.id, 'open'],
    ]);
    await page.goto(`${sys.baseUrl}/#/registrations/${id}/show/process`);
    await page.getByTestId('parallel-approver').nth(1).waitFor();
    await screenshot(page, 'registration-added-after-desktop');
    await signOut(page);
  });
});
