/** The console shows the API's bilingual messages ("中文 / English") in its own language only. */
import { localizeComposite, localizeErrors, localizeMessage } from '../../admin-ui/src/providers/localize';

describe('localizeMessage', () => {
  test('When a message has both languages, then each screen gets its half', () => {
    const message = '组建时间不能晚于今天 / Date formed cannot be in the future';
    expect(localizeMessage(message, 'zh-CN')).toBe('组建时间不能晚于今天');
    expect(localizeMessage(message, 'en')).toBe('Date formed cannot be in the future');
  });

  test('When the separator follows a full-width bracket without a space, then it still splits', () => {
    const message = '目标日期须在两年建设周期内（不晚于 2028-01-01）/ Target date must be within the two-year cycle (by 2028-01-01)';
    expect(localizeMessage(message, 'zh-CN')).toBe('目标日期须在两年建设周期内（不晚于 2028-01-01）');
    expect(localizeMessage(message, 'en')).toBe('Target date must be within the two-year cycle (by 2028-01-01)');
  });

  test('When a message is in one language, or its slash is part of the text, then it is shown as is', () => {
    expect(localizeMessage('Bad request', 'zh-CN')).toBe('Bad request');
    expect(localizeMessage('请在 A/B 两栏填写', 'en')).toBe('请在 A/B 两栏填写');
  });

  test('When field errors come back, then every one is localized under its own key', () => {
    expect(localizeErrors({ 'memberUnits.2.name': '成员单位名称重复 / Duplicate member unit name' }, 'en')).toEqual({ 'memberUnits.2.name': 'Duplicate member unit name' });
  });
});

describe('localizeComposite (notification titles)', () => {
  const title = '待办：牵头学校意见 — 阳光教联体 / To do: lead-school opinion';

  test('When shown in Chinese, then the Chinese half keeps the registration name', () => {
    expect(localizeComposite(title, 'zh-CN')).toBe('待办：牵头学校意见 — 阳光教联体');
  });

  test('When shown in English, then the English half gets the registration name appended', () => {
    expect(localizeComposite(title, 'en')).toBe('To do: lead-school opinion — 阳光教联体');
  });
});
