/**
 * The whole approval chain in the browser: staff drafts and submits → the leader writes the
 * opinion → the principal signs with the school's stamp → the bureau approves in bulk → the
 * registration shows as active with a `valid` signature.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { renderDemoStampPng, giveDemoStamps } from '../../domain/signing/demo-stamp';
import { addDays, addYears, todayIn } from '../../domain/registrations/dates';
import { createSchoolWithStaff, createUser, DEFAULT_TEST_PASSWORD, validRegistrationBody } from '../support/fixtures';
import { api, currentTokenFor, startSystem, type TestSystem } from '../support/harness';
import { ensureConsoleBuilt, launchBrowser, openPage, screenshot, signIn, signOut, type BrowserSession, type WatchedPage } from './support';

jest.setTimeout(300_000);

let sys: TestSystem;
let browser: BrowserSession;
let people: Awaited<ReturnType<typeof createSchoolWithStaff>>;
let bureau: Awaited<ReturnType<typeof createUser>>;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem();
  people = await createSchoolWithStaff(sys.db);
  bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: people.school.districtId });
  await giveDemoStamps(sys.db, [people.school.id]);
  browser = await launchBrowser();
  watched = await openPage(browser);
  page = watched.page;
});

afterAll(async () => {
  await browser?.close();
  await sys?.close();
});

/** Reloads the inbox until a row for the registration appears (the worker projects tasks). */
async function openInboxRow(name: string) {
  await page.goto(`${sys.baseUrl}/#/tasks`);
  const row = page.locator('tr', { hasText: name });
  for (let i = 0; i < 30 && !(await row.count()); i++) {
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: '刷新' }).click();
  }
  await row.first().waitFor();
  return row.first();
}

