/**
 * The operator's page in the browser: an administrator opens it from the menu, sees Postgres,
 * Temporal and the workers healthy, and finds a registration whose activity keeps failing — with
 * its last error, a link to the registration and a link to its workflow in the Temporal UI.
 */
import type { Page } from 'playwright-core';
import { createUser, DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { INJECTED_FAULT, registrationWithFailingActivity } from '../operations/support';
import { createCast, draftRegistration, submit, type Cast } from '../workflow/support';
import { ensureConsoleBuilt, launchBrowser, openPage, screenshot, signIn, type BrowserSession, type WatchedPage } from './support';

jest.setTimeout(240_000);

const UI = 'http://temporal-ui.example:8080';
let sys: TestSystem;
let browser: BrowserSession;
let cast: Cast;
let admin: Awaited<ReturnType<typeof createUser>>;
let watched: WatchedPage;
let page: Page;
let failing: Awaited<ReturnType<typeof registrationWithFailingActivity>> | undefined;

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem({ env: { TEMPORAL_UI_URL: UI } });
  cast = await createCast(sys.db);
  admin = await createUser(sys.db, { roles: ['admin'] });
  browser = await launchBrowser();
  watched = await openPage(browser);
  page = watched.page;
});

afterAll(async () => {
  await failing?.clear();
  await browser?.close();
  await sys?.close();
});

describe('The operator page', () => {
  test('When an administrator opens it, then the system is healthy and a failing registration shows with its last error and both links', async () => {
    failing = await registrationWithFailingActivity(sys, cast.staff);
    const failingName = (await sys.db('registrations').where({ id: failing.id }).first('name')).name as string;
    // And one that waits past its deadline (as if the policy's time had passed).
    const late = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, late)).status).toBe(200);
    await sys.db('tasks').where({ registrationId: late, status: 'open' }).update({ dueAt: new Date(Date.now() - 3 * 86400_000) });

    await signIn(page, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
    await page.getByRole('menuitem', { name: '运行监控' }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/operations'));

    for (const part of ['postgres', 'temporal', 'workers']) {
      await page.locator(`[data-testid="health-${part}"][data-ok="true"]`).waitFor();
    }
    await page.locator('[data-testid="health-workers"]').getByText(sys.taskQueue).waitFor();

    const card = page.locator(`[data-testid="failing-activity"][data-registration-id="${failing.id}"]`);
    await card.waitFor();
    await card.getByText(failingName).waitFor();
    expect(await card.locator('[data-testid="last-error"]').innerText()).toContain(INJECTED_FAULT);
    expect(await card.getByText(/第 \d+ 次尝试/).innerText()).not.toBe('第 1 次尝试');
    expect(await card.locator('[data-testid="temporal-link"]').getAttribute('href')).toBe(`${UI}/namespaces/default/workflows/registration-${failing.id}`);
    expect(await card.locator('[data-testid="temporal-link"]').getAttribute('target')).toBe('_blank');

    const stuck = page.locator(`[data-testid="stuck-registration"][data-registration-id="${late}"]`);
    await stuck.getByText('已超时 3 天').waitFor();
    expect(await stuck.locator('[data-testid="temporal-link"]').getAttribute('href')).toBe(`${UI}/namespaces/default/workflows/registration-${late}`);
    await page.locator('[data-testid="outbox"]').waitFor();
    await screenshot(page, 'operations-desktop');

    await page.setViewportSize({ width: 390, height: 844 });
    await card.waitFor();
    await screenshot(page, 'operations-phone');
    await page.setViewportSize({ width: 1400, height: 900 });

    // The registration link opens the registration itself.
    await card.locator('[data-testid="registration-link"]').click();
    await page.waitForURL((url) => url.hash === `#/registrations/${failing!.id}/show`);
    await page.getByText(failingName).first().waitFor();

    expect(watched.unexpectedProblems()).toEqual([]);
    await failing.clear();
    failing = undefined;
  });
});
