/**
 * User administration (admin only): create with a password, edit (a new password optional),
 * deactivate. Roles must fit the user's school or district; the hash never leaves the database.
 */
import { appendAuditEvent } from '../../domain/audit';
import { hashPassword } from '../../domain/users/passwords';
import { findUser, listUsers } from '../../domain/users/repository';
import { forgetSessionState } from '../../domain/users/sessions';
import { type User, type UserFilter, userCreateSchema, userUpdateSchema } from '../../domain/users/schema';
import type { FieldErrors } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { SCHOOL_SCOPED_ROLES } from '../rights';
import type { ListQuery } from '../simple-rest';
import { parseBody, uniqueViolation } from './input';

const WHAT = '用户 / User';

export async function getUser(db: Db, id: number): Promise<User> {
  const user = await findUser(db, id);
  if (!user) throw AppError.notFound(WHAT);
  return user;
}

export const listUsersFor = (db: Db, list: ListQuery<UserFilter>) => listUsers(db, list);

/** Roles need a place: school roles a school (whose district the user then belongs to), the bureau a district. */
async function placeOf(db: Db, input: { roles: string[]; schoolId: number | null; districtId: number | null }, errors: FieldErrors) {
  let districtId = input.districtId;
  if (input.schoolId != null) {
    const school = await db('schools').where({ id: input.schoolId }).first('districtId');
    if (!school) errors.schoolId = '学校不存在 / No such school';
    else if (districtId != null && districtId !== school.districtId) errors.districtId = '与所在学校的区不一致 / Does not match the school’s district';
    else districtId = school.districtId;
  }
  if (input.districtId != null && !(await db('districts').where({ id: input.districtId }).first('id'))) {
    errors.districtId = '区不存在 / No such district';
  }
  if (input.roles.some((r) => (SCHOOL_SCOPED_ROLES as readonly string[]).includes(r)) && input.schoolId == null) {
    errors.schoolId = '学校角色须选择所在学校 / School roles need a school';
  }
  if (input.roles.includes('bureau_approver') && districtId == null) {
    errors.districtId = '教育局审批人须选择所在区 / A bureau approver needs a district';
  }
  return { schoolId: input.schoolId, districtId };
}

async function usernameTaken(db: Db, username: string, exceptId?: number) {
  const q = db('users').whereRaw('lower(username) = lower(?)', [username]);
  if (exceptId) q.whereNot({ id: exceptId });
  return Boolean(await q.first('id'));
}

const UNIQUE = { users_username_unique: ['username', '用户名已存在 / Username already taken'] as [string, string] };

export async function createUser(db: Db, actor: Actor, body: unknown): Promise<User> {
  const input = parseBody(userCreateSchema, body);
  const errors: FieldErrors = {};
  const place = await placeOf(db, input, errors);
  if (await usernameTaken(db, input.username)) errors.username = '用户名已存在 / Username already taken';
  if (Object.keys(errors).length) throw AppError.badRequest('输入有误 / Invalid input', errors);

  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (trx) => {
      const [{ id }] = await trx('users')
        .insert({ username: input.username, name: input.name, roles: input.roles, ...place, email: input.email, active: input.active, passwordHash, ...(input.timeZone ? { timeZone: input.timeZone } : {}) })
        .returning('id');
      await appendAuditEvent(trx, {
        action: 'user.created',
        actorId: actor.id,
        actorName: actor.name,
        details: { userId: id, username: input.username, roles: input.roles, ...place },
      });
      return (await findUser(trx, id))!;
    });
  } catch (err) {
    throw uniqueViolation(err, UNIQUE) ?? err;
  }
}

export async function updateUser(db: Db, actor: Actor, id: number, body: unknown): Promise<User> {
  const input = parseBody(userUpdateSchema, body);
  const before = await getUser(db, id);
  const errors: FieldErrors = {};
  const place = await placeOf(db, input, errors);
  if (await usernameTaken(db, input.username, id)) errors.username = '用户名已存在 / Username already taken';
  if (id === actor.id && (!input.active || !input.roles.includes('admin'))) {
    errors[input.active ? 'roles' : 'active'] = '不能停用自己或去掉自己的管理员角色 / You cannot deactivate yourself or drop your own admin role';
  }
  if (Object.keys(errors).length) throw AppError.badRequest('输入有误 / Invalid input', errors);

  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  try {
    const updated = await db.transaction(async (trx) => {
      await trx('users')
        .where({ id })
        .update({
          username: input.username,
          name: input.name,
          roles: input.roles,
          ...place,
          email: input.email,
          active: input.active,
          ...(input.timeZone ? { timeZone: input.timeZone } : {}),
          ...(passwordHash ? { passwordHash } : {}),
          updatedAt: trx.fn.now(),
        });
      // A new password or a deactivation ends every open session.
      if (passwordHash || !input.active) await trx('refreshTokens').where({ userId: id }).whereNull('revokedAt').update({ revokedAt: trx.fn.now() });
      await appendAuditEvent(trx, {
        action: 'user.updated',
        actorId: actor.id,
        actorName: actor.name,
        details: {
          userId: id,
          before: { username: before.username, roles: before.roles, schoolId: before.schoolId, districtId: before.districtId, active: before.active },
          after: { username: input.username, roles: input.roles, ...place, active: input.active },
          passwordChanged: Boolean(passwordHash),
        },
      });
      return (await findUser(trx, id))!;
    });
    // The trigger bumped the session epoch if roles, place, activity or password changed: this process sees it now.
    forgetSessionState(id);
    return updated;
  } catch (err) {
    throw uniqueViolation(err, UNIQUE) ?? err;
  }
}

/** Users are deactivated, not erased: registrations, tasks and the audit chain keep referring to them. */
export async function deactivateUser(db: Db, actor: Actor, id: number): Promise<User> {
  await getUser(db, id);
  if (id === actor.id) throw AppError.conflict('不能停用自己 / You cannot deactivate yourself');
  const user = await db.transaction(async (trx) => {
    await trx('users').where({ id }).update({ active: false, updatedAt: trx.fn.now() });
    await trx('refreshTokens').where({ userId: id }).whereNull('revokedAt').update({ revokedAt: trx.fn.now() });
    await appendAuditEvent(trx, { action: 'user.deactivated', actorId: actor.id, actorName: actor.name, details: { userId: id } });
    return (await findUser(trx, id))!;
  });
  forgetSessionState(id);
  return user;
}
