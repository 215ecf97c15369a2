/**
 * Working-day arithmetic in China's calendar. Pure: the calendar is passed in as a lookup (the
 * official holidays and make-up workdays, then the administrators' overrides, which win).
 *
 * Times of day are China time (Asia/Shanghai, UTC+8 all year: China has no daylight saving
 * since 1991), so the arithmetic needs no time-zone database:
 * - a working day runs 09:00–18:00 China time; a due time counted in working days falls at the
 *   END of the working day (18:00 China time, 10:00 UTC); working hours count only 09:00–18:00
 *   of working days (4 working hours from Friday 16:00 end on Monday 11:00);
 * - "N working days" counts from the day after the start: a task opened on Wednesday with 3
 *   working days falls due on Monday 18:00 (Thu, Fri, Mon), whatever the hour it was opened;
 * - a reminder "N working days before" goes out at the due time's hour on the N-th working day
 *   before the due day (never before the start);
 * - a period in months (the goal review, rectification) ends on the same day of the month N
 *   months later (the month's last day when shorter: 31 Jan + 1 month = 28/29 Feb), at 18:00
 *   China time, moved forward to the next working day when that day is not one.
 */

export const CHINA_OFFSET_MS = 8 * 3600 * 1000;
/** The working day ends at 18:00 China time: due times in working days or months fall here. */
export const WORKDAY_END_HOUR = 18;
/** How far ahead the arithmetic looks for a working day before giving up (a calendar of only holidays). */
const MAX_SCAN_DAYS = 3 * 366;

export type DayKind = 'workday' | 'holiday';

/** Answers whether a date (YYYY-MM-DD, China) is a working day. */
export type WorkingDayLookup = (date: string) => boolean;

export interface CalendarOverride {
  date: string;
  kind: DayKind;
}

/** Monday–Friday: the default when no holiday list is given. */
export const weekdaysOnly: WorkingDayLookup = (date) => {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
};

/** The official calendar (or weekdays) with the administrators' overrides on top: an override always wins. */
export function withOverrides(official: WorkingDayLookup, overrides: readonly CalendarOverride[]): WorkingDayLookup {
  const byDate = new Map(overrides.map((o) => [o.date, o.kind]));
  return (date) => {
    const kind = byDate.get(date);
    return kind ? kind === 'workday' : official(date);
  };
}

/** The China calendar date (YYYY-MM-DD) of an instant. */
export function chinaDate(iso: string | number | Date): string {
  const t = typeof iso === 'number' ? iso : new Date(iso).getTime();
  return new Date(t + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a China wall-clock time on a date. */
export function chinaTime(date: string, hour: number, minute = 0): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS + (hour * 60 + minute) * 60_000).toISOString();
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The first working day on or after `date`. */
export function nextWorkingDayOnOrAfter(date: string, isWorkingDay: WorkingDayLookup): string {
  let d = date;
  for (let i = 0; i < MAX_SCAN_DAYS; i++, d = addDays(d, 1)) if (isWorkingDay(d)) return d;
  throw new Error(`no working day within ${MAX_SCAN_DAYS} days of ${date}`);
}

/** The date `n` working days after `date` (n ≥ 1; n = 0 answers `date`), stepping over non-working days. */
export function workingDaysAfter(date: string, n: number, isWorkingDay: WorkingDayLookup): string {
  const step = n < 0 ? -1 : 1;
  let d = date;
  let left = Math.abs(n);
  for (let scanned = 0; left > 0; scanned++) {
    if (scanned > MAX_SCAN_DAYS + Math.abs(n) * 7) throw new Error(`no working day near ${date}`);
    d = addDays(d, step);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** When a step begun at `startedAt` falls due with `n` working days: 18:00 China time on the n-th working day after the start day. */
export function dueAfterWorkingDays(startedAt: string, n: number, isWorkingDay: WorkingDayLookup): string {
  return chinaTime(workingDaysAfter(chinaDate(startedAt), n, isWorkingDay), WORKDAY_END_HOUR);
}

/** The working day starts at 09:00 China time: working hours count 09:00–18:00 on working days. */
export const WORKDAY_START_HOUR = 9;

/**
 * When a step begun at `startedAt` falls due with `hours` working hours: the hours are counted
 * within 09:00–18:00 China time on working days only (begun outside them, the count starts at the
 * next working day's 09:00). Fractions of an hour are allowed.
 */
export function dueAfterWorkingHours(startedAt: string, hours: number, isWorkingDay: WorkingDayLookup): string {
  let leftMs = Math.round(hours * 3600_000);
  let day = chinaDate(startedAt);
  let from = Date.parse(startedAt);
  for (let i = 0; i < MAX_SCAN_DAYS + Math.ceil(hours / 9) * 7 + 7; i++, day = addDays(day, 1)) {
    if (!isWorkingDay(day)) continue;
    const open = Date.parse(chinaTime(day, WORKDAY_START_HOUR));
    const close = Date.parse(chinaTime(day, WORKDAY_END_HOUR));
    const begin = Math.max(open, from);
    if (begin >= close) continue;
    if (begin + leftMs <= close) return new Date(begin + leftMs).toISOString();
    leftMs -= close - begin;
    from = close;
  }
  throw new Error(`no working hours near ${startedAt}`);
}

/** The reminder `n` working days before a due time (same China clock time), never before the start. Null when n ≤ 0. */
export function remindBeforeWorkingDays(startedAt: string, dueAt: string, n: number, isWorkingDay: WorkingDayLookup): string | null {
  if (n <= 0) return null;
  const day = workingDaysAfter(chinaDate(dueAt), -n, isWorkingDay);
  const clock = Date.parse(dueAt) - Date.parse(chinaTime(chinaDate(dueAt), 0));
  const at = Date.parse(chinaTime(day, 0)) + clock;
  return new Date(Math.max(Date.parse(startedAt), at)).toISOString();
}

/** The date `months` calendar months after `date`, clamped to the month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The end of a period of `months` months begun at `startedAt`: 18:00 China time, on the next working day when that day is not one. */
export function dueAfterMonths(startedAt: string, months: number, isWorkingDay: WorkingDayLookup): string {
  return chinaTime(nextWorkingDayOnOrAfter(addMonths(chinaDate(startedAt), months), isWorkingDay), WORKDAY_END_HOUR);
}

/** Whether a date string is a real calendar date (YYYY-MM-DD). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}
