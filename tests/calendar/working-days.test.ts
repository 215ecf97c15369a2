/**
 * Working-day arithmetic over China's official calendar (npm chinese-days) with local overrides:
 * pure, no database.
 */
import { officialDay, officialWorkingDay } from '../../domain/calendar/official';
import { addMonths, chinaDate, dueAfterMonths, dueAfterWorkingDays, dueAfterWorkingHours, remindBeforeWorkingDays, weekdaysOnly, withOverrides } from '../../domain/calendar/working-days';
import { formatTimeEn, formatTimeZh, renderTimes, timeEn, timeZh } from '../../domain/calendar/zone';
import { deadlinesFrom } from '../../domain/process/deadlines';

const official = officialWorkingDay;

describe('China’s official calendar', () => {
  test('National Day week 2026-10-01…07 is a holiday, and the make-up Saturday 2026-10-10 is a workday', () => {
    for (let d = 1; d <= 7; d++) expect(official(`2026-10-0${d}`)).toBe(false);
    expect(official('2026-10-10')).toBe(true);
    expect(officialDay('2026-10-10')).toMatchObject({ work: true, name: '国庆节' });
    expect(official('2026-10-11')).toBe(false); // an ordinary Sunday
  });

  test('an ordinary weekend is not a working day, an ordinary Tuesday is', () => {
    expect(official('2026-12-05')).toBe(false);
    expect(official('2026-12-06')).toBe(false);
    expect(official('2026-12-01')).toBe(true);
  });
});

describe('Due times in working days (18:00 China time)', () => {
  test('three working days from Wednesday 2026-12-02 fall due on Monday 2026-12-07 at 18:00 China time', () => {
    expect(dueAfterWorkingDays('2026-12-02T02:00:00.000Z', 3, official)).toBe('2026-12-07T10:00:00.000Z');
  });

  test('a task opened on 2026-09-30 with 2 working days skips the National Day week and falls due on 2026-10-09', () => {
    expect(chinaDate(dueAfterWorkingDays('2026-09-30T01:00:00.000Z', 2, official))).toBe('2026-10-09');
    // 1 working day: the next one is Thursday 2026-10-08.
    expect(chinaDate(dueAfterWorkingDays('2026-09-30T01:00:00.000Z', 1, official))).toBe('2026-10-08');
  });

  test('the make-up Saturday 2026-10-10 counts as a working day', () => {
    // Friday 2026-10-09 + 1 working day = Saturday 2026-10-10 (调休), not Monday.
    expect(chinaDate(dueAfterWorkingDays('2026-10-09T01:00:00.000Z', 1, official))).toBe('2026-10-10');
  });

  test('the working day is the China date: 23:30 China time on Friday (15:30 UTC) is still Friday', () => {
    expect(chinaDate(dueAfterWorkingDays('2026-12-04T15:30:00.000Z', 1, official))).toBe('2026-12-07');
  });

  test('an administrator’s override wins over the official calendar', () => {
    const cal = withOverrides(official, [
      { date: '2026-12-03', kind: 'holiday' }, // a local holiday on Thursday
      { date: '2026-12-05', kind: 'workday' }, // a Saturday made a workday
    ]);
    // From Wednesday 2026-12-02, 2 working days: Friday 4th, Saturday 5th.
    expect(chinaDate(dueAfterWorkingDays('2026-12-02T02:00:00.000Z', 2, cal))).toBe('2026-12-05');
    // An override can also make an official holiday a workday.
    expect(withOverrides(official, [{ date: '2026-10-02', kind: 'workday' }])('2026-10-02')).toBe(true);
  });

  test('a reminder 1 working day before a Monday due time goes out on the Friday before, at the same hour', () => {
    expect(remindBeforeWorkingDays('2026-12-02T02:00:00.000Z', '2026-12-07T10:00:00.000Z', 1, official)).toBe('2026-12-04T10:00:00.000Z');
    // Never before the start.
    expect(remindBeforeWorkingDays('2026-12-04T11:00:00.000Z', '2026-12-07T10:00:00.000Z', 3, official)).toBe('2026-12-04T11:00:00.000Z');
  });
});

