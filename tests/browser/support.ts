/**
 * Browser tests: Debian's Chromium driven by playwright-core against the system the test starts
 * (the API serves the built console). Each page records its console errors, failed requests
 * and uncaught exceptions, so a test can assert that none happened.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'browser');

const BUILD_LOCK = path.join(ROOT, 'test-artifacts', '.console-build.lock');

/**
 * Builds admin-ui/dist when it is missing or older than its sources (as `npm test` does). Test
 * files run in parallel workers: a lock directory lets one build while the others wait.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 3 * 60_000) fs.rmSync(BUILD_LOCK, { recursive: true, force: true }); // left by a killed run
      if (Date.now() > deadline) throw new Error('timed out waiting for another worker to build the console');
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  try {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "import('./scripts/ensure-deps.mjs').then((m) => m.ensureAdminUiBuilt())"], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error('building the admin console failed');
    if (!fs.existsSync(path.join(ROOT, 'admin-ui', 'dist', 'index.html'))) throw new Error('admin-ui/dist/index.html is missing after the build');
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserSession {
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (its own user-data dir), in Chinese like a user's browser in China. */
export async function launchBrowser(
  opts: { locale?: string; viewport?: { width: number; height: number }; isMobile?: boolean; hasTouch?: boolean; bypassCSP?: boolean } = {},
): Promise<BrowserSession> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    isMobile: opts.isMobile,
    hasTouch: opts.hasTouch,
    // Only to inject axe-core into the page (the console's CSP allows its own scripts only).
    bypassCSP: opts.bypassCSP,
    locale: opts.locale ?? 'zh-CN',
    acceptDownloads: true,
  });
  return {
    context,
    userDataDir,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions and failed requests, in order. */
  problems: string[];
  /** Problems other than the ones a test expects (e.g. the 400 of a rejected form). */
  unexpectedProblems(expected?: RegExp[]): string[];
}

export async function openPage(session: BrowserSession): Promise<WatchedPage> {
  const page = await session.context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`exception: ${err.message}`));
  // Chromium logs failed responses without their address: record which request it was.
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`http ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? '';
    // Navigations away from a page abort its pending requests; that is not an error of the app.
    if (!failure.includes('ERR_ABORTED')) problems.push(`request failed: ${req.method()} ${req.url()} ${failure}`);
  });
  return {
    page,
    problems,
    unexpectedProblems: (expected = []) => problems.filter((p) => !expected.some((re) => re.test(p))),
  };
}

let shot = 0;
const cleared = new Set<string>();
/** Saves a full-page screenshot under test-artifacts/browser/<test file>/ (git-ignored), numbered in order. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const suite = path.basename(expect.getState().testPath ?? 'browser', '.test.ts');
  const dir = path.join(ARTIFACTS, suite);
  if (!cleared.has(dir)) {
    fs.rmSync(dir, { recursive: true, force: true }); // the previous run's pictures
    cleared.add(dir);
  }
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the login page and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.hash.startsWith('#/login'));
  await page.locator('#react-admin-title, .RaLayout-content').first().waitFor();
}

/** Signs out through the user menu. */
export async function signOut(page: Page): Promise<void> {
  await page.locator('button[aria-label$="个人"], button[aria-label$="Profile"]').first().click();
  await page.getByRole('menuitem', { name: /退出登录|Logout/ }).click();
  await page.waitForURL((url) => url.hash.startsWith('#/login'));
}

/**
 * Clicks `target` until `shown` appears: a click that lands while a list re-renders under load can be
 * lost (the row is replaced between press and release). Stops clicking once the target has gone (the
 * click worked and the next page is on its way) and then waits for `shown`.
 */
export async function clickUntilShown(target: Locator, shown: Locator, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await target.click();
    try {
      await shown.waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (!(await target.isVisible())) return shown.waitFor();
      if (attempt >= attempts) throw err;
    }
  }
}

/** A phone: 390×844 with touch, as principals sign on their phones. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;

/** The page is no wider than the screen: nothing scrolls sideways. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  // The screen's own width, not innerWidth: a phone emulator widens innerWidth to fit a page that
  // overflows (as a phone zooms out), so comparing with it would let any overflow pass.
  const viewport = page.viewportSize()?.width ?? (await page.evaluate(() => window.innerWidth));
  return { scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth), viewport };
}

/** Visible buttons (and links styled as buttons) without an accessible name, described for the failure message. */
export async function unnamedButtons(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const nameOf = (el: Element): string => {
      const labelledBy = el.getAttribute('aria-labelledby');
      const byIds = labelledBy ? labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : '';
      const imgAlt = Array.from(el.querySelectorAll('img[alt]')).map((i) => i.getAttribute('alt')).join(' ');
      return [el.getAttribute('aria-label'), byIds, (el as HTMLElement).innerText, el.getAttribute('title'), imgAlt].filter(Boolean).join(' ').trim();
    };
    return Array.from(document.querySelectorAll('button, [role="button"], a.MuiButton-root'))
      .filter((el) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed')
      .filter((el) => !nameOf(el))
      .map((el) => el.outerHTML.slice(0, 160));
  });
}

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** axe-core's serious and critical violations on the page as it stands (needs a context with bypassCSP). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[]; html: string }[] }[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 100)}`) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.targets.join(' | ')}`);
}
