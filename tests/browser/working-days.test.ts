/**
 * Working days in the console: an administrator adds a local holiday on the 工作日历 page (zh-CN
 * date picker), sets a step's deadline in 工作日, and the approver's to-do list shows the due time
 * in Beijing time (18:00), whatever zone the browser is in.
 */
import type { Page } from 'playwright-core';
import { chinaDate } from '../../domain/calendar/working-days';
import { createSchoolWithStaff, createUser, DEFAULT_TEST_PASSWORD, validRegistrationBody } from '../support/fixtures';
import { api, currentTokenFor, startSystem, type TestSystem } from '../support/harness';
import { ensureConsoleBuilt, launchBrowser, openPage, PHONE, screenshot, signIn, signOut, type BrowserSession, type WatchedPage } from './support';

jest.setTimeout(240_000);

let sys: TestSystem;
let browser: BrowserSession;
let people: Awaited<ReturnType<typeof createSchoolWithStaff>>;
let admin: Awaited<ReturnType<typeof createUser>>;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  await ensureConsoleBuilt();
  // The calendar and the policies are global: this suite runs on a database of its own.
  sys = await startSystem({ isolatedDatabase: {} });
  people = await createSchoolWithStaff(sys.db);
  admin = await createUser(sys.db, { roles: ['admin'] });
  browser = await launchBrowser();
  watched = await openPage(browser);
  page = watched.page;
});

afterAll(async () => {
  await browser?.close();
  await sys?.close();
});

test('When an administrator adds a local holiday on the 工作日历 page, then it is listed beside the official day it replaces', async () => {
  await signIn(page, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
  await page.getByRole('menuitem', { name: '工作日历' }).click();
  await page.getByText('节假日和调休补班日按国务院公布的安排自动计入').waitFor();
  await page.getByRole('link', { name: '新建' }).click();
  await page.locator('input[name="date"]').fill('2031-10-08');
  await page.getByRole('combobox', { name: '类型' }).click();
  await page.getByRole('option', { name: '休息日' }).click();
  await page.locator('input[name="name"]').fill('校庆日');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存，进行中登记的期限正在调整').waitFor();
  const row = page.getByRole('row').filter({ hasText: '2031-10-08' });
  await row.getByText('校庆日').waitFor();
  await row.getByText('休息日').waitFor();
  await row.getByText('工作日', { exact: true }).waitFor(); // the official day: an ordinary Wednesday
  await screenshot(page, 'calendar-days-list');
  expect(await sys.db('calendarDays').where({ name: '校庆日' }).first('kind')).toEqual({ kind: 'holiday' });
  await signOut(page);
});

test('When an administrator picks a day in the calendar, then it speaks Chinese (months, weekdays from 一), shows 2031-11-15 and saves that day', async () => {
  await signIn(page, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
  await page.goto(`${sys.baseUrl}/#/calendar-days/create`);
  await page.locator('input[name="date"]').fill('2031-11-03');
  await page.getByRole('button', { name: /选择日期/ }).click();
  const calendar = page.getByRole('dialog');
  await calendar.getByText('2031年11月').waitFor();
  expect(await calendar.getByRole('columnheader').allTextContents()).toEqual(['一', '二', '三', '四', '五', '六', '日']);
  await screenshot(page, 'date-picker-desktop');
  await calendar.getByRole('gridcell', { name: '15', exact: true }).click();
  await page.waitForFunction(() => (document.querySelector('input[name="date"]') as HTMLInputElement | null)?.value === '2031-11-15');
  await page.getByRole('combobox', { name: '类型' }).click();
  await page.getByRole('option', { name: '工作日' }).click();
  await page.locator('input[name="name"]').fill('补班（日历选取）');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存，进行中登记的期限正在调整').waitFor();
  expect(await sys.db('calendarDays').where({ name: '补班（日历选取）' }).first(sys.db.raw('"date"::text as date'), 'kind')).toEqual({ date: '2031-11-15', kind: 'workday' });
  await signOut(page);
});

test('When an administrator on a phone opens the date picker, then it fits the screen in Chinese and the chosen day is taken on 确认', async () => {
  const phone = await launchBrowser(PHONE);
  try {
    const { page: p } = await openPage(phone);
    await signIn(p, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
    await p.goto(`${sys.baseUrl}/#/calendar-days/create`);
    const day = p.locator('input[name="date"]');
    await p.getByRole('button', { name: /选择日期/ }).tap();
    const calendar = p.getByRole('dialog');
    await calendar.getByText(/^\d{4}年\d{1,2}月$/).waitFor();
    expect(await calendar.getByRole('columnheader').allTextContents()).toEqual(['一', '二', '三', '四', '五', '六', '日']);
    const box = await calendar.boundingBox();
    expect(box!.x >= 0 && box!.x + box!.width <= 390).toBe(true);
    await screenshot(p, 'date-picker-phone');
    await calendar.getByRole('gridcell', { name: '20', exact: true }).tap();
    await calendar.getByRole('button', { name: '确认' }).tap();
    await p.waitForFunction(() => /^\d{4}-\d{2}-20$/.test((document.querySelector('input[name="date"]') as HTMLInputElement | null)?.value ?? ''));
    expect(await day.inputValue()).toMatch(/^\d{4}-\d{2}-20$/);
  } finally {
    await phone.close();
  }
});

test('When an administrator sets the lead-school opinion to 2 工作日, then new tasks fall due at 18:00 Beijing time and the to-do list shows that time', async () => {
  await signIn(page, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
  await page.getByRole('menuitem', { name: '期限策略' }).click();
  await page.getByRole('cell', { name: '牵头学校意见' }).click();
  // Two unit choices, due first, then the reminder: 工作日 vs 秒 / 小时 / 天.
  await page.getByRole('radio', { name: '工作日' }).nth(0).check();
  await page.locator('input[name="dueWorkingDays"]').fill('2');
  await page.getByRole('radio', { name: '工作日' }).nth(1).check();
  await page.locator('input[name="remindBeforeWorkingDays"]').fill('1');
  await screenshot(page, 'policy-in-working-days');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('cell', { name: '2 个工作日' }).waitFor();
  expect(await sys.db('deadlinePolicies').where({ step: 'lead_school_opinion' }).first('dueSeconds', 'dueWorkingDays', 'remindBeforeWorkingDays')).toEqual({
    dueSeconds: null,
    dueWorkingDays: 2,
    remindBeforeWorkingDays: 1,
  });
  await signOut(page);

  const token = await currentTokenFor(sys, people.staff);
  const created = await api(sys, 'POST', '/api/registrations', { token, body: validRegistrationBody() });
  expect((await api(sys, 'POST', `/api/registrations/${created.body.id}/submit`, { token })).status).toBe(200);
  let task: { dueAt: Date } | undefined;
  for (let i = 0; i < 80 && !task; i++) {
    task = await sys.db('tasks').where({ registrationId: created.body.id, status: 'open' }).first('dueAt');
    if (!task) await new Promise((r) => setTimeout(r, 250));
  }
  const due = new Date(task!.dueAt).toISOString();
  expect(due.slice(11)).toBe('10:00:00.000Z'); // 18:00 in Beijing

  await signIn(page, sys.baseUrl, people.leader.username, DEFAULT_TEST_PASSWORD);
  await page.goto(`${sys.baseUrl}/#/tasks`);
  await page.getByText(`${chinaDate(due)} 18:00`).first().waitFor();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'working-day-due-phone');
  await page.setViewportSize({ width: 1400, height: 900 });
  await signOut(page);
});
