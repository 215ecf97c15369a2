/**
 * 抄送我的 in Chromium: a principal of another school, copied on two registrations at submission,
 * finds them in the inbox's 抄送我的 tab with an unread count and bold rows; opening one reads it
 * (read-only: no edit, a notice says so), shows the drafter's comment with its picture, takes a
 * comment of their own, and the count drops. The same on a phone at 390×844. The administrator
 * sees the 抄送 fields on the deadline-policy page.
 */
import type { Page } from 'playwright-core';
import { dataUrlOf, signaturePng } from '../signing/support';
import { createUser, DEFAULT_TEST_PASSWORD, validRegistrationBody } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createCast, type Cast } from '../workflow/support';
import { ensureConsoleBuilt, horizontalOverflow, launchBrowser, openPage, PHONE, screenshot, signIn, signOut, unnamedButtons, type BrowserSession } from './support';

jest.setTimeout(240_000);

let sys: TestSystem;
let cast: Cast;
let watcher: Awaited<ReturnType<typeof createUser>>;
const stamp = Date.now().toString(36);
const names = { first: `抄送测试甲 ${stamp}`, second: `抄送测试乙 ${stamp}` };
const ids: Record<'first' | 'second', string> = { first: '', second: '' };
const drafterComment = '成员单位联系人已补齐，附现场照片。';

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem({ isolatedDatabase: {} }); // it changes deadline policies, which every suite reads
  cast = await createCast(sys.db);
  const elsewhere = await createCast(sys.db);
  watcher = await createUser(sys.db, { roles: ['principal'], schoolId: elsewhere.school.id, name: `抄送观察员${stamp}` });
  await sys.db('deadlinePolicies').where({ step: 'lead_school_opinion' }).update({ ccUserIds: [watcher.id], ccWhen: 'submit' });
  const token = tokenFor(sys.config, cast.staff);
  try {
    for (const k of ['first', 'second'] as const) {
      const created = await api(sys, 'POST', '/api/registrations', { token, body: validRegistrationBody({ name: names[k] }) });
      ids[k] = created.body.id;
      expect((await api(sys, 'POST', `/api/registrations/${ids[k]}/submit`, { token })).status).toBe(200);
    }
  } finally {
    await sys.db('deadlinePolicies').update({ ccRoles: [], ccUserIds: [], ccWhen: null });
  }
  const file = await api(sys, 'POST', `/api/registrations/${ids.first}/comments/files`, { token, body: { dataUrl: dataUrlOf(signaturePng()), name: '现场照片.png' } });
  expect((await api(sys, 'POST', `/api/registrations/${ids.first}/comments`, { token, body: { body: drafterComment, fileIds: [file.body.id] } })).status).toBe(201);
});

afterAll(async () => {
  await sys?.close();
});

async function settled(page: Page) {
  await page.waitForFunction(() => !document.querySelector('.MuiModal-root:not(.MuiModal-hidden), .RaLoadingIndicator-loader'));
}

async function openCopiedTab(page: Page) {
  await page.goto(`${sys.baseUrl}/#/tasks`);
  await settled(page);
  await page.getByTestId('tab-copied').click();
  await page.getByRole('tab', { name: /抄送我的/, selected: true }).waitFor();
}

const badge = (page: Page) => page.getByTestId('count-copied').locator('.MuiBadge-badge');
/** Waits until the badge reads `count` (the list and the count refetch when the tab is shown again). */
const badgeReads = (page: Page, count: number) =>
  page.waitForFunction((n) => document.querySelector('[data-testid="count-copied"] .MuiBadge-badge')?.textContent === String(n), count);
/** Waits until the registration's row or card is shown as read (or unread). */
const shownAs = (page: Page, state: 'read' | 'unread', name: string) => page.getByTestId(`copied-${state}`).filter({ hasText: name }).first().waitFor();
/**
 * The watcher's unread registrations as stored: counts are checked against the table, and rows are
 * found by name.
 */
const unreadInDb = async () => Number((await sys.db('registrationCopies').where({ userId: watcher.id }).whereNull('readAt').countDistinct({ n: 'registrationId' }).first())?.n ?? 0);
const rowsInDb = async () => Number((await sys.db('registrationCopies').where({ userId: watcher.id }).countDistinct({ n: 'registrationId' }).first())?.n ?? 0);

