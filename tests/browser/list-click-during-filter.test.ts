/**
 * A list row clicked while the search filter is still waiting out its debounce (the user types, then
 * taps a row at once): the record under the pointer opens, and the page stays on it when the
 * pending filter would have applied.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_TEST_PASSWORD, validRegistrationBody } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { as, createCast, type Cast } from '../workflow/support';
import { ensureConsoleBuilt, launchBrowser, openPage, PHONE, signIn, type BrowserSession } from './support';

jest.setTimeout(300_000);

let sys: TestSystem;
let cast: Cast;
let desktop: BrowserSession;
let phone: BrowserSession;
const older = { id: '', name: `春晖教联体 ${Date.now().toString(36)}` };
const newer = { id: '', name: `朝阳教联体 ${Date.now().toString(36)}` };

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem();
  cast = await createCast(sys.db);
  // Drafted in order: the list (newest first) shows `newer` above `older`.
  for (const r of [older, newer]) {
    const res = await as(sys, cast.staff)('POST', '/api/registrations', validRegistrationBody({ name: r.name }));
    expect(res.status).toBe(201);
    r.id = res.body.id;
  }
  desktop = await launchBrowser({ viewport: { width: 1366, height: 900 } });
  phone = await launchBrowser(PHONE);
});

afterAll(async () => {
  await desktop?.close();
  await phone?.close();
  await sys?.close();
});

/**
 * The URL once the record's page has loaded and the filter typed at `typedAt` has had its moment:
 * the form applies a change 500 ms after the last keystroke. (Asserting that something does not
 * happen needs that moment to pass; a slow machine can only make this check pass vacuously, never fail.)
 */
async function restingUrl(page: Page, showing: string, typedAt: number): Promise<string> {
  await page.locator('.RaShow-main').getByText(showing).first().waitFor();
  await page.waitForLoadState('networkidle');
  const left = typedAt + 1500 - Date.now();
  if (left > 0) await page.waitForTimeout(left);
  await page.waitForLoadState('networkidle');
  return page.url();
}

describe('A list row clicked while the search is pending', () => {
  for (const [size, session, row] of [
    ['desktop', () => desktop, (p: Page, name: string) => p.locator('.RaDataTable-table tbody tr').filter({ hasText: name })],
    ['phone', () => phone, (p: Page, name: string) => p.locator('a[href*="#/registrations/"]').filter({ hasText: name })],
  ] as const) {
    test(`When the staff types a search and at once clicks a row on a ${size}, then the clicked registration opens and stays open`, async () => {
      const { page, unexpectedProblems } = await openPage(session());
      await signIn(page, sys.baseUrl, cast.staff.username, DEFAULT_TEST_PASSWORD);
      await page.goto(`${sys.baseUrl}/#/registrations`);
      await row(page, older.name).waitFor();
      await page.waitForLoadState('networkidle');

      // The search names `older`; before its debounce fires, the user clicks `newer`, which is on screen.
      await page.getByPlaceholder('搜索').fill('春晖');
      const typedAt = Date.now();
      await row(page, newer.name).click();
      await page.waitForURL(new RegExp(`#/registrations/${newer.id}/show`));
      const url = await restingUrl(page, newer.name, typedAt);
      expect(url).toMatch(new RegExp(`#/registrations/${newer.id}/show$`));

      // Back on the list, it is as the user left it: nothing was applied behind their back.
      await page.goBack();
      await row(page, newer.name).waitFor();
      await row(page, older.name).waitFor();
      await page.close();
      expect(unexpectedProblems()).toEqual([]);
    });
  }
});
