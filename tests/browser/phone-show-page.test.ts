/**
 * The registration's show page on a phone (390×844, touch): a reviewer reads the whole form there,
 * so no tab of it may scroll sideways — the 登记表 tab with its member-unit and goal tables, the
 * signature images and long texts included — and every button keeps its name. The same tabs are
 * photographed on a desktop.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { as, createCast, registrationRow, throughSigning, type Cast } from '../workflow/support';
import {
  ensureConsoleBuilt,
  horizontalOverflow,
  launchBrowser,
  openPage,
  PHONE,
  screenshot,
  signIn,
  unnamedButtons,
  type BrowserSession,
  type WatchedPage,
} from './support';

jest.setTimeout(300_000);

let sys: TestSystem;
let cast: Cast;
let phone: BrowserSession;
let desktop: BrowserSession;
let registrationId: string;
let name: string;

/** The tabs of the show page, by their path after /show, with the text each one shows when loaded. */
const TABS = [
  { path: '', label: '登记表', loaded: (p: Page) => p.getByText('示范区公安分局城东派出所').first() },
  { path: '/process', label: '办理进程', loaded: (p: Page) => p.getByTestId('timeline') },
  { path: '/coverage', label: '参与方覆盖', loaded: (p: Page) => p.locator('.RaTabbedShowLayout-content').first() },
  { path: '/comments', label: '评论', loaded: (p: Page) => p.getByText(LONG_COMMENT.slice(0, 12)).first() },
];

// One unbroken run of Latin and digits (a pasted link) beside Chinese text: the hardest line to wrap.
const LONG_COMMENT = '请补充派出所的联系人电话，见 https://example.edu.cn/jiaolianti/registrations/attachments/2026-12-01-member-units-contact-list.xlsx';

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem();
  cast = await createCast(sys.db);
  // Signed by the principal: the 登记表 tab carries the signature and stamp images as well.
  registrationId = await throughSigning(sys, cast);
  name = (await registrationRow(sys.db, registrationId)).name;
  const commented = await as(sys, cast.bureau)('POST', `/api/registrations/${registrationId}/comments`, { body: LONG_COMMENT });
  expect(commented.status).toBe(201);
  phone = await launchBrowser(PHONE);
  desktop = await launchBrowser({ viewport: { width: 1366, height: 900 } });
});

afterAll(async () => {
  await phone?.close();
  await desktop?.close();
  await sys?.close();
});

async function settled(p: Page): Promise<void> {
  await p.locator('#react-admin-title').first().waitFor({ state: 'attached' });
  await p.waitForLoadState('networkidle');
  await p.locator('.MuiLinearProgress-root, [role="progressbar"]').first().waitFor({ state: 'detached' }).catch(() => undefined);
}

describe('The registration show page', () => {
  for (const [size, session, width] of [
    ['phone', () => phone, PHONE.viewport.width],
    ['desktop', () => desktop, 1366],
  ] as const) {
    test(`When the bureau reads each tab of a signed registration on a ${size}, then nothing scrolls sideways and every button has a name`, async () => {
      const watched: WatchedPage = await openPage(session());
      const page = watched.page;
      await signIn(page, sys.baseUrl, cast.bureau.username, DEFAULT_TEST_PASSWORD);
      for (const tab of TABS) {
        await page.goto(`${sys.baseUrl}/#/registrations/${registrationId}/show${tab.path}`);
        await page.getByRole('heading', { name }).or(page.getByText(name).first()).first().waitFor();
        await tab.loaded(page).waitFor();
        await settled(page);
        if (tab.path === '') await page.getByRole('img', { name: '校长签名（盖章）' }).waitFor();
        await screenshot(page, `${size}-show${tab.path.replace('/', '-') || '-form'}`);
        // Against the screen's own width: a phone widens its layout viewport (and innerWidth) to fit a page that overflows.
        const { scrollWidth } = await horizontalOverflow(page);
        expect({ tab: tab.label, scrollWidth }).toEqual({ tab: tab.label, scrollWidth: width });
        expect({ tab: tab.label, unnamed: await unnamedButtons(page) }).toEqual({ tab: tab.label, unnamed: [] });
      }
      await page.close();
      expect(watched.unexpectedProblems()).toEqual([]);
    });
  }
});
