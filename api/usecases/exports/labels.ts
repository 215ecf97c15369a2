/** Chinese names for the values an export shows (the console's own labels live in admin-ui/src/i18n). */
export const STATUS_ZH: Record<string, string> = {
  draft: '草稿',
  lead_school_opinion: '待牵头学校意见',
  principal_signature: '待校长签章',
  bureau_approval: '待教育局审批',
  active: '已生效',
  goal_review: '目标评估中',
  rectification: '整改中',
  closed: '已结束',
  rejected: '不予批准',
  withdrawn: '已撤回',
};

export const STEP_ZH: Record<string, string> = {
  lead_school_opinion: '牵头学校意见',
  principal_signature: '校长签名盖章',
  bureau_approval: '教育局审批',
  goal_report: '目标自评报告',
  goal_rating: '目标评估评级',
};

export const TASK_STATUS_ZH: Record<string, string> = { open: '待办', done: '已完成', cancelled: '已取消' };

export const OUTCOME_ZH: Record<string, string> = {
  opinion: '已填写意见',
  sign: '已签名盖章',
  approve: '批准',
  return: '退回修改',
  reject: '不予批准',
  report: '已提交自评',
  rate: '已评级',
  pass: '通过',
  conditional: '有条件通过',
  fail: '未通过',
};

export const ROLE_ZH: Record<string, string> = {
  school_staff: '学校经办人',
  lead_school_leader: '牵头学校负责人',
  principal: '校长',
  bureau_approver: '教育局审批人',
  admin: '系统管理员',
};

export const label = (map: Record<string, string>, v: unknown) => (v == null ? null : (map[String(v)] ?? String(v)));
