/**
 * What every activity module gets: the dependencies, plus helpers to notify the holders of a role
 * (in-app rows inside the caller's transaction and, when SMTP is configured, their e-mails queued
 * in the outbox of that same transaction; the outbox sender delivers them off the critical path).
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import { notifyUsers, recipientsFor, type NewNotification } from '../../domain/tasks/notifications';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { WorkflowActor } from '../../workflows/shared';
import type { Mailer } from '../mailer';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  /** dataDir (signing key), SMTP settings. */
  config: Pick<Config, 'dataDir'> & Partial<Config>;
}

export type Conn = Knex | Knex.Transaction;

/** The registration facts notifications and tasks need. */
export interface RegistrationFacts {
  id: string;
  name: string;
  schoolId: number;
  districtId: number;
  createdBy: number | null;
}

export async function registrationFacts(db: Conn, registrationId: string): Promise<RegistrationFacts> {
  const row = await db('registrations as r')
    .join('schools as s', 's.id', 'r.schoolId')
    .where('r.id', registrationId)
    .first('r.id', 'r.name', 'r.schoolId', 's.districtId', 'r.createdBy');
  if (!row) throw new Error(`registration ${registrationId} not found`);
  return row as RegistrationFacts;
}

export const actorFields = (actor: Pick<WorkflowActor, 'id' | 'name'> | null | undefined) => ({
  actorId: actor?.id ?? null,
  actorName: actor?.name ?? null,
});

export function createNotifier(deps: ActivityDeps) {
  return {
    /** Notifies every user holding `role` for the registration's school (or district, or everywhere for admin). */
    async toRole(trx: Conn, reg: RegistrationFacts, role: string, n: NewNotification): Promise<number> {
      const recipients = await recipientsFor(trx, { role, schoolId: reg.schoolId, districtId: reg.districtId });
      return notifyUsers(trx, recipients, { schoolId: reg.schoolId, registrationId: reg.id, recipientRole: role, ...n }, { email: deps.mailer.enabled });
    },
    /** Notifies the task's named holder (会签/或签, 加签) when it has one, else every holder of its role. */
    async toTaskHolder(trx: Conn, reg: RegistrationFacts, task: { assigneeRole: string; assigneeUserId?: number | null }, n: NewNotification): Promise<number> {
      if (task.assigneeUserId == null) return this.toRole(trx, reg, task.assigneeRole, n);
      const user = await trx('users').where({ id: task.assigneeUserId, active: true }).first('id', 'name', 'email');
      return user ? notifyUsers(trx, [user], { schoolId: reg.schoolId, registrationId: reg.id, ...n }, { email: deps.mailer.enabled }) : 0;
    },
    /** Notifies the drafter (or, when unknown, the school's staff). */
    async toDrafter(trx: Conn, reg: RegistrationFacts, n: NewNotification): Promise<number> {
      if (reg.createdBy == null) return this.toRole(trx, reg, 'school_staff', n);
      const user = await trx('users').where({ id: reg.createdBy }).first('id', 'name', 'email', 'timeZone');
      return user ? notifyUsers(trx, [user], { schoolId: reg.schoolId, registrationId: reg.id, ...n }, { email: deps.mailer.enabled }) : 0;
    },
  };
}
export type Notifier = ReturnType<typeof createNotifier>;
