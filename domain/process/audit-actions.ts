/**
 * What each audit event's action code means, in Chinese and English: the console's audit log, its
 * action filter and the .xlsx export read the same names, so a code is never shown to a user.
 */
export const AUDIT_ACTIONS = {
  'auth.login': { zh: '登录', en: 'Signed in' },
  'auth.login_failed': { zh: '登录失败', en: 'Sign-in failed' },
  'auth.logout': { zh: '退出登录', en: 'Signed out' },
  'auth.oidc_login': { zh: '单点登录', en: 'Signed in (SSO)' },
  'auth.oidc_refused': { zh: '单点登录被拒', en: 'SSO sign-in refused' },
  'auth.refresh_reused': { zh: '登录凭据被重复使用（已全部注销）', en: 'Session token reused (all signed out)' },
  'registration.created': { zh: '新建登记', en: 'Registration drafted' },
  'registration.updated': { zh: '修改登记', en: 'Registration edited' },
  'registration.deleted': { zh: '删除登记', en: 'Registration deleted' },
  'registration.submitted': { zh: '提交登记', en: 'Registration submitted' },
  'registration.resubmitted': { zh: '重新提交登记', en: 'Registration resubmitted' },
  'registration.withdrawn': { zh: '撤回登记', en: 'Registration withdrawn' },
  'registration.lead_school_opinion_given': { zh: '填写牵头学校意见', en: 'Lead school opinion given' },
  'registration.signed': { zh: '校长签名盖章', en: 'Signed and stamped' },
  'registration.signing_skipped': { zh: '跳过签名', en: 'Signing skipped' },
  'registration.returned': { zh: '退回登记', en: 'Registration returned' },
  'registration.approved': { zh: '审批通过', en: 'Registration approved' },
  'registration.rejected': { zh: '审批不通过', en: 'Registration rejected' },
  'registration.closed': { zh: '登记关闭', en: 'Registration closed' },
  'registration.rectification_started': { zh: '开始整改', en: 'Rectification started' },
  'registration.review_rescheduled': { zh: '调整评估时间', en: 'Goal review rescheduled' },
  'registration.commented': { zh: '发表评论', en: 'Commented' },
  'registration.copied': { zh: '抄送', en: 'Copied to' },
  'task.opened': { zh: '生成待办', en: 'Task opened' },
  'task.added_approver_opened': { zh: '生成加签待办', en: 'Added approver’s task opened' },
  'task.approver_added': { zh: '加签', en: 'Approver added' },
  'task.claimed': { zh: '认领任务', en: 'Task claimed' },
  'task.unclaimed': { zh: '放弃认领', en: 'Task released' },
  'task.transferred': { zh: '转交任务', en: 'Task transferred' },
  'task.urged': { zh: '催办', en: 'Urged' },
  'task.reminded': { zh: '到期提醒', en: 'Reminder sent' },
  'task.overdue': { zh: '任务超期', en: 'Task overdue' },
  'task.rescheduled': { zh: '调整期限', en: 'Due time changed' },
  'task.reopened': { zh: '任务重新打开', en: 'Task reopened' },
  'task.approved': { zh: '同意', en: 'Approved' },
  'task.completed': { zh: '办理任务', en: 'Task completed' },
  'task.completed_on_behalf': { zh: '代为办理', en: 'Completed on behalf' },
  'task.cancelled': { zh: '任务取消', en: 'Task cancelled' },
  'signature.image_uploaded': { zh: '上传签名图片', en: 'Signature image uploaded' },
  'signature.verified': { zh: '验证签名', en: 'Signature verified' },
  'signature.voided': { zh: '签名作废', en: 'Signature voided' },
  'goal_review.opened': { zh: '开始目标评估', en: 'Goal review opened' },
  'goal_review.reported': { zh: '提交自评报告', en: 'Self-report submitted' },
  'goal_review.rated': { zh: '评估评定', en: 'Goal review rated' },
  'school.created': { zh: '新建学校', en: 'School created' },
  'school.updated': { zh: '修改学校', en: 'School edited' },
  'school.deleted': { zh: '删除学校', en: 'School deleted' },
  'school.stamp_set': { zh: '设置公章', en: 'Stamp set' },
  'school.demo_stamp_generated': { zh: '生成演示公章', en: 'Demo stamp generated' },
  'user.created': { zh: '新建用户', en: 'User created' },
  'user.updated': { zh: '修改用户', en: 'User edited' },
  'user.deactivated': { zh: '停用用户', en: 'User deactivated' },
  'delegation.created': { zh: '新建委托', en: 'Delegation created' },
  'delegation.updated': { zh: '修改委托', en: 'Delegation edited' },
  'delegation.deleted': { zh: '删除委托', en: 'Delegation deleted' },
  'form_field.created': { zh: '新建登记表字段', en: 'Form field created' },
  'form_field.updated': { zh: '修改登记表字段', en: 'Form field edited' },
  'form_field.deleted': { zh: '删除登记表字段', en: 'Form field deleted' },
  'deadline_policy.updated': { zh: '修改办理时限', en: 'Deadline policy changed' },
  'calendar_day.changed': { zh: '修改工作日历', en: 'Working-day calendar changed' },
  'import.schools': { zh: '导入学校', en: 'Schools imported' },
  'import.users': { zh: '导入用户', en: 'Users imported' },
  'file.uploaded': { zh: '上传文件', en: 'File uploaded' },
  'audit.chain_verified': { zh: '校验审计链', en: 'Audit chain verified' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type AuditActionCode = keyof typeof AUDIT_ACTIONS;

/** The action's name in the reader's language; an unknown code (from a newer server) as it is. */
export function auditActionName(code: string, locale: string): string {
  const names = (AUDIT_ACTIONS as Record<string, { zh: string; en: string } | undefined>)[code];
  if (!names) return code;
  return locale.startsWith('zh') ? names.zh : names.en;
}
