/**
 * District operations in the browser: the overview as the bureau's and administrators' start page
 * (charts with their numbers), the import page's preview with per-row errors and the confirmed
 * import, the .xlsx export button, and single sign-on through a real OpenID Connect provider.
 * Screenshots of the overview and the import preview in zh and en, desktop and 390×844.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createDistrict, createSchool, createUser, DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { insertAlliance, insertTask } from '../district/seed';
import { freePort, startProvider, type TestProvider } from '../district/oidc';
import { readWorkbook, workbook } from '../district/xlsx';
import { ensureConsoleBuilt, launchBrowser, openPage, screenshot, signIn, signOut, type BrowserSession, type WatchedPage } from './support';

jest.setTimeout(240_000);

let sys: TestSystem;
let provider: TestProvider;
let browser: BrowserSession;
let watched: WatchedPage;
let page: Page;
let admin: Awaited<ReturnType<typeof createUser>>;
let bureau: Awaited<ReturnType<typeof createUser>>;
let districtCode: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-district-'));
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };

async function switchLanguage(p: Page, to: 'English' | '中文') {
  await p.getByRole('button', { name: /语言|中文|Language|English/ }).first().click();
  await p.getByRole('menuitem', { name: to }).click();
}

async function bothSizes(p: Page, name: string) {
  await p.setViewportSize(DESKTOP);
  await screenshot(p, `${name}-desktop`);
  await p.setViewportSize(PHONE);
  await screenshot(p, `${name}-phone`);
  await p.setViewportSize(DESKTOP);
}

beforeAll(async () => {
  await ensureConsoleBuilt();
  const port = await freePort();
  sys = await startSystem({
    worker: false,
    isolatedDatabase: {},
    env: { OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: 'jlt-console', OIDC_CLIENT_SECRET: 'browser-test-secret', OIDC_LABEL: '省统一身份认证' },
  });
  provider = await startProvider(port, 'jlt-console', 'browser-test-secret', `${sys.baseUrl}/api/auth/oidc/callback`);

  const district = await createDistrict(sys.db, { name: '示范区' });
  districtCode = district.code;
  admin = await createUser(sys.db, { roles: ['admin'], name: '系统管理员甲' });
  bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: district.id, name: '教育局乙' });
  const schools = [];
  for (const name of ['实验一小', '育才中学', '城南小学', '光明初中']) schools.push(await createSchool(sys.db, { districtId: district.id, name }));
  const plan: [number, string, string, string[], number[]][] = [
    [0, '实验一小家校社教联体', 'active', ['government', 'department.education', 'family', 'community', 'social_resource.university'], [20, 50]],
    [0, '实验一小体育教联体', 'bureau_approval', ['department.health', 'family'], []],
    [1, '育才中学思政教联体', 'active', ['government', 'department.publicity', 'community', 'social_resource.patriotic_education_base'], [35]],
    [1, '育才中学劳动教联体', 'goal_review', ['family', 'community', 'social_resource.enterprise'], [-3, 70]],
    [2, '城南小学阅读教联体', 'draft', ['community'], []],
    [3, '光明初中科普教联体', 'principal_signature', ['department.science', 'social_resource.cultural_venue', 'family'], []],
  ];
  const ids: string[] = [];
  for (const [s, name, status, parties, goals] of plan) ids.push(await insertAlliance(sys.db, { schoolId: schools[s].id, name, status, parties, goalsInDays: goals }));
  await insertTask(sys.db, { registrationId: ids[1], step: 'bureau_approval', schoolId: schools[0].id, districtId: district.id, dueInHours: -26 });
  await insertTask(sys.db, { registrationId: ids[5], step: 'principal_signature', schoolId: schools[3].id, districtId: district.id, dueInHours: -3 });
  await sys.db('goalReviews').insert({ registrationId: ids[3], cycle: 1, status: 'failed', overall: 'fail', openedAt: new Date() });

  browser = await launchBrowser();
  watched = await openPage(browser);
  page = watched.page;
});

afterAll(async () => {
  await browser?.close();
  await provider?.stop();
  await sys?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('District operations in the console', () => {
  test('When the bureau signs in, then the start page is the district overview, with charts and the numbers behind them', async () => {
    await signIn(page, sys.baseUrl, bureau.username, DEFAULT_TEST_PASSWORD);
    await page.getByTestId('district-overview').waitFor();
    await page.getByTestId('ov-alliances').getByText('6', { exact: true }).waitFor();
    await page.getByTestId('dash-overdue-value').getByText('2', { exact: true }).waitFor();
    await page.locator('[data-status-count="active"]').getByText('2', { exact: true }).waitFor();
    expect(await page.locator('[data-testid="ov-by-status"] .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    // Party coverage: the stressed parties the alliances lack, and which schools.
    const lacking = page.getByTestId('ov-schools-lacking');
    await lacking.getByText('城南小学').waitFor();
    await lacking.getByText(/政府 1.*相关部门 1/).first().waitFor();
    await page.getByTestId('ov-coverage').getByText('家庭（家庭）').waitFor();
    await page.getByTestId('ov-reviews').getByRole('cell', { name: '未通过' }).waitFor();
    await bothSizes(page, 'overview-zh');

    await switchLanguage(page, 'English');
    await page.getByText('Alliances by status').waitFor();
    await page.getByTestId('ov-coverage').getByText('Family (Family)', { exact: false }).first().waitFor().catch(() => undefined);
    await page.getByText('Stressed parties missing').waitFor();
    await bothSizes(page, 'overview-en');
    await switchLanguage(page, '中文');
    await signOut(page);
  });

  test('When an administrator uploads a file with errors, then the preview shows each row and its error, and nothing is imported until a clean file is confirmed', async () => {
    await signIn(page, sys.baseUrl, admin.username, DEFAULT_TEST_PASSWORD);
    await page.getByRole('menuitem', { name: '批量导入' }).click();
    await page.getByText('批量导入学校与用户').waitFor();

    const headers = ['学校代码', '学校名称', '所属区', '法人代表', '地址'];
    const bad = path.join(tmp, 'schools-bad.xlsx');
    fs.writeFileSync(
      bad,
      await workbook(headers, [
        ['bt-001', '东湖小学', districtCode, '刘校长', '东湖路1号'],
        ['bt-002', '西山中学', '不存在的区', '陈校长', ''],
        ['bt 003', '', districtCode, '', ''],
        ['bt-004', '北岸小学', districtCode, '', ''],
      ]),
    );
    await page.getByTestId('import-file').setInputFiles(bad);
    const preview = page.getByTestId('import-preview');
    await preview.locator('[data-row="3"][data-action="error"]').getByText('区“不存在的区”不存在').waitFor();
    await preview.locator('[data-row="4"][data-action="error"]').getByText('必填').first().waitFor();
    await page.getByTestId('import-summary').getByText('有 2 行有误').waitFor();
    expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true);
    await bothSizes(page, 'import-preview-zh');
    // On a phone a row's errors are on screen without scrolling the table sideways.
    await page.setViewportSize(PHONE);
    const errorCell = preview.locator('[data-row="3"] td[data-errors]');
    await errorCell.getByText('区“不存在的区”不存在').waitFor();
    const box = (await errorCell.boundingBox())!;
    expect(box.x + 150).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
    await switchLanguage(page, 'English');
    await page.getByTestId('import-file').setInputFiles(bad);
    await preview.locator('[data-row="3"]').getByText('No such district: 不存在的区').waitFor();
    await bothSizes(page, 'import-preview-en');
    await switchLanguage(page, '中文');
    expect(await sys.db('schools').where('code', 'like', 'bt-%').count({ n: '*' }).first()).toEqual({ n: '0' });

    const good = path.join(tmp, 'schools-good.xlsx');
    fs.writeFileSync(good, await workbook(headers, [['bt-001', '东湖小学', districtCode, '刘校长', '东湖路1号'], ['bt-004', '北岸小学', '示范区', '', '']]));
    await page.getByTestId('import-file').setInputFiles(good);
    await page.getByTestId('import-summary').getByText('全部 2 行有效').waitFor();
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').getByText('新增 2').waitFor();
    expect((await sys.db('schools').where('code', 'like', 'bt-%').orderBy('code').pluck('name'))).toEqual(['东湖小学', '北岸小学']);
  });

  test('When an administrator imports 4,000 users, then the page shows how far the server has got while it reads and writes them', async () => {
    await page.goto(`${sys.baseUrl}/#/imports`);
    await page.getByText('批量导入学校与用户').waitFor();
    await page.getByRole('button', { name: '用户', exact: true }).click();
    const school = (await sys.db('schools').first('code')) as { code: string };
    const file = path.join(tmp, 'users-4000.xlsx');
    fs.writeFileSync(
      file,
      await workbook(
        ['用户名', '姓名', '角色', '学校代码', '所属区', '邮箱', '初始密码'],
        Array.from({ length: 4000 }, (_, i) => [`bulk.teacher${i}`, `教师${i}`, '学校经办人', school.code, '', '', '']),
      ),
    );
    await page.getByTestId('import-file').setInputFiles(file);
    await page.locator('[data-testid="import-progress"][data-phase="read"]').getByText('正在读取文件').waitFor();
    await page.getByTestId('import-summary').getByText('全部 4000 行有效').waitFor();
    await page.getByTestId('import-confirm').click();
    await page.locator('[data-testid="import-progress"][data-phase="write"]').getByText(/正在写入 [\d,]+ \/ 4,000 行/).waitFor();
    await page.getByTestId('import-done').getByText('新增 4000').waitFor();
    expect(await sys.db('users').where('username', 'like', 'bulk.teacher%').count({ n: '*' }).first()).toEqual({ n: '4000' });
  });

  test('When the administrator exports the registration list, then an .xlsx with Chinese headers downloads', async () => {
    await page.goto(`${sys.baseUrl}/#/registrations`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    const file = path.join(tmp, 'export.xlsx');
    await download.saveAs(file);
    const rows = await readWorkbook(fs.readFileSync(file));
    expect(rows[0].slice(0, 2)).toEqual(['教联体名称', '牵头学校']);
    expect(rows).toHaveLength(7);
    await signOut(page);
    expect(watched.unexpectedProblems()).toEqual([]);
  });

  test('When SSO is configured, then the login page offers it and a known user signs in through the provider', async () => {
    const ssoPage = (await openPage(browser)).page;
    await ssoPage.goto(`${sys.baseUrl}/#/login`);
    const button = ssoPage.getByTestId('sso-button');
    await button.getByText('使用省统一身份认证登录').waitFor();
    await screenshot(ssoPage, 'login-with-sso');
    await button.click();
    await ssoPage.locator('input[name="login"]').fill(bureau.username);
    await ssoPage.locator('input[name="password"]').fill('whatever-the-provider-checks');
    await ssoPage.locator('button[type="submit"]').click();
    await ssoPage.getByTestId('district-overview').waitFor();
    await ssoPage.getByText('教育局乙').first().waitFor();
    expect(ssoPage.url()).not.toContain('sso=');
    await signOut(ssoPage);
    await ssoPage.close();
  });

  test('When the provider vouches for someone without an account, then the login page says why and nobody is created', async () => {
    // A browser of its own: the provider still remembers the previous sign-in in the first one.
    const other = await launchBrowser();
    const ssoPage = (await openPage(other)).page;
    await ssoPage.goto(`${sys.baseUrl}/#/login`);
    await ssoPage.getByTestId('sso-button').click();
    await ssoPage.locator('input[name="login"]').fill('stranger-without-account');
    await ssoPage.locator('input[name="password"]').fill('x');
    await ssoPage.locator('button[type="submit"]').click();
    await ssoPage.getByTestId('sso-error').getByText('“stranger-without-account”在本系统中没有对应用户').waitFor();
    await screenshot(ssoPage, 'login-sso-refused');
    expect(await sys.db('users').where({ username: 'stranger-without-account' }).first()).toBeUndefined();
    await other.close();
  });
});
