/**
 * The audit log page as an administrator reads it, on a desktop (1366×900) and a phone (390×844):
 * rows say who did what in Chinese, to which registration (by name, linked) of which school, and
 * when in Beijing time; the filters by action, actor, day range and registration narrow the rows;
 * an event's page reads its details as labelled lines. Nothing scrolls sideways, every button has a name.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { createCast, draftRegistration, registrationRow, submit, type Cast } from '../workflow/support';
import { ensureConsoleBuilt, horizontalOverflow, launchBrowser, openPage, PHONE, screenshot, signIn, unnamedButtons, type BrowserSession } from './support';

jest.setTimeout(300_000);

let sys: TestSystem;
let cast: Cast;
let desktop: BrowserSession;
let phone: BrowserSession;
let registrationId: string;
let name: string;
let submittedAt: Date;

/** A time as the Beijing wall clock, to the minute (as the console shows it). */
const beijing = (t: Date, days = 0) => new Date(t.getTime() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 16).replace('T', ' ');

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem();
  cast = await createCast(sys.db);
  registrationId = await draftRegistration(sys, cast.staff);
  name = (await registrationRow(sys.db, registrationId)).name;
  expect((await submit(sys, cast.staff, registrationId)).status).toBe(200);
  const event = await sys.db('auditEvents').where({ registrationId, action: 'registration.submitted' }).first('at');
  submittedAt = new Date(event.at);
  desktop = await launchBrowser({ viewport: { width: 1366, height: 900 } });
  phone = await launchBrowser(PHONE);
});

afterAll(async () => {
  await desktop?.close();
  await phone?.close();
  await sys?.close();
});

async function settled(p: Page): Promise<void> {
  await p.waitForLoadState('networkidle');
  await p.locator('.MuiLinearProgress-root').first().waitFor({ state: 'detached' }).catch(() => undefined);
}

async function expectFits(p: Page, width: number, what: string): Promise<void> {
  expect({ what, scrollWidth: (await horizontalOverflow(p)).scrollWidth }).toEqual({ what, scrollWidth: width });
  expect({ what, unnamed: await unnamedButtons(p) }).toEqual({ what, unnamed: [] });
}

describe('The audit log page', () => {
  test('When an administrator filters the log on a desktop, then rows read who, what in Chinese, which registration and school, and when in Beijing time', async () => {
    const { page, unexpectedProblems } = await openPage(desktop);
    await signIn(page, sys.baseUrl, cast.admin.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/audit-events`);
    await settled(page);

    // By registration: typed by its name, chosen from the suggestions.
    const registration = page.getByRole('combobox', { name: '登记' });
    await registration.fill(name.slice(0, 12));
    await page.getByRole('option', { name }).click();
    const rows = page.locator('.RaDataTable-table tbody tr');
    const submittedRow = rows.filter({ hasText: '提交登记' });
    // Only this registration's events: the administrator's own sign-in has gone from the rows.
    await rows.filter({ hasText: '登录' }).first().waitFor({ state: 'detached' });
    await submittedRow.waitFor();
    await settled(page);
    await expect(rows.filter({ hasText: '新建登记' }).count()).resolves.toBe(1);
    await expect(submittedRow.innerText()).resolves.toEqual(expect.stringContaining(beijing(submittedAt)));
    await expect(submittedRow.innerText()).resolves.toEqual(expect.stringContaining(cast.staff.name));
    await expect(submittedRow.innerText()).resolves.toEqual(expect.stringContaining(cast.school.name));
    await expect(submittedRow.getByRole('link', { name }).getAttribute('href')).resolves.toBe(`#/registrations/${registrationId}/show`);
    // No action code or UUID is shown for a user to decode.
    await expect(page.locator('.RaDataTable-table tbody').innerText()).resolves.not.toMatch(/registration\.|[0-9a-f]{8}-[0-9a-f]{4}-/);
    await screenshot(page, 'desktop-audit-log-by-registration');
    await expectFits(page, 1366, 'desktop audit log');

    // By action.
    await page.getByRole('combobox', { name: '操作', exact: true }).click();
    await page.getByRole('option', { name: '提交登记', exact: true }).click();
    await rows.filter({ hasText: '新建登记' }).waitFor({ state: 'detached' });
    await expect(rows.count()).resolves.toBe(1);

    // By actor: the bureau did nothing to this registration.
    const actor = page.getByRole('combobox', { name: '操作人' });
    await actor.fill(cast.bureau.name);
    await page.getByRole('option', { name: cast.bureau.name }).click();
    await page.getByText('当前筛选下没有审计日志').waitFor();
    await actor.fill(cast.staff.name);
    await page.getByRole('option', { name: cast.staff.name }).click();
    await submittedRow.waitFor();

    // By day, in Beijing days: the day it happened keeps it, from the next day on it is gone.
    const day = beijing(submittedAt).slice(0, 10);
    await page.getByLabel('起始日期').fill(day);
    await page.getByLabel('截止日期').fill(day);
    await settled(page);
    await expect(rows.filter({ hasText: '提交登记' }).count()).resolves.toBe(1);
    await page.getByLabel('起始日期').fill(beijing(submittedAt, 1).slice(0, 10));
    await submittedRow.waitFor({ state: 'detached' });
    await page.getByLabel('起始日期').fill(day);
    await submittedRow.waitFor();
    await screenshot(page, 'desktop-audit-log-filtered');

    // The event's page: details as labelled lines, the registration linked.
    await submittedRow.locator('td').first().click();
    await page.waitForURL(/#\/audit-events\/\d+\/show/);
    await page.locator('.RaShow-main').getByRole('link', { name }).waitFor();
    const event = page.locator('.RaShow-main');
    await expect(event.innerText()).resolves.toEqual(expect.stringMatching(new RegExp(`提交登记[\\s\\S]*${cast.school.name}`)));
    await expect(event.innerText()).resolves.not.toMatch(/registration\.submitted|[{}]/);
    await screenshot(page, 'desktop-audit-event');
    await expectFits(page, 1366, 'desktop audit event');
    await page.close();
    expect(unexpectedProblems()).toEqual([]);
  });

  test('When an administrator reads the log on a phone, then each event is a card naming the action, who and the registration, and nothing scrolls sideways', async () => {
    const { page, unexpectedProblems } = await openPage(phone);
    await signIn(page, sys.baseUrl, cast.admin.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/audit-events?filter=${encodeURIComponent(JSON.stringify({ registrationId }))}`);
    const card = page.locator('a[href*="#/audit-events/"]').filter({ hasText: '提交登记' });
    await card.waitFor();
    await settled(page);
    await expect(card.innerText()).resolves.toEqual(expect.stringContaining(`${cast.staff.name} · ${name}`));
    await expect(card.innerText()).resolves.toEqual(expect.stringContaining(beijing(submittedAt)));
    await screenshot(page, 'phone-audit-log');
    await expectFits(page, PHONE.viewport.width, 'phone audit log');
    await card.tap();
    await page.waitForURL(/#\/audit-events\/\d+\/show/);
    await page.locator('.RaShow-main').getByRole('link', { name }).waitFor();
    await settled(page);
    await screenshot(page, 'phone-audit-event');
    await expectFits(page, PHONE.viewport.width, 'phone audit event');
    await page.close();
    expect(unexpectedProblems()).toEqual([]);
  });
});
