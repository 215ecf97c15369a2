/**
 * The login page is index.html's own form (public/login.js): usable before the console's bundle has
 * loaded, in Chinese first with a switch to English, and handing over to the console once signed in.
 */
import type { Page, Route } from 'playwright-core';
import { createSchoolWithStaff, DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { ensureConsoleBuilt, horizontalOverflow, launchBrowser, openPage, PHONE, screenshot, seriousA11yViolations, signIn, signOut, unnamedButtons, type BrowserSession } from './support';

jest.setTimeout(180_000);

let sys: TestSystem;
let staff: Awaited<ReturnType<typeof createSchoolWithStaff>>['staff'];

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem({ worker: false });
  ({ staff } = await createSchoolWithStaff(sys.db));
});

afterAll(async () => {
  await sys?.close();
});

/** Holds the console's scripts (everything under /assets) until released: the page has only index.html and login.js. */
async function holdConsoleScripts(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let released = false;
  await page.route('**/assets/**', async (route) => {
    if (released) await route.continue();
    else held.push(route);
  });
  return async () => {
    released = true;
    await Promise.all(held.map((route) => route.continue()));
  };
}

describe('The login page', () => {
  test('When the console has not loaded yet, then the form already signs in, and the console opens on the page asked for', async () => {
    const browser = await launchBrowser();
    try {
      const { page, unexpectedProblems } = await openPage(browser);
      const release = await holdConsoleScripts(page);
      // Neither "load" nor DOMContentLoaded comes while the bundle is held.
      await page.goto(`${sys.baseUrl}/#/registrations?displayedFilters=%7B%7D`, { waitUntil: 'commit' });
      await page.waitForURL((url) => url.hash === '#/login', { waitUntil: 'commit' });
      await page.getByLabel('用户名', { exact: true }).fill(staff.username);
      await page.getByLabel('密码', { exact: true }).fill(DEFAULT_TEST_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      // Signed in while the console's scripts are still held: the session is where the console reads it.
      await page.waitForFunction(() => JSON.parse(localStorage.getItem('jlt.session') ?? 'null')?.token);
      // …and React has not rendered: index.html's loading sign is still in #root.
      expect(await page.locator('#root .boot').count()).toBe(1);

      await release();
      await page.waitForURL((url) => url.hash.startsWith('#/registrations'));
      await page.getByRole('menuitem', { name: '教联体登记' }).waitFor();
      await page.locator('#react-admin-title').first().waitFor({ state: 'attached' });
      await expect(page.getByLabel('用户名', { exact: true }).isVisible()).resolves.toBe(false);
      expect(unexpectedProblems()).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  test('When the fields are empty or the password is wrong, then it says so under the field and in the form, in Chinese and after the switch in English', async () => {
    const browser = await launchBrowser(PHONE);
    try {
      const { page, unexpectedProblems } = await openPage(browser);
      await page.goto(`${sys.baseUrl}/#/login`);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByText('必填').first().waitFor();
      expect(await page.getByLabel('用户名', { exact: true }).getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('用户名', { exact: true }).fill(staff.username);
      await page.getByLabel('密码', { exact: true }).fill('not-the-password');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('alert').getByText('用户名或密码错误').waitFor();
      await screenshot(page, 'login-phone-wrong-password-zh');

      await page.getByRole('button', { name: /Switch to English/ }).click();
      await page.getByRole('alert').getByText('Wrong username or password').waitFor();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await screenshot(page, 'login-phone-wrong-password-en');

      // The console follows the language chosen on the login page.
      await page.getByLabel('Password', { exact: true }).fill(DEFAULT_TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByText(`Welcome, ${staff.name}`).waitFor();
      await screenshot(page, 'dashboard-phone-en');
      expect(unexpectedProblems([/status of 401/, /^http 401: POST .*\/api\/auth\/login$/])).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  test('When a user signs out, then the login form is back and empty; when a session ends on a page, then signing in again returns to that page', async () => {
    const browser = await launchBrowser();
    try {
      const { page, unexpectedProblems } = await openPage(browser);
      await signIn(page, sys.baseUrl, staff.username, DEFAULT_TEST_PASSWORD);
      await signOut(page);
      await page.getByLabel('用户名', { exact: true }).waitFor();
      expect(await page.getByLabel('用户名', { exact: true }).inputValue()).toBe('');
      expect(await page.getByLabel('密码', { exact: true }).inputValue()).toBe('');
      await signIn(page, sys.baseUrl, staff.username, DEFAULT_TEST_PASSWORD);

      // The session ends (both tokens refused) while the user is on a list.
      await page.goto(`${sys.baseUrl}/#/registrations`);
      await page.getByRole('menuitem', { name: '教联体登记' }).waitFor();
      await page.evaluate(() => {
        const session = JSON.parse(localStorage.getItem('jlt.session')!);
        localStorage.setItem('jlt.session', JSON.stringify({ ...session, token: 'ended', refreshToken: 'ended' }));
      });
      await page.reload();
      await page.waitForURL((url) => url.hash.startsWith('#/login'));
      await page.getByLabel('用户名', { exact: true }).fill(staff.username);
      await page.getByLabel('密码', { exact: true }).fill(DEFAULT_TEST_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL((url) => url.hash.startsWith('#/registrations'));
      await page.getByRole('menuitem', { name: '教联体登记' }).waitFor();
      expect(unexpectedProblems([/status of 401/, /^http 401: (GET|POST) /])).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  test('On a phone and a desktop, the login page fits the screen, names every button and has no serious accessibility violation', async () => {
    for (const [what, options] of [
      ['phone', PHONE],
      ['desktop', { viewport: { width: 1366, height: 900 } }],
    ] as const) {
      const browser: BrowserSession = await launchBrowser({ ...options, bypassCSP: true });
      try {
        const { page } = await openPage(browser);
        await page.goto(`${sys.baseUrl}/#/login`);
        await page.getByRole('button', { name: '登录', exact: true }).waitFor();
        // The console behind the form has mounted too (its login route shows the same form).
        await page.locator('#root .boot').waitFor({ state: 'detached' });
        await screenshot(page, `login-${what}`);
        const { scrollWidth, viewport } = await horizontalOverflow(page);
        expect({ what, scrollWidth }).toEqual({ what, scrollWidth: viewport });
        expect({ what, unnamed: await unnamedButtons(page) }).toEqual({ what, unnamed: [] });
        expect({ what, axe: await seriousA11yViolations(page) }).toEqual({ what, axe: [] });
      } finally {
        await browser.close();
      }
    }
  });
});
