/**
 * The three list exports. Each takes the list's own parsed filter and sort, the list's own scope
 * (what the caller may read) and the list's own filter function, so an export is exactly the list
 * the user was looking at, with every row, in readable words.
 */
import type { Response } from 'express';
import type { z } from 'zod';
import { applyRegistrationFilter, REGISTRATION_SORTABLE, scopedRegistrations } from '../../../domain/registrations/repository';
import type { RegistrationFilter } from '../../../domain/registrations/schema';
import { applyTaskFilter, scopedTasks, TASK_SORTABLE, type TaskFilter } from '../../../domain/tasks/repository';
import type { Db } from '../../../db/connection';
import type { Actor } from '../../middleware/auth';
import type { ListQuery } from '../../simple-rest';
import { applyAuditFilter, AUDIT_SORTABLE, type auditEventFilterSchema, scopedAuditEvents, withNames } from '../audit-events';
import { auditActionName } from '../../../domain/process/audit-actions';
import { registrationScopeOf } from '../scope';
import { label, OUTCOME_ZH, ROLE_ZH, STATUS_ZH, STEP_ZH, TASK_STATUS_ZH } from './labels';
import { calendarDate, shanghaiTime, streamXlsx } from './stream';

type Row = Record<string, any>;
const stamp = () => shanghaiTime(new Date())!.replace(/[-: ]/g, '').slice(0, 12);

export function exportRegistrations(db: Db, res: Response, actor: Actor, list: ListQuery<RegistrationFilter>) {
  const query = applyRegistrationFilter(scopedRegistrations(db, registrationScopeOf(actor)), list.filter)
    .leftJoin('users as creator', 'creator.id', 'r.createdBy')
    .select(
      'r.name',
      's.name as schoolName',
      's.code as schoolCode',
      'r.legalRepresentative',
      'r.formedOn',
      'r.status',
      'r.currentStep',
      db.raw('(select count(*) from member_units m where m.registration_id = r.id)::int as member_units'),
      db.raw('(select count(*) from goals g where g.registration_id = r.id)::int as goal_count'),
      'creator.name as creatorName',
      'r.submittedAt',
      'r.approvedAt',
      'r.reviewDueAt',
      'r.createdAt',
      'r.updatedAt',
    )
    .orderBy(REGISTRATION_SORTABLE[list.sort.field] ?? 'r.updatedAt', list.sort.order)
    .orderBy('r.id', list.sort.order);
  return streamXlsx<Row>(db, res, {
    filename: `教联体登记-${stamp()}.xlsx`,
    sheet: '教联体登记',
    query,
    columns: [
      { header: '教联体名称', width: 30, value: (r) => r.name },
      { header: '牵头学校', width: 26, value: (r) => r.schoolName },
      { header: '学校代码', value: (r) => r.schoolCode },
      { header: '法人代表', value: (r) => r.legalRepresentative },
      { header: '组建时间', value: (r) => calendarDate(r.formedOn) },
      { header: '状态', value: (r) => label(STATUS_ZH, r.status) },
      { header: '当前环节', value: (r) => label(STEP_ZH, r.currentStep) },
      { header: '成员单位数', width: 10, value: (r) => r.memberUnits },
      { header: '目标数', width: 8, value: (r) => r.goalCount },
      { header: '经办人', value: (r) => r.creatorName },
      { header: '提交时间', value: (r) => shanghaiTime(r.submittedAt) },
      { header: '批准时间', value: (r) => shanghaiTime(r.approvedAt) },
      { header: '周期评估到期', value: (r) => shanghaiTime(r.reviewDueAt) },
      { header: '创建时间', value: (r) => shanghaiTime(r.createdAt) },
      { header: '更新时间', value: (r) => shanghaiTime(r.updatedAt) },
    ],
  });
}

export function exportTasks(db: Db, res: Response, actor: Actor, list: ListQuery<TaskFilter>) {
  const column = TASK_SORTABLE[list.sort.field] ?? 't.dueAt';
  const query = applyTaskFilter(scopedTasks(db, actor), list.filter, actor)
    .leftJoin('users as claimer', 'claimer.id', 't.claimedBy')
    .leftJoin('users as completer', 'completer.id', 't.completedBy')
    .select(
      'r.name as registrationName',
      's.name as schoolName',
      't.step',
      't.assigneeRole',
      'claimer.name as claimedByName',
      't.dueAt',
      't.overdue',
      't.status',
      't.outcome',
      't.comment',
      'completer.name as completedByName',
      't.completedAt',
      't.createdAt',
    )
    .orderByRaw(`${column === 't.dueAt' ? 't.due_at is null, ' : ''}?? ${list.sort.order}`, [column])
    .orderBy('t.id', list.sort.order);
  return streamXlsx<Row>(db, res, {
    filename: `任务-${stamp()}.xlsx`,
    sheet: '任务',
    query,
    columns: [
      { header: '教联体名称', width: 30, value: (r) => r.registrationName },
      { header: '学校', width: 26, value: (r) => r.schoolName },
      { header: '环节', value: (r) => label(STEP_ZH, r.step) },
      { header: '办理角色', value: (r) => label(ROLE_ZH, r.assigneeRole) },
      { header: '认领人', value: (r) => r.claimedByName },
      { header: '截止时间', value: (r) => shanghaiTime(r.dueAt) },
      { header: '是否逾期', width: 10, value: (r) => (r.overdue ? '是' : '否') },
      { header: '状态', width: 10, value: (r) => label(TASK_STATUS_ZH, r.status) },
      { header: '办理结果', value: (r) => label(OUTCOME_ZH, r.outcome) },
      { header: '意见', width: 30, value: (r) => r.comment },
      { header: '办理人', value: (r) => r.completedByName },
      { header: '办理时间', value: (r) => shanghaiTime(r.completedAt) },
      { header: '创建时间', value: (r) => shanghaiTime(r.createdAt) },
    ],
  });
}


export function exportAuditEvents(db: Db, res: Response, actor: Actor, list: ListQuery<z.output<typeof auditEventFilterSchema>>) {
  const query = withNames(applyAuditFilter(scopedAuditEvents(db, actor), list.filter))
    .select('e.id', 'e.at', 'e.actorName', 'e.action', 'e.details', 'e.hash')
    .orderBy(AUDIT_SORTABLE[list.sort.field] ?? 'e.id', list.sort.order)
    .orderBy('e.id', list.sort.order);
  return streamXlsx<Row>(db, res, {
    filename: `审计日志-${stamp()}.xlsx`,
    sheet: '审计日志',
    query,
    columns: [
      { header: '编号', width: 10, value: (r) => Number(r.id) },
      { header: '时间', width: 18, value: (r) => shanghaiTime(r.at) },
      { header: '操作人', value: (r) => r.actorName },
      { header: '操作', width: 18, value: (r) => auditActionName(r.action, 'zh') },
      { header: '操作代码', width: 22, value: (r) => r.action },
      { header: '教联体', width: 28, value: (r) => r.registrationName },
      { header: '学校', width: 24, value: (r) => r.schoolName },
      { header: '详情', width: 60, value: (r) => (r.details ? JSON.stringify(r.details) : null) },
      { header: '哈希', width: 20, value: (r) => r.hash },
    ],
  });
}
