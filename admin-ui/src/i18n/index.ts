import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { mergeTranslations } from 'react-admin';
import { setMessageLocale } from '../providers/localize';
import { appEnglish } from './app-en';
import { appChinese } from './app-zh';
import { calendarChinese } from './calendar-zh';
import { calendarEnglish } from './calendar-en';
import { consoleEnglish } from './console-en';
import { consoleChinese } from './console-zh';
import { raChinese } from './ra-zh';
import { collaborationEn, collaborationZh } from '../collaboration/messages';
import { collabCcChinese } from './collab-cc-zh';
import { collabCcEnglish } from './collab-cc-en';
import { stepMessagesEn, stepMessagesZh } from '../tasks/collaboration-messages';

export const LOCALES = [
  { locale: 'zh-CN', name: '中文' },
  { locale: 'en', name: 'English' },
];

const messages: Record<string, any> = {
  'zh-CN': mergeTranslations(raChinese, appChinese, consoleChinese, collaborationZh, calendarChinese, collabCcChinese, stepMessagesZh),
  en: mergeTranslations(englishMessages, appEnglish, consoleEnglish, collaborationEn, calendarEnglish, collabCcEnglish, stepMessagesEn),
};

/** Chinese first: zh-CN unless the user picked English (react-admin keeps the choice in its store). */
const provider = polyglotI18nProvider((locale) => messages[locale] ?? messages['zh-CN'], 'zh-CN', LOCALES, { allowMissing: true });

export const i18nProvider = {
  ...provider,
  changeLocale: (locale: string) => {
    setMessageLocale(locale);
    return provider.changeLocale(locale);
  },
};