/** A second registration taken to the bureau through the API, so the bureau has two to approve at once. */
async function secondRegistrationAwaitingBureau(): Promise<string> {
  const staffToken = await currentTokenFor(sys, people.staff);
  const created = await api(sys, 'POST', '/api/registrations', { token: staffToken, body: validRegistrationBody({ name: '第二个教联体（接口准备）' }) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await api(sys, 'POST', `/api/registrations/${id}/submit`, { token: staffToken })).status).toBe(200);
  const act = async (token: string, step: string, body: unknown) => {
    let task: { id: string } | undefined;
    for (let i = 0; i < 40 && !task; i++) {
      const list = await api(sys, 'GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ registrationId: id, step, status: 'open' }))}`, { token });
      task = list.body[0];
      if (!task) await new Promise((r) => setTimeout(r, 250));
    }
    expect(task).toBeDefined();
    expect((await api(sys, 'POST', `/api/tasks/${task!.id}/complete`, { token, body })).status).toBe(200);
  };
  await act(await currentTokenFor(sys, people.leader), 'lead_school_opinion', { action: 'opinion', payload: { opinion: '同意登记。' } });
  const signatureImage = `data:image/png;base64,${renderDemoStampPng('签名', 160).toString('base64')}`;
  await act(await currentTokenFor(sys, people.principal), 'principal_signature', { action: 'sign', payload: { signatureImage } });
  return id;
}

describe('The approval chain in the console', () => {
  const name = `阳光家校社教联体 ${Date.now().toString(36)}`;
  let registrationId: string;

  test('When the staff drafts the form and submits it, then it awaits the lead-school opinion', async () => {
    await signIn(page, sys.baseUrl, people.staff.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/registrations/create`);
    await page.locator('input[name="name"]').fill(name);
    await page.locator('input[name="legalRepresentative"]').fill('王校长');
    const formedOn = addDays(todayIn(), -30);
    await page.locator('input[name="formedOn"]').fill(formedOn);
    await page.getByRole('button', { name: '添加' }).first().click();
    await page.locator('input[name="memberSchools.0.name"]').fill('示范区第二实验小学');

    await page.getByRole('tab', { name: '成员单位、成员' }).click();
    const members = [
      { name: '城东派出所', type: '公安部门', typeSearch: '公安' },
      { name: '幸福社区', type: '街道社区', typeSearch: '街道社区' },
    ];
    for (const [i, m] of members.entries()) {
      await page.locator('.ra-input-memberUnits').getByRole('button', { name: '添加' }).last().click();
      await page.locator(`input[name="memberUnits.${i}.name"]`).fill(m.name);
      await page.locator(`input[name="memberUnits.${i}.partyType"]`).fill(m.typeSearch);
      await page.getByRole('option', { name: m.type, exact: true }).click();
      await page.locator(`input[name="memberUnits.${i}.contactPerson"]`).fill('联系人');
    }
    // The chosen type shows its duties from the catalog; coverage shows what is still missing.
    await page.getByTestId('party-duties').first().getByText('加强警校协同').waitFor();
    await page.locator('[data-category="department"][data-covered="yes"]').waitFor();
    await page.locator('[data-category="family"][data-covered="no"]').waitFor();
    await screenshot(page, 'flow-member-units');

    await page.getByRole('tab', { name: '基本情况介绍' }).click();
    await page.locator('textarea[name="introduction"]').fill('以牵头学校为核心，联合派出所和社区，形成家校社协同育人合力。');
    await page.getByRole('tab', { name: '周期建设目标' }).click();
    await page.locator('.ra-input-goals').getByRole('button', { name: '添加' }).last().click();
    await page.locator('input[name="goals.0.title"]').fill('建立家长学校');
    await page.locator('textarea[name="goals.0.measures"]').fill('每学期举办四次家庭教育讲座');
    await page.locator('input[name="goals.0.targetDate"]').fill(addYears(formedOn, 1));
    await page.getByRole('button', { name: '保存' }).click();

    await page.waitForURL(/#\/registrations\/[0-9a-f-]{36}\/show/);
    registrationId = /registrations\/([0-9a-f-]{36})\/show/.exec(page.url())![1];
    await page.locator('[data-status="draft"]').first().waitFor();
    await screenshot(page, 'flow-draft-saved');

    await page.getByTestId('submit-registration').click();
    // Submitting asks first, showing the form in brief.
    await page.getByTestId('registration-summary').getByText(name).first().waitFor();
    await page.getByTestId('confirm-submit').click();
    await page.locator('[data-status="lead_school_opinion"]').first().waitFor();
    await screenshot(page, 'flow-submitted');
    const row = await sys.db('registrations').where({ id: registrationId }).first('status', 'name');
    expect(row).toEqual({ status: 'lead_school_opinion', name });
    await signOut(page);
  });

  test('When the leader writes the opinion in the inbox, then it goes to the principal', async () => {
    await signIn(page, sys.baseUrl, people.leader.username, DEFAULT_TEST_PASSWORD);
    // The new task is announced in the app bar's notifications.
    await page.getByTestId('notifications-button').click();
    await page.getByRole('menuitem', { name: new RegExp(`^待办：牵头学校意见 — ${name}`) }).waitFor();
    await screenshot(page, 'flow-leader-notified');
    await page.keyboard.press('Escape');
    const row = await openInboxRow(name);
    await screenshot(page, 'flow-leader-inbox');
    await row.getByTestId('open-opinion').click();
    await page.locator('textarea[name="opinion"]').fill('同意该教联体登记，牵头学校将统筹推进。');
    await screenshot(page, 'flow-leader-opinion');
    await page.getByTestId('submit-opinion').click();
    await page.locator('tr', { hasText: name }).waitFor({ state: 'detached' });
    const reg = await sys.db('registrations').where({ id: registrationId }).first('status', 'leadSchoolOpinion');
    expect(reg.leadSchoolOpinion).toBe('同意该教联体登记，牵头学校将统筹推进。');
    await signOut(page);
  });

  test('When the principal draws a signature and confirms, then the form is signed with the school stamp', async () => {
    await signIn(page, sys.baseUrl, people.principal.username, DEFAULT_TEST_PASSWORD);
    const row = await openInboxRow(name);
    await row.getByTestId('open-sign').click();
    await page.getByTestId('school-stamp').locator('img').waitFor();
    const preview = page.frameLocator('[data-testid="sign-preview"]');
    await preview.getByText(name).first().waitFor();
    const pad = page.getByTestId('signature-pad');
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 30, box.y + box.height * 0.6);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 30 + i * 18, box.y + box.height * (0.6 - 0.3 * Math.sin(i / 2)), { steps: 3 });
    await page.mouse.up();
    await screenshot(page, 'flow-principal-sign');
    await page.getByTestId('confirm-sign').click();
    // The stamped form is shown before the principal confirms (signing cannot be undone).
    await page.frameLocator('[data-testid="stamped-preview"]').locator('img.stamp').waitFor();
    await screenshot(page, 'flow-principal-stamped-preview');
    await page.getByTestId('confirm-sign-stamped').click();
    await page.locator('tr', { hasText: name }).waitFor({ state: 'detached' });
    const reg = await sys.db('registrations').where({ id: registrationId }).first('signatureId');
    expect(reg.signatureId).not.toBeNull();
    await signOut(page);
  });

  test('When the bureau approves two registrations at once, then both are active, each reported in the results', async () => {
    const secondId = await secondRegistrationAwaitingBureau();
    await signIn(page, sys.baseUrl, bureau.username, DEFAULT_TEST_PASSWORD);
    await openInboxRow(name);
    await openInboxRow('第二个教联体（接口准备）');
    await page.getByRole('checkbox', { name: '全选' }).first().check();
    await page.getByTestId('bulk-approve').click();
    await page.getByTestId('bulk-confirm').click();
    await page.getByTestId('bulk-progress-text').getByText('处理完成：成功 2 项，失败 0 项').waitFor();
    expect(await page.getByTestId('bulk-results').locator('li[data-ok="yes"]').count()).toBe(2);
    await screenshot(page, 'flow-bureau-bulk');
    await page.getByTestId('bulk-close').click();

    const statuses = await sys.db('registrations').whereIn('id', [registrationId, secondId]).pluck('status');
    expect(statuses).toEqual(['active', 'active']);
  });

  test('When the approved registration is opened, then it shows as active with a valid signature', async () => {
    await page.goto(`${sys.baseUrl}/#/registrations/${registrationId}/show`);
    await page.locator('[data-status="active"]').first().waitFor();
    await page.locator('[data-testid="signature-verdict"][data-verdict="valid"]').first().waitFor();
    await expect(page.locator('[data-testid="signature-verdict"]').first().textContent()).resolves.toContain('签名有效');
    await screenshot(page, 'flow-active-valid');
    // The PDF needs the token: fetched as a blob and saved under the form's name.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`登记表-${name}.pdf`);
    const pdf = await fs.promises.readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The print view opens in a new tab, with the signature and the stamp over the principal's cell.
    const [printTab] = await Promise.all([browser.context.waitForEvent('page'), page.getByRole('button', { name: '打印视图' }).click()]);
    await printTab.getByText('家校社协同育人“教联体”登记表').waitFor();
    await printTab.getByText(name).first().waitFor();
    expect(await printTab.locator('img.stamp').count()).toBe(1);
    await screenshot(printTab, 'flow-print-view');
    await printTab.close();
    await page.getByRole('tab', { name: '办理进程' }).click();
    await page.getByTestId('timeline').getByText('批准').first().waitFor();
    await screenshot(page, 'flow-timeline');
    await signOut(page);
    expect(watched.unexpectedProblems()).toEqual([]);
  });
});
