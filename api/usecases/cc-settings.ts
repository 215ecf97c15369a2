/**
 * The 抄送 fields of a deadline policy as the API takes them (ccRoles, ccUserIds, ccWhen): known
 * roles, existing active users, only on the approval chain's steps, and a time when anyone is copied.
 * Omitted fields keep their stored value.
 */
import { z } from 'zod';
import { CC_STEPS, CC_WHEN, type CcSettings } from '../../domain/collab/cc-policy';
import { ROLES } from '../../domain/process/vocabulary';
import type { PolicyRecord } from '../../domain/policies/repository';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';

const roleMessage = `未知的角色，可选：${ROLES.join('、')} / Unknown role; one of ${ROLES.join(', ')}`;
const whenMessage = '抄送时机须为 submit（提交时）、approve（通过时）或 both（两者） / ccWhen must be submit, approve or both';

export const ccFieldsSchema = {
  ccRoles: z.array(z.enum(ROLES, { message: roleMessage }), { message: '须为角色列表 / Must be a list of roles' }).max(ROLES.length).optional(),
  ccUserIds: z
    .array(z.number({ message: '须为用户编号 / Must be a user id' }).int().positive().max(2_147_483_647), { message: '须为用户编号列表 / Must be a list of user ids' })
    .max(50, '最多抄送 50 人 / At most 50 users')
    .optional(),
  ccWhen: z.enum(CC_WHEN, { message: whenMessage }).nullish(),
};

type CcInput = { ccRoles?: string[]; ccUserIds?: number[]; ccWhen?: CcSettings['ccWhen'] };

const INVALID = '抄送设置有误 / The copy (抄送) settings are invalid';

/** The settings to store (the stored ones where the body said nothing), or a 400 naming the field. */
export async function checkCcSettings(db: Db, before: PolicyRecord, body: CcInput): Promise<Partial<CcSettings>> {
  if (body.ccRoles === undefined && body.ccUserIds === undefined && body.ccWhen === undefined) return {};
  const next: CcSettings = {
    ccRoles: [...new Set(body.ccRoles ?? before.ccRoles)],
    ccUserIds: [...new Set(body.ccUserIds ?? before.ccUserIds)],
    ccWhen: body.ccWhen === undefined ? before.ccWhen : body.ccWhen,
  };
  const anyone = next.ccRoles.length > 0 || next.ccUserIds.length > 0;
  if (anyone && !CC_STEPS.includes(before.step as never)) {
    const message = `只有审批链步骤可以抄送（${CC_STEPS.join('、')}） / Only the approval chain's steps copy (${CC_STEPS.join(', ')})`;
    throw AppError.badRequest(INVALID, { [body.ccRoles?.length ? 'ccRoles' : 'ccUserIds']: message });
  }
  if (anyone && !next.ccWhen) throw AppError.badRequest(INVALID, { ccWhen: '请选择抄送时机 / Choose when to copy' });
  if (next.ccUserIds.length) {
    const found = (await db('users').whereIn('id', next.ccUserIds).where({ active: true }).pluck('id')) as number[];
    const missing = next.ccUserIds.filter((id) => !found.includes(id));
    if (missing.length) {
      throw AppError.badRequest(INVALID, { ccUserIds: `用户不存在或已停用：${missing.join(', ')} / Users not found or inactive: ${missing.join(', ')}` });
    }
  }
  return next;
}