describe('Due times in working hours (09:00–18:00 China time on working days)', () => {
  test('4 working hours from Friday 16:00 end on Monday 11:00', () => {
    expect(dueAfterWorkingHours('2026-12-04T08:00:00.000Z', 4, official)).toBe('2026-12-07T03:00:00.000Z');
  });
  test('begun before 09:00 the count starts at 09:00; begun on a Sunday, at Monday 09:00', () => {
    expect(dueAfterWorkingHours('2026-12-01T23:00:00.000Z', 2, official)).toBe('2026-12-02T03:00:00.000Z'); // Wed 07:00 → 11:00
    expect(dueAfterWorkingHours('2026-12-06T04:00:00.000Z', 9, official)).toBe('2026-12-07T10:00:00.000Z'); // Sunday → Monday 18:00
  });
  test('the National Day week is stepped over: 2 working hours from 2026-09-30 17:00 end on 2026-10-08 10:00', () => {
    expect(dueAfterWorkingHours('2026-09-30T09:00:00.000Z', 2, official)).toBe('2026-10-08T02:00:00.000Z');
  });
});

describe('Periods in months', () => {
  test('months are calendar months, clamped to the month’s last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2027-12-01', 24)).toBe('2029-12-01');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
  });

  test('a period ending on the National Day holiday moves to the next working day, 18:00 China time', () => {
    // Approved 2026-04-01; 6 months later is 2026-10-01 (holiday) → 2026-10-08.
    expect(dueAfterMonths('2026-04-01T03:00:00.000Z', 6, official)).toBe('2026-10-08T10:00:00.000Z');
  });
});

describe('A deadline policy', () => {
  test('in seconds keeps its exact arithmetic (no calendar)', () => {
    expect(deadlinesFrom('2026-12-05T00:00:00.000Z', { dueSeconds: 3600, remindBeforeSeconds: 600 }, official)).toEqual({
      dueAt: '2026-12-05T01:00:00.000Z',
      remindAt: '2026-12-05T00:50:00.000Z',
    });
  });
  test('in working days counts the calendar given, Monday–Friday when none is', () => {
    const policy = { dueSeconds: null, remindBeforeSeconds: 0, dueWorkingDays: 2, remindBeforeWorkingDays: 1 };
    expect(deadlinesFrom('2026-09-30T01:00:00.000Z', policy, official)).toEqual({ dueAt: '2026-10-09T10:00:00.000Z', remindAt: '2026-10-08T10:00:00.000Z' });
    expect(deadlinesFrom('2026-09-30T01:00:00.000Z', policy, weekdaysOnly).dueAt).toBe('2026-10-02T10:00:00.000Z');
  });
});

describe('Times for people', () => {
  test('are shown in Beijing time by default, never UTC', () => {
    expect(formatTimeZh('2026-12-03T10:00:00.000Z')).toBe('2026年12月3日 18:00 (北京时间)');
    expect(formatTimeEn('2026-12-03T10:00:00.000Z')).toBe('3 Dec 2026 18:00 (Beijing time)');
  });
  test('a reader in another zone sees their own time', () => {
    expect(renderTimes(`到期 ${timeZh('2026-12-03T10:00:00.000Z')} / Due ${timeEn('2026-12-03T10:00:00.000Z')}`, 'Asia/Tokyo')).toBe(
      '到期 2026年12月3日 19:00 (Asia/Tokyo, UTC+09:00) / Due 3 Dec 2026 19:00 (Asia/Tokyo, UTC+09:00)',
    );
    expect(renderTimes(`Due ${timeEn('2026-12-03T10:00:00.000Z')}`, null)).toBe('Due 3 Dec 2026 18:00 (Beijing time)');
  });
});
