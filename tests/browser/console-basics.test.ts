import { createSchoolWithStaff, DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { ensureConsoleBuilt, launchBrowser, openPage, screenshot, signIn, signOut, type BrowserSession } from './support';

jest.setTimeout(180_000);

let sys: TestSystem;
let browser: BrowserSession;
let staff: Awaited<ReturnType<typeof createSchoolWithStaff>>['staff'];
let school: Awaited<ReturnType<typeof createSchoolWithStaff>>['school'];

beforeAll(async () => {
  await ensureConsoleBuilt();
  sys = await startSystem({ worker: false });
  ({ staff, school } = await createSchoolWithStaff(sys.db));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await sys?.close();
});

describe('The console language', () => {
  test('When a user opens the console, then it speaks Chinese; the app bar switches it to English and back', async () => {
    const { page, unexpectedProblems } = await openPage(browser);
    await page.goto(sys.baseUrl);
    await page.waitForURL((url) => url.hash.startsWith('#/login'));
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.getByText('教联体登记与审批').first().waitFor();
    await screenshot(page, 'login-zh');

    await signIn(page, sys.baseUrl, staff.username, DEFAULT_TEST_PASSWORD);
    await page.getByRole('menuitem', { name: '教联体登记' }).waitFor();
    await page.getByText(`欢迎，${staff.name}`).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await screenshot(page, 'dashboard-zh');

    await page.getByRole('button', { name: /语言|中文/ }).first().click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('menuitem', { name: 'Registrations' }).waitFor();
    await page.getByText(`Welcome, ${staff.name}`).waitFor();
    await screenshot(page, 'dashboard-en');
    await page.goto(`${sys.baseUrl}/#/registrations/create`);
    for (const tab of ['Basics', 'Member units', 'Introduction', 'Goals', 'Remarks and more']) await page.getByRole('tab', { name: tab }).waitFor();
    await page.getByLabel('Alliance name').waitFor();
    await page.getByLabel('Date formed').waitFor();
    await screenshot(page, 'registration-form-en');
    // The date picker speaks English too: "December 2026", weeks from Sunday.
    await page.getByRole('button', { name: /Choose date/ }).click();
    const calendar = page.getByRole('dialog');
    await calendar.getByText(/^[A-Z][a-z]+ \d{4}$/).waitFor();
    expect(await calendar.getByRole('columnheader').allTextContents()).toEqual(['S', 'M', 'T', 'W', 'T', 'F', 'S']);
    await screenshot(page, 'date-picker-en');
    await page.keyboard.press('Escape');
    await calendar.waitFor({ state: 'hidden' });

    // The choice survives a reload; then back to Chinese.
    await page.reload();
    await page.getByRole('menuitem', { name: 'Registrations' }).waitFor();
    await page.getByRole('button', { name: /Language|English/ }).first().click();
    await page.getByRole('menuitem', { name: '中文' }).click();
    await page.getByRole('menuitem', { name: '教联体登记' }).waitFor();

    await signOut(page);
    expect(unexpectedProblems()).toEqual([]);
    await page.close();
  });
});

describe('The registration form', () => {
  test('When the server rejects a field, then its message appears under that input and nothing is stored', async () => {
    const { page, unexpectedProblems } = await openPage(browser);
    await signIn(page, sys.baseUrl, staff.username, DEFAULT_TEST_PASSWORD);
    await page.goto(`${sys.baseUrl}/#/registrations/create`);
    await page.locator('input[name="name"]').fill('阳光教联体（浏览器测试）');
    await page.locator('input[name="legalRepresentative"]').fill('王校长');
    // Lead school is the drafter's own, shown read-only.
    await page.waitForFunction((name) => (document.querySelector('input[name="schoolName"]') as HTMLInputElement | null)?.value === name, school.name);
    const nextYear = `${new Date().getFullYear() + 1}-01-15`;
    await page.locator('input[name="formedOn"]').fill(nextYear);

    await page.getByRole('tab', { name: '基本情况介绍' }).click();
    await page.locator('textarea[name="introduction"]').fill('以牵头学校为核心，联合社区和家长委员会。👨‍👩‍👧');
    await page.getByTestId('introduction-counter').getByText('21 / 800 字').waitFor();

    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('tab', { name: '基本信息' }).click();
    const formedOnError = page.locator('.ra-input-formedOn .MuiFormHelperText-root');
    await formedOnError.getByText('组建时间不能晚于今天').waitFor();
    await screenshot(page, 'registration-field-error');

    const stored = await sys.db('registrations').where({ schoolId: school.id }).count({ n: '*' }).first();
    expect(Number(stored?.n)).toBe(0);
    // The rejected save is the only thing the console reports (Chromium logs the 400 itself).
    expect(unexpectedProblems([/status of 400/, /^http 400: POST .*\/api\/registrations$/])).toEqual([]);
    await page.close();
  });
});
