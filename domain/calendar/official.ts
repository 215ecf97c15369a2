/**
 * China's official calendar: weekends, the State Council's public holidays and the make-up
 * workdays (调休), from the maintained npm package `chinese-days` (its data covers the years the
 * State Council has announced; later years are plain Monday–Friday until the package is updated,
 * and administrators can add overrides meanwhile). Not imported by workflow code.
 */
import { getDayDetail } from 'chinese-days';
import type { WorkingDayLookup } from './working-days';

export interface OfficialDay {
  date: string;
  work: boolean;
  /** The holiday's name ("国庆节") for holidays and make-up workdays; empty for an ordinary day. */
  name: string;
}

export function officialDay(date: string): OfficialDay {
  const d = getDayDetail(date);
  // chinese-days names days "English,中文,n" for holidays and make-up workdays, the weekday otherwise.
  const parts = d.name.split(',');
  return { date, work: d.work, name: parts.length >= 2 ? parts[1] : '' };
}

export const officialWorkingDay: WorkingDayLookup = (date) => getDayDetail(date).work;
