/** Data access for users. The password hash never leaves this module except for the login check. */
import type { Knex } from 'knex';
import { containsPattern, whereOneOrMany } from '../../db/query';
import type { Role } from '../process/vocabulary';
import type { User, UserFilter } from './schema';

type Conn = Knex | Knex.Transaction;

export const USER_SORTABLE: Record<string, string> = {
  id: 'u.id',
  username: 'u.username',
  name: 'u.name',
  schoolId: 'u.schoolId',
  districtId: 'u.districtId',
  active: 'u.active',
  createdAt: 'u.createdAt',
  updatedAt: 'u.updatedAt',
};

const PUBLIC_COLUMNS = [
  'u.id', 'u.username', 'u.name', 'u.roles', 'u.schoolId', 'u.districtId', 'u.email', 'u.timeZone', 'u.active', 'u.createdAt', 'u.updatedAt',
  's.name as schoolName', 'd.name as districtName',
];

function users(db: Conn) {
  return db('users as u').leftJoin('schools as s', 's.id', 'u.schoolId').leftJoin('districts as d', 'd.id', 'u.districtId');
}

function toUser(row: any): User {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    roles: row.roles,
    schoolId: row.schoolId,
    schoolName: row.schoolName ?? null,
    districtId: row.districtId,
    districtName: row.districtName ?? null,
    email: row.email,
    timeZone: row.timeZone ?? 'Asia/Shanghai',
    active: row.active,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function findUser(db: Conn, id: number): Promise<User | null> {
  const row = await users(db).where('u.id', id).first(PUBLIC_COLUMNS);
  return row ? toUser(row) : null;
}

export interface UserCredentials {
  id: number;
  username: string;
  name: string;
  roles: Role[];
  schoolId: number | null;
  districtId: number | null;
  active: boolean;
  passwordHash: string;
}

/** For the login check only. Usernames compare case-insensitively. */
export async function findCredentials(db: Conn, username: string): Promise<UserCredentials | null> {
  const row = await db('users')
    .whereRaw('lower(username) = lower(?)', [username])
    .first('id', 'username', 'name', 'roles', 'schoolId', 'districtId', 'active', 'passwordHash');
  return (row as UserCredentials | undefined) ?? null;
}

export async function listUsers(
  db: Conn,
  list: { sort: { field: string; order: 'asc' | 'desc' }; range: { start: number; end: number }; filter: UserFilter },
): Promise<{ rows: User[]; total: number }> {
  const base = users(db);
  const f = list.filter;
  whereOneOrMany(base, 'u.id', f.id);
  whereOneOrMany(base, 'u.schoolId', f.schoolId);
  whereOneOrMany(base, 'u.districtId', f.districtId);
  if (f.role !== undefined) base.whereRaw('u.roles && ?::text[]', [Array.isArray(f.role) ? f.role : [f.role]]);
  if (f.active !== undefined) base.where('u.active', f.active);
  if (f.q) {
    const pattern = containsPattern(f.q);
    base.where((w) => w.whereILike('u.username', pattern).orWhereILike('u.name', pattern));
  }
  const countRow = (await base.clone().count({ total: '*' }).first()) as { total: string | number } | undefined;
  const rows = await base
    .clone()
    .select(PUBLIC_COLUMNS)
    .orderBy(USER_SORTABLE[list.sort.field] ?? 'u.id', list.sort.order)
    .orderBy('u.id', list.sort.order)
    .offset(list.range.start)
    .limit(list.range.end - list.range.start + 1);
  return { rows: rows.map(toUser), total: Number(countRow?.total ?? 0) };
}
