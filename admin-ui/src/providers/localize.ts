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
 * Messages composed of bilingual pieces ("待办：牵头学校意见 / Lead-school opinion — 名称"): in Chinese
 * every " / English" piece is dropped up to the next Chinese character or dash; in English the
 * whole text is kept, as its pieces do not form one English sentence.
 */
export function localizeComposite(message: string, locale = currentLocale): string {
  if (!locale.startsWith('zh')) return message;
  return message.replace(/\s?\/\s+[A-Za-z][^\u3400-\u9fff—]*/g, (piece) => (/\s$/.test(piece) ? ' ' : '')).replace(/\s+—/g, ' —').trim();
}
