/**
 * The API writes its messages as "中文 / English". The console shows the half of the current
 * locale, so a Chinese screen never mixes in English and the other way round.
 */
let currentLocale = 'zh-CN';

export const setMessageLocale = (locale: string) => {
  currentLocale = locale;
};
export const messageLocale = () => currentLocale;

export function localizeMessage(message: string, locale = currentLocale): string {
  // The separator is the first "/" followed by a space and an English word ("…）/ Target …" too).
  const match = /\s?\/\s+(?=[A-Za-z])/.exec(message);
  if (!match || !/[\u3400-\u9fff]/.test(message.slice(0, match.index))) return message;
  const zh = message.slice(0, match.index).trim();
  const en = message.slice(match.index + match[0].length).trim();
  return locale.startsWith('zh') ? zh : en;
}

export function localizeErrors(errors: Record<string, unknown> | undefined, locale = currentLocale): Record<string, string> | undefined {
  if (!errors) return errors;
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, localizeMessage(String(v), locale)]));
}

/**
 * Notification titles ("待办：牵头学校意见 — 名称 / To do: lead-school opinion"): the registration's
 * name stands in the Chinese half only, after the dash; the English screen gets it appended.
 */
export function localizeComposite(message: string, locale = currentLocale): string {
  const zh = localizeMessage(message, 'zh-CN');
  if (zh === message || locale.startsWith('zh')) return zh;
  const en = localizeMessage(message, 'en');
  const dash = zh.indexOf('—');
  return dash >= 0 ? `${en} — ${zh.slice(dash + 1).trim()}` : en;
}
