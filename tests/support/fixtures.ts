/**
 * Builders for API and workflow tests: districts, schools, users (returning the Actor a token is
 * signed for) and a registration body that passes validation. Every name is unique per call, so
 * test files sharing the run's database never collide.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../api/middleware/auth';
import type { Role } from '../../api/rights';
import type { Db } from '../../db/connection';
import { addDays, addYears, todayIn } from '../../domain/registrations/dates';
import { hashPassword } from '../../domain/users/passwords';

const uniq = () => randomUUID().slice(0, 8);

export const DEFAULT_TEST_PASSWORD = 'test-password-1';
let defaultHash: Promise<string> | undefined;

export interface DistrictRow {
  id: number;
  code: string;
  name: string;
}
export interface SchoolRow {
  id: number;
  districtId: number;
  code: string;
  name: string;
  legalRepresentative: string | null;
}

export async function createDistrict(db: Db, opts: { code?: string; name?: string } = {}): Promise<DistrictRow> {
  const u = uniq();
  const [row] = await db('districts')
    .insert({ code: opts.code ?? `d-${u}`, name: opts.name ?? `测试区 ${u}` })
    .returning(['id', 'code', 'name']);
  return row as DistrictRow;
}

/** A school; a new district is made for it unless one is given. */
export async function createSchool(
  db: Db,
  opts: { districtId?: number; code?: string; name?: string; legalRepresentative?: string } = {},
): Promise<SchoolRow> {
  const u = uniq();
  const districtId = opts.districtId ?? (await createDistrict(db)).id;
  const [row] = await db('schools')
    .insert({
      districtId,
      code: opts.code ?? `s-${u}`,
      name: opts.name ?? `测试学校 ${u}`,
      legalRepresentative: opts.legalRepresentative ?? '王校长',
    })
    .returning(['id', 'districtId', 'code', 'name', 'legalRepresentative']);
  return row as SchoolRow;
}

/**
 * A user with the given roles. A school user's district defaults to their school's district.
 * Answers the Actor to sign a token for (tokenFor(sys.config, actor)); password DEFAULT_TEST_PASSWORD
 * unless given.
 */
export async function createUser(
  db: Db,
  opts: { roles: Role[]; schoolId?: number | null; districtId?: number | null; username?: string; name?: string; password?: string; email?: string },
): Promise<Actor> {
  const u = uniq();
  let districtId = opts.districtId ?? null;
  if (districtId === null && opts.schoolId) {
    const school = await db('schools').where({ id: opts.schoolId }).first('districtId');
    districtId = school?.districtId ?? null;
  }
  const passwordHash = opts.password
    ? await hashPassword(opts.password)
    : await (defaultHash ??= hashPassword(DEFAULT_TEST_PASSWORD));
  const username = opts.username ?? `u-${opts.roles[0]}-${u}`;
  const name = opts.name ?? `测试用户 ${u}`;
  const [row] = await db('users')
    .insert({
      username,
      passwordHash,
      name,
      roles: opts.roles,
      schoolId: opts.schoolId ?? null,
      districtId,
      email: opts.email ?? null,
    })
    .returning(['id']);
  return { id: row.id as number, username, name, roles: opts.roles, schoolId: opts.schoolId ?? null, districtId };
}

/** A school with one user of each school role, in a (new or given) district. */
export async function createSchoolWithStaff(db: Db, opts: { districtId?: number } = {}) {
  const school = await createSchool(db, opts);
  const [staff, leader, principal] = await Promise.all([
    createUser(db, { roles: ['school_staff'], schoolId: school.id }),
    createUser(db, { roles: ['lead_school_leader'], schoolId: school.id }),
    createUser(db, { roles: ['principal'], schoolId: school.id }),
  ]);
  return { school, staff, leader, principal };
}

export interface RegistrationBody {
  name: string;
  legalRepresentative: string;
  formedOn: string;
  memberSchools: { name: string }[];
  memberUnits: { name: string; partyType: string; contactPerson: string; phone: string; role: string; profile: string }[];
  introduction: string;
  goals: { id?: string; title: string; measures: string; indicator: string; targetDate: string }[];
  remarks: string;
  extra: Record<string, unknown>;
  [key: string]: unknown;
}

/** A registration body that passes validation (formed 60 days ago, goals inside the two-year cycle). */
export function validRegistrationBody(overrides: Partial<RegistrationBody> = {}): RegistrationBody {
  const formedOn = overrides.formedOn ?? addDays(todayIn(), -60);
  return {
    name: `阳光教联体 ${uniq()}`,
    legalRepresentative: '王校长',
    formedOn,
    memberSchools: [{ name: '示范区第二实验小学' }],
    memberUnits: [
      {
        name: '示范区公安分局城东派出所',
        partyType: 'department.public_security',
        contactPerson: '李警官',
        phone: '010-88886666',
        role: '法治副校长、护校安园',
        profile: '负责学校周边治安和交通环境治理。',
      },
      {
        name: '城东街道幸福社区',
        partyType: 'community',
        contactPerson: '赵主任',
        phone: '13800000000',
        role: '社区家长学校',
        profile: '利用社区家长学校开展家庭教育指导。',
      },
      {
        name: '家长委员会',
        partyType: 'family',
        contactPerson: '陈女士',
        phone: '13900000000',
        role: '家校互动',
        profile: '组织家长参加家庭教育指导活动。',
      },
    ],
    introduction: '以牵头学校为核心，联合派出所、社区和家长委员会，形成家校社协同育人合力。',
    goals: [
      {
        title: '建立家长学校',
        measures: '每学期举办四次家庭教育讲座',
        indicator: '家长参与率达到80%',
        targetDate: addYears(formedOn, 1),
      },
      {
        title: '护校安园常态化',
        measures: '警校联动，上下学时段护学',
        indicator: '校园周边安全事故为零',
        targetDate: addDays(addYears(formedOn, 2), -1),
      },
    ],
    remarks: '',
    extra: {},
    ...overrides,
  };
}
