/**
 * The console on a phone (390×844, touch): the principal signs off and the bureau approves there.
 * On every main page, for every role: nothing scrolls sideways, every button has a name, and axe-core
 * finds no serious or critical violation. The same pages are also checked and photographed on a desktop.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { act, createCast, draftRegistration, registrationRow, submit, type Cast } from '../workflow/support';
import {
  ensureConsoleBuilt,
  horizontalOverflow,
  launchBrowser,
  openPage,
  PHONE,
  screenshot,
  seriousA11yViolations,
  signIn,
  signOut,
  unnamedButtons,
  type BrowserSession,
  type WatchedPage,
} from './support';

jest.setTimeout(420_000);

let sys: TestSystem;
let cast: Cast;
let phone: BrowserSession;
let desktop: BrowserSession;
let watched: WatchedPage;
let page: Page;
let registrationId: string;
let name: string;

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem();
  cast = await createCast(sys.db);
  registrationId = await draftRegistration(sys, cast.staff);
  name = (await registrationRow(sys.db, registrationId)).name;
  expect((await submit(sys, cast.staff, registrationId)).status).toBe(200);
  await act(sys, cast.leader, registrationId, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
  phone = await launchBrowser({ ...PHONE, bypassCSP: true });
  desktop = await launchBrowser({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
  watched = await openPage(phone);
  page = watched.page;
});

afterAll(async () => {
  await phone?.close();
  await desktop?.close();
  await sys?.close();
});

/** The page has loaded its data: the title is set and no request is pending. */
async function settled(p: Page): Promise<void> {
  await p.locator('#react-admin-title').first().waitFor({ state: 'attached' });
  await p.waitForLoadState('networkidle');
  await p.locator('.MuiLinearProgress-root, [role="progressbar"]').first().waitFor({ state: 'detached' }).catch(() => undefined);
}

/** What a user relies on, checked on the page as it stands. */
async function expectUsable(p: Page, what: string): Promise<void> {
  const { scrollWidth, viewport } = await horizontalOverflow(p);
  expect({ what, scrollWidth }).toEqual({ what, scrollWidth: viewport });
  expect({ what, unnamed: await unnamedButtons(p) }).toEqual({ what, unnamed: [] });
  expect({ what, axe: await seriousA11yViolations(p) }).toEqual({ what, axe: [] });
}

/** The inbox card of the registration, reloading until the worker has projected its task. */
async function inboxCard(): Promise<ReturnType<Page['locator']>> {
  await page.goto(`${sys.baseUrl}/#/tasks`);
  const card = page.locator(`[data-testid="task-card"][data-registration="${name}"]`);
  await card.or(page.getByTestId('inbox-empty')).first().waitFor();
  return card;
}

/**
 * Draws a stroke on the pad with a pointer. (A finger stroke sent as CDP touch events never ends in
 * headless Chromium — no pointerup reaches the page — so the stroke uses the mouse; every tap is touch.)
 */
async function drawStroke(p: Page, box: { x: number; y: number; width: number; height: number }): Promise<void> {
  const at = (i: number) => ({ x: box.x + 20 + i * ((box.width - 40) / 12), y: box.y + box.height * (0.6 - 0.3 * Math.sin(i / 2)) });
  await p.mouse.move(at(0).x, at(0).y);
  await p.mouse.down();
  for (let i = 1; i <= 12; i++) await p.mouse.move(at(i).x, at(i).y, { steps: 3 });
  await p.mouse.up();
}

/**
 * Signed in as the user for the steps, and signed out afterwards whatever happened (cleanup: a failure
 * inside stays the one reported), so that the next test starts at the login page.
 */
async function signedInAs(p: Page, username: string, steps: () => Promise<void>): Promise<void> {
  await signIn(p, sys.baseUrl, username, DEFAULT_TEST_PASSWORD);
  try {
    await steps();
  } finally {
    await signOut(p).catch(() => p.evaluate(() => localStorage.removeItem('jlt.session')));
  }
}

