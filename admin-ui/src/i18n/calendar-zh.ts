/** Strings of the working-day calendar, working-day deadlines and times in China time (issue 12). */
export const calendarChinese = {
  app: {
    date: { invalid: '请输入完整有效的日期，如 2026-12-01' },
    calendar: {
      kind: { workday: '工作日', holiday: '休息日' },
      from: '起始日期',
      to: '截止日期',
      help: '节假日和调休补班日按国务院公布的安排自动计入；此处设置的日期优先。按工作日计算的期限跳过休息日，工作日于北京时间 18:00 结束。修改后，进行中的登记的期限会随之调整。',
      name_help: '例如：校庆日、临时停课、补班',
      saved: '已保存，进行中登记的期限正在调整',
    },
    policy_unit: {
      due: '期限单位',
      remind: '提醒单位',
      time: '秒 / 小时 / 天',
      working_days: '工作日',
      working_hours: '工作小时',
      working_hours_count: '%{smart_count} 个工作小时',
      months: '月（按日历月）',
      working_days_count: '%{smart_count} 个工作日',
      months_count: '%{smart_count} 个月',
      working_day_end: '按工作日计算的期限在第 N 个工作日北京时间 18:00 到期；工作小时只计工作日北京时间 9:00–18:00。',
    },
    user_time_zone_help: '通知和邮件中的时间按此时区显示，默认 Asia/Shanghai（北京时间）',
    beijing_time: '北京时间',
  },
  resources: {
    users: { fields: { timeZone: '时区' } },
    'calendar-days': {
      name: '工作日历',
      fields: { id: '编号', date: '日期', kind: '类型', name: '名称', officialKind: '法定安排', updatedAt: '更新时间' },
    },
    'deadline-policies': {
      fields: { dueWorkingDays: '办理期限（工作日）', dueWorkingHours: '办理期限（工作小时）', remindBeforeWorkingDays: '提前提醒（工作日）', dueMonths: '期限（月）', dueUnit: '期限单位', remindUnit: '提醒单位' },
    },
  },
};
