/** Strings of the working-day calendar, working-day deadlines and times in China time (issue 12). */
export const calendarEnglish = {
  app: {
    date: { invalid: 'Enter a whole, valid date such as 2026-12-01' },
    calendar: {
      kind: { workday: 'Workday', holiday: 'Holiday' },
      from: 'From',
      to: 'To',
      help: "Public holidays and make-up workdays follow the State Council's schedule automatically; a date set here wins. Due times in working days skip days off; the working day ends at 18:00 Beijing time. A change moves the due times of registrations in flight.",
      name_help: 'e.g. school anniversary, closure, make-up workday',
      saved: 'Saved; due times in flight are being moved',
    },
    policy_unit: {
      due: 'Due unit',
      remind: 'Reminder unit',
      time: 'Seconds / hours / days',
      working_days: 'Working days',
      working_hours: 'Working hours',
      working_hours_count: '%{smart_count} working hour |||| %{smart_count} working hours',
      months: 'Months (calendar)',
      working_days_count: '%{smart_count} working day |||| %{smart_count} working days',
      months_count: '%{smart_count} month |||| %{smart_count} months',
      working_day_end: 'A due time in working days falls at 18:00 Beijing time on the n-th working day; working hours count 9:00–18:00 Beijing time on working days only.',
    },
    user_time_zone_help: 'Times in notifications and e-mails are shown in this zone; default Asia/Shanghai (Beijing time)',
    beijing_time: 'Beijing time',
  },
  resources: {
    users: { fields: { timeZone: 'Time zone' } },
    'calendar-days': {
      name: 'Working calendar |||| Working calendar',
      fields: { id: 'Id', date: 'Date', kind: 'Kind', name: 'Name', officialKind: 'Official', updatedAt: 'Updated' },
    },
    'deadline-policies': {
      fields: { dueWorkingDays: 'Due within (working days)', dueWorkingHours: 'Due within (working hours)', remindBeforeWorkingDays: 'Remind before (working days)', dueMonths: 'Period (months)', dueUnit: 'Due unit', remindUnit: 'Reminder unit' },
    },
  },
};
