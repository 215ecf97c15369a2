/**
 * The administrators' calendar overrides (`calendar_days`): a date made a workday or a holiday,
 * with a name. Read by the worker's deadline arithmetic and the API's calendar-days resource.
 */
import type { Knex } from 'knex';
import { officialWorkingDay } from './official';
import { withOverrides, type CalendarOverride, type DayKind, type WorkingDayLookup } from './working-days';

type Conn = Knex | Knex.Transaction;

export interface CalendarDay {
  id: number;
  date: string;
  kind: DayKind;
  name: string;
  updatedBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export const CALENDAR_DAY_SORTABLE: Record<string, string> = { id: 'id', date: 'date', kind: 'kind', name: 'name', updatedAt: 'updatedAt' };

/** A Postgres `date` may come back as a Date at local midnight or as text: always answer YYYY-MM-DD. */
export function dateText(d: Date | string): string {
  if (typeof d === 'string') return d.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function toCalendarDay(r: Record<string, any>): CalendarDay {
  return {
    id: Number(r.id),
    date: typeof r.dayText === 'string' ? r.dayText : dateText(r.date),
    kind: r.kind,
    name: r.name,
    updatedBy: r.updatedBy ?? null,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

export async function calendarOverrides(db: Conn): Promise<CalendarOverride[]> {
  const rows = (await db('calendarDays').select(db.raw("to_char(date, 'YYYY-MM-DD') as date"), 'kind')) as CalendarOverride[];
  return rows;
}

/** The working-day calendar in force: China's official calendar with the overrides on top. */
export async function loadWorkingCalendar(db: Conn): Promise<WorkingDayLookup> {
  return withOverrides(officialWorkingDay, await calendarOverrides(db));
}