describe('抄送我的 (copied to me)', () => {
  test('When the copied principal opens 抄送我的 on a desktop, then the unread registrations are bold and counted on the tab; opening one shows it read-only with the comment and its picture, a comment is posted, and the count drops by one', async () => {
    const browser: BrowserSession = await launchBrowser();
    try {
      const { page, unexpectedProblems } = await openPage(browser);
      await signIn(page, sys.baseUrl, watcher.username, DEFAULT_TEST_PASSWORD);
      await openCopiedTab(page);
      const unread = await unreadInDb();
      expect(unread).toBeGreaterThanOrEqual(2);
      await shownAs(page, 'unread', names.first);
      await shownAs(page, 'unread', names.second);
      await badgeReads(page, unread);
      const weight = await page.locator('tr', { hasText: names.first }).locator('td').first().evaluate((td) => getComputedStyle(td).fontWeight);
      expect(Number(weight)).toBeGreaterThanOrEqual(700);
      await screenshot(page, 'desktop-copied-unread');

      await page.getByRole('link', { name: names.first }).click();
      await page.getByTestId('copied-notice').waitFor();
      // Read-only: no edit, delete, submit or withdraw for a copied reader.
      await expect(page.getByRole('link', { name: /^编辑$/ }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: /^(删除|提交|撤回)$/ }).count()).resolves.toBe(0);
      await settled(page);
      await page.getByRole('tab', { name: '评论' }).click();
      await page.getByTestId('comment').filter({ hasText: drafterComment }).waitFor();
      await page.getByTestId('comment-file').locator('img').waitFor();
      await page.getByTestId('comment-body').fill('已阅，谢谢。');
      await page.getByTestId('comment-send').click();
      await page.getByTestId('comment').filter({ hasText: '已阅，谢谢。' }).waitFor();
      await screenshot(page, 'desktop-copied-registration-comments');

      await openCopiedTab(page);
      await shownAs(page, 'read', names.first);
      await shownAs(page, 'unread', names.second);
      await badgeReads(page, unread - 1);
      await expect(badge(page).textContent()).resolves.toBe(String(unread - 1));
      await screenshot(page, 'desktop-copied-one-read');
      await signOut(page);
      expect(unexpectedProblems()).toEqual([]);
    } finally {
      await browser.close();
    }
    await expect(sys.db('registrationComments').where({ registrationId: ids.first, authorId: watcher.id }).first('body')).resolves.toEqual({ body: '已阅，谢谢。' });
  });

  test('When the copied principal uses a phone (390×844), then 抄送我的 shows cards with the unread one marked, nothing scrolls sideways, and the comments panel is usable', async () => {
    const browser = await launchBrowser(PHONE);
    try {
      const { page, unexpectedProblems } = await openPage(browser);
      await signIn(page, sys.baseUrl, watcher.username, DEFAULT_TEST_PASSWORD);
      await openCopiedTab(page);
      await shownAs(page, 'unread', names.second);
      await shownAs(page, 'read', names.first);
      await expect(page.getByTestId('copied-card').count()).resolves.toBe(await rowsInDb());
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.viewport);
      expect(await unnamedButtons(page)).toEqual([]);
      await screenshot(page, 'phone-copied');

      await page.getByRole('link', { name: names.second }).click();
      await page.getByTestId('copied-notice').waitFor();
      await settled(page);
      await page.getByRole('tab', { name: '评论' }).click();
      await page.getByTestId('comments-empty').waitFor();
      await page.getByTestId('comment-body').fill('手机上看过了。');
      await page.getByTestId('comment-send').click();
      await page.getByTestId('comment').filter({ hasText: '手机上看过了。' }).waitFor();
      const after = await horizontalOverflow(page);
      expect(after.scrollWidth).toBeLessThanOrEqual(after.viewport);
      await screenshot(page, 'phone-copied-comments');
      await openCopiedTab(page);
      // Opened, so read: both of this test's registrations now show as read.
      await shownAs(page, 'read', names.second);
      await shownAs(page, 'read', names.first);
      expect(unexpectedProblems()).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  test('When the administrator edits the bureau step\'s deadline policy, then the 抄送角色, 抄送人 and 抄送时机 fields are there, and a chosen time is saved', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = await openPage(browser);
      await signIn(page, sys.baseUrl, cast.admin.username, DEFAULT_TEST_PASSWORD);
      const policy = await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).first('id');
      await page.goto(`${sys.baseUrl}/#/deadline-policies/${policy.id}`);
      await page.getByLabel('抄送角色').waitFor();
      await page.getByLabel('抄送人').waitFor();
      await page.getByLabel('抄送时机').click();
      await page.getByRole('option', { name: '本步通过时', exact: true }).click();
      await settled(page);
      await page.getByLabel('抄送人').fill(watcher.name.slice(0, 4));
      await page.getByRole('option', { name: new RegExp(watcher.username) }).click();
      await screenshot(page, 'admin-policy-cc');
      await page.getByRole('button', { name: '保存' }).click();
      await page.waitForURL((url) => url.hash === '#/deadline-policies');
      await expect(sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).first('ccWhen', 'ccUserIds')).resolves.toEqual({ ccWhen: 'approve', ccUserIds: [watcher.id] });
    } finally {
      await sys.db('deadlinePolicies').update({ ccRoles: [], ccUserIds: [], ccWhen: null });
      await browser.close();
    }
  });
});