describe('On a phone (390×844, touch)', () => {
  test('When the principal signs off, then the dialog fills the screen with the pad at its width, the stamped form is shown before confirming, and the form is signed', async () => {
    await signedInAs(page, cast.principal.username, async () => {
      const card = await inboxCard();
      await card.waitFor();
      await settled(page);
      await screenshot(page, 'phone-principal-inbox');
      await expectUsable(page, 'principal inbox');

      await card.getByTestId('open-sign').tap();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('registration-summary').getByText(name).first().waitFor();
      await page.getByTestId('school-stamp').locator('img').waitFor();
      // The form preview sits above the pad on a phone: once it has loaded, the pad no longer moves.
      await dialog.getByTestId('sign-preview').waitFor();
      const paper = (await dialog.boundingBox())!;
      expect(paper.width).toBeLessThanOrEqual(390);
      const pad = page.getByTestId('signature-pad');
      await pad.scrollIntoViewIfNeeded();
      const box = (await pad.boundingBox())!;
      expect(box.width).toBeGreaterThan(300); // the pad spans the screen, less the dialog's padding
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      // The labelled actions stay in view at the bottom, readable: 取消 / 退回 / 签名盖章.
      for (const label of ['取消', '退回', '签名盖章']) await expect(dialog.getByRole('button', { name: label, exact: true }).isVisible()).resolves.toBe(true);
      expect(await unnamedButtons(page)).toEqual([]);

      await drawStroke(page, box);
      await screenshot(page, 'phone-principal-sign');
      await dialog.getByTestId('confirm-sign').tap();
      await page.frameLocator('[data-testid="stamped-preview"]').locator('img.stamp').waitFor();
      await screenshot(page, 'phone-principal-stamped-preview');
      expect(await unnamedButtons(page)).toEqual([]);
      expect((await horizontalOverflow(page)).scrollWidth).toBe(390);
      await dialog.getByTestId('confirm-sign-stamped').tap();
      await card.waitFor({ state: 'detached' });
      expect((await registrationRow(sys.db, registrationId)).signatureId).not.toBeNull();
    });
  });

  test('When the bureau approves in the decision dialog, then it reads the form there and the registration becomes active', async () => {
    await signedInAs(page, cast.bureau.username, async () => {
      const card = await inboxCard();
      await card.waitFor();
      await card.getByTestId('open-decision').tap();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('registration-summary').getByText(name).first().waitFor();
      await dialog.getByTestId('registration-summary').locator('ol li').first().waitFor(); // the goals, numbered
      await screenshot(page, 'phone-bureau-decision');
      expect(await unnamedButtons(page)).toEqual([]);
      expect((await horizontalOverflow(page)).scrollWidth).toBe(390);
      await dialog.getByTestId('confirm-approve').tap();
      await card.waitFor({ state: 'detached' });
      expect((await registrationRow(sys.db, registrationId)).status).toBe('active');
    });
  });

  const MAIN_PAGES: Record<'staff' | 'bureau' | 'admin', string[]> = {
    staff: ['/', '/tasks', '/registrations', '/registrations/create', '/registrations/:id/show'],
    bureau: ['/', '/tasks', '/registrations', '/registrations/:id/show', '/registrations/:id/show/process', '/party-types'],
    admin: ['/users', '/schools', '/form-fields', '/deadline-policies', '/audit-events'],
  };

  const CARD_LISTS = ['/registrations', '/users', '/schools', '/audit-events'];

  test.each(Object.keys(MAIN_PAGES) as (keyof typeof MAIN_PAGES)[])('When %s opens each main page, at both sizes nothing scrolls sideways, every button has a name and axe finds nothing serious', async (role) => {
    const user = cast[role];
    const desk = await openPage(desktop);
    await signIn(page, sys.baseUrl, user.username, DEFAULT_TEST_PASSWORD);
    await signIn(desk.page, sys.baseUrl, user.username, DEFAULT_TEST_PASSWORD);
    try {
    for (const route of MAIN_PAGES[role]) {
      const path = route.replace(':id', registrationId);
      const slug = `${role}${route.replace(/[/:]+/g, '-').replace(/-$/, '') || '-dashboard'}`;
      for (const [p, size] of [
        [page, 'phone'],
        [desk.page, 'desktop'],
      ] as const) {
        await p.goto(`${sys.baseUrl}/#${path}`);
        await settled(p);
        await screenshot(p, `${size}-${slug}`);
        await expectUsable(p, `${size} ${role} ${path}`);
        // Lists of people and places read as cards on a phone (name first), as a table on a desktop.
        if (CARD_LISTS.includes(route)) {
          await p.locator(size === 'phone' ? 'main .MuiList-root a' : 'main table tbody tr').first().waitFor();
          expect({ route, size, tables: await p.locator('main table').count() }).toEqual({ route, size, tables: size === 'phone' ? 0 : 1 });
        }
      }
    }
    } finally {
      // Signed out whatever happened (cleanup: a failure above stays the one reported), so that the next role starts at the login page.
      for (const p of [page, desk.page]) await signOut(p).catch(() => p.evaluate(() => localStorage.removeItem('jlt.session')));
    }
    await desk.page.close();
    expect(desk.unexpectedProblems()).toEqual([]);
  });

  test('When the phone session ends, then it had no console errors or failed requests', () => {
    expect(watched.unexpectedProblems()).toEqual([]);
  });
});
