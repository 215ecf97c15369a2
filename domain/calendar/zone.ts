/**
 * Times for people: every notification and e-mail shows a time in the reader's zone (the user's
 * `timeZone`, Asia/Shanghai by default), never UTC: "2026年12月3日 18:00 (北京时间)" /
 * "3 Dec 2026 18:00 (Beijing time)".
 *
 * Texts written once for many readers carry time tokens (`⟦zh:ISO⟧`, `⟦en:ISO⟧`, and the date-only
 * `⟦zhd:ISO⟧`, `⟦end:ISO⟧`); each reader's copy is rendered in their zone when it is written.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Whether the runtime knows the zone (an IANA name such as Asia/Shanghai). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const zoneOr = (tz: string | null | undefined) => (tz && isTimeZone(tz) ? tz : DEFAULT_TIME_ZONE);

function parts(iso: string, tz: string) {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return { year: p.year, month: Number(p.month), day: Number(p.day), hour: p.hour, minute: p.minute };
}

function offsetLabel(iso: string, tz: string): string {
  const name = new Intl.DateTimeFormat('en', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(new Date(iso)).find((x) => x.type === 'timeZoneName')?.value;
  return name === 'GMT' ? 'UTC' : (name ?? tz).replace('GMT', 'UTC');
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const isChina = (tz: string) => tz === 'Asia/Shanghai' || tz === 'Asia/Chongqing' || tz === 'Asia/Harbin' || tz === 'PRC';

/** "2026年12月3日 18:00 (北京时间)"; in another zone "2026年12月3日 19:00 (Asia/Tokyo, UTC+09:00)". */
export function formatTimeZh(iso: string, timeZone?: string | null): string {
  const tz = zoneOr(timeZone);
  const p = parts(iso, tz);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute} (${isChina(tz) ? '北京时间' : `${tz}, ${offsetLabel(iso, tz)}`})`;
}

/** "3 Dec 2026 18:00 (Beijing time)"; in another zone "3 Dec 2026 19:00 (Asia/Tokyo, UTC+09:00)". */
export function formatTimeEn(iso: string, timeZone?: string | null): string {
  const tz = zoneOr(timeZone);
  const p = parts(iso, tz);
  return `${p.day} ${MONTHS_EN[p.month - 1]} ${p.year} ${p.hour}:${p.minute} (${isChina(tz) ? 'Beijing time' : `${tz}, ${offsetLabel(iso, tz)}`})`;
}

/** "2026年12月3日" — the date in the reader's zone. */
export function formatDateZh(iso: string, timeZone?: string | null): string {
  const p = parts(iso, zoneOr(timeZone));
  return `${p.year}年${p.month}月${p.day}日`;
}

/** "3 Dec 2026" — the date in the reader's zone. */
export function formatDateEn(iso: string, timeZone?: string | null): string {
  const p = parts(iso, zoneOr(timeZone));
  return `${p.day} ${MONTHS_EN[p.month - 1]} ${p.year}`;
}

/** Tokens a shared text carries; renderTimes turns them into the reader's time. */
export const timeZh = (iso: string) => `⟦zh:${iso}⟧`;
export const timeEn = (iso: string) => `⟦en:${iso}⟧`;
export const dateZh = (iso: string) => `⟦zhd:${iso}⟧`;
export const dateEn = (iso: string) => `⟦end:${iso}⟧`;

const TOKEN = /⟦(zh|en|zhd|end):([^⟧]+)⟧/g;

/** The text with every time token written out in the zone (Asia/Shanghai when none). */
export function renderTimes(text: string, timeZone?: string | null): string {
  return text.replace(TOKEN, (whole, kind: string, iso: string) => {
    if (!Number.isFinite(Date.parse(iso))) return whole;
    if (kind === 'zh') return formatTimeZh(iso, timeZone);
    if (kind === 'en') return formatTimeEn(iso, timeZone);
    if (kind === 'zhd') return formatDateZh(iso, timeZone);
    return formatDateEn(iso, timeZone);
  });
}
