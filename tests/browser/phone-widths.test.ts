/**
 * Every main page at a phone's true width (390 px). A phone emulator widens its layout viewport —
 * and window.innerWidth with it — to fit a page that overflows, so a page's scroll width is compared
 * with the screen's width, not with innerWidth.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { createCast, registrationRow, throughSigning, type Cast } from '../workflow/support';
import { ensureConsoleBuilt, horizontalOverflow, launchBrowser, openPage, PHONE, screenshot, signIn, type BrowserSession } from './support';

jest.setTimeout(420_000);

let sys: TestSystem;
let cast: Cast;
let registrationId: string;

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem();
  cast = await createCast(sys.db);
  registrationId = await throughSigning(sys, cast);
  expect((await registrationRow(sys.db, registrationId)).status).toBeTruthy();
});

afterAll(async () => {
  await sys?.close();
});

async function settled(p: Page): Promise<void> {
  await p.locator('#react-admin-title').first().waitFor({ state: 'attached' });
  await p.waitForLoadState('networkidle');
  await p.locator('.MuiLinearProgress-root, [role="progressbar"]').first().waitFor({ state: 'detached' }).catch(() => undefined);
}

const MAIN_PAGES: Record<'staff' | 'bureau' | 'admin', string[]> = {
  staff: ['/', '/tasks', '/registrations', '/registrations/create', '/registrations/:id/show', '/registrations/:id/show/process'],
  bureau: ['/', '/tasks', '/registrations', '/registrations/:id/show', '/registrations/:id/show/coverage', '/party-types', '/goal-reviews', '/deadline-policies', '/calendar-days'],
  admin: ['/users', '/users/create', '/schools', '/form-fields', '/deadline-policies', '/audit-events', '/operations'],
};

describe('Main pages at a phone’s true width', () => {
  test.each(Object.keys(MAIN_PAGES) as (keyof typeof MAIN_PAGES)[])('When %s opens each main page on a 390 px phone, then the page is no wider than the screen', async (role) => {
    // A browser of its own for each role: a fresh session, nobody signed in.
    const phone: BrowserSession = await launchBrowser(PHONE);
    const { page } = await openPage(phone);
    await signIn(page, sys.baseUrl, cast[role].username, DEFAULT_TEST_PASSWORD);
    const widths: Record<string, number> = {};
    for (const route of MAIN_PAGES[role]) {
      await page.goto(`${sys.baseUrl}/#${route.replace(':id', registrationId)}`);
      await settled(page);
      widths[route] = (await horizontalOverflow(page)).scrollWidth;
      if (widths[route] !== PHONE.viewport.width) await screenshot(page, `${role}${route.replace(/[/:]+/g, '-')}`);
    }
    await phone.close();
    expect(widths).toEqual(Object.fromEntries(MAIN_PAGES[role].map((r) => [r, PHONE.viewport.width])));
  });
});
