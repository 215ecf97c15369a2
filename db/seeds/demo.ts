/**
 * Demo data for `npm start` (off in production): the 示范区 district, four schools, one user per
 * role (password demo1234) and a few draft registrations of the demo school. Rows are only added
 * when missing, so a second start keeps whatever users changed.
 */
import { addDays, addYears, todayIn } from '../../domain/registrations/dates';
import { insertRegistration } from '../../domain/registrations/repository';
import type { ValidRegistration } from '../../domain/registrations/validate';
import { giveDemoStamps } from '../../domain/signing/demo-stamp';
import { hashPassword } from '../../domain/users/passwords';
import type { Db } from '../connection';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_DISTRICT = { code: 'demo', name: '示范区' };
export const DEMO_SCHOOLS = [
  { code: 'demo-s1', name: '示范区第一实验小学', legalRepresentative: '李明', address: '示范区学府路1号' },
  { code: 'demo-s2', name: '示范区第二实验小学', legalRepresentative: '王芳', address: '示范区和平街18号' },
  { code: 'demo-s3', name: '示范区实验中学', legalRepresentative: '张伟', address: '示范区文化路66号' },
  { code: 'demo-s4', name: '示范区城东小学', legalRepresentative: '刘洋', address: '示范区城东大道9号' },
];
/** The demo school: where staff.demo, leader.demo and principal.demo work. */
export const DEMO_SCHOOL_CODE = 'demo-s1';

const DEMO_USERS = [
  { username: 'staff.demo', name: '陈经办', roles: ['school_staff'], atSchool: true, email: 'staff.demo@example.org' },
  { username: 'leader.demo', name: '赵主任', roles: ['lead_school_leader'], atSchool: true, email: 'leader.demo@example.org' },
  { username: 'principal.demo', name: '李明', roles: ['principal'], atSchool: true, email: 'principal.demo@example.org' },
  { username: 'bureau.demo', name: '孙审批', roles: ['bureau_approver'], atSchool: false, email: 'bureau.demo@example.org' },
  { username: 'admin.demo', name: '系统管理员', roles: ['admin'], atSchool: false, email: 'admin.demo@example.org' },
];

function demoRegistrations(): ValidRegistration[] {
  const formedOn = addDays(todayIn(), -45);
  return [
    {
      name: '示范区第一实验小学“阳光成长”教联体',
      legalRepresentative: '李明',
      formedOn,
      memberSchools: [{ name: '示范区第二实验小学' }, { name: '示范区城东小学' }],
      memberUnits: [
        { name: '示范区公安分局学府路派出所', partyType: 'department.public_security', contactPerson: '周警官', phone: '010-66001100', role: '法治副校长，护校安园', profile: '负责学校周边治安和交通环境治理，定期开展防欺凌、防诈骗宣传。' },
        { name: '学府街道书香社区', partyType: 'community', contactPerson: '吴主任', phone: '010-66002200', role: '社区家长学校', profile: '利用社区家长学校开展家庭教育指导，假期提供学生管护场所。' },
        { name: '示范区妇女联合会', partyType: 'department.womens_federation', contactPerson: '郑女士', phone: '010-66003300', role: '家庭教育指导服务站', profile: '宣传普及家庭教育知识，提供家庭教育指导服务。' },
        { name: '示范区科技馆', partyType: 'social_resource.cultural_venue', contactPerson: '钱馆长', phone: '010-66004400', role: '科学教育实践基地', profile: '为学生开通绿色通道和预约服务，开发科普活动。' },
        { name: '一年级家长委员会', partyType: 'family', contactPerson: '冯女士', phone: '13800001111', role: '家校互动', profile: '组织家长参加家庭教育指导和家校互动活动。' },
      ],
      introduction:
        '本教联体以示范区第一实验小学为牵头学校，联合派出所、社区、妇联、科技馆和家长委员会，围绕安全教育、家庭教育指导和科学教育三条主线，构建家校社协同育人格局。主要特点：资源就近、机制常态、活动课程化。',
      goals: [
        { title: '家长学校全覆盖', measures: '每学期开展不少于4次家庭教育讲座，建立家访制度', indicator: '家长参与率不低于80%', targetDate: addYears(formedOn, 1) },
        { title: '护校安园常态化', measures: '警校联动，上下学高峰护学岗，开展应急疏散演练', indicator: '校园周边安全事故为零', targetDate: addDays(addYears(formedOn, 2), -1) },
        { title: '科学教育实践课程', measures: '与科技馆共建每月一次的科学实践课', indicator: '每名学生每学年参加不少于6次', targetDate: addYears(formedOn, 2) },
      ],
      remarks: null,
      extra: {},
    },
    {
      name: '示范区第一实验小学“书香家庭”教联体（草稿）',
      legalRepresentative: '李明',
      formedOn: addDays(todayIn(), -10),
      memberSchools: [],
      memberUnits: [
        { name: '示范区图书馆', partyType: 'social_resource.cultural_venue', contactPerson: '孙老师', phone: '010-66005500', role: '阅读推广', profile: null },
      ],
      introduction: '以亲子阅读为抓手，推动书香家庭建设。',
      goals: [],
      remarks: '待补充成员单位 / member units to be added',
      extra: {},
    },
  ];
}

export async function seedDemo(db: Db): Promise<void> {
  await db('districts').insert(DEMO_DISTRICT).onConflict('code').ignore();
  const district = await db('districts').where({ code: DEMO_DISTRICT.code }).first('id');
  await db('schools')
    .insert(DEMO_SCHOOLS.map((s) => ({ ...s, districtId: district.id })))
    .onConflict('code')
    .ignore();
  const school = await db('schools').where({ code: DEMO_SCHOOL_CODE }).first('id', 'districtId');
  await giveDemoStamps(db, await db('schools').whereIn('code', DEMO_SCHOOLS.map((s) => s.code)).pluck('id')); // a red seal each, so principals can sign at once

  const existing = new Set((await db('users').whereIn('username', DEMO_USERS.map((u) => u.username)).pluck('username')) as string[]);
  const missing = DEMO_USERS.filter((u) => !existing.has(u.username));
  if (missing.length) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await db('users')
      .insert(
        missing.map((u) => ({
          username: u.username,
          name: u.name,
          roles: u.roles,
          email: u.email,
          passwordHash,
          schoolId: u.atSchool ? school.id : null,
          districtId: u.roles.includes('admin') ? null : district.id,
        })),
      )
      .onConflict('username')
      .ignore();
  }

  await db.transaction(async (trx) => {
    // Serialises concurrent first starts (api and worker may seed at once).
    await trx.raw('select pg_advisory_xact_lock(?)', [7_240_002]);
    if (await trx('registrations').where({ schoolId: school.id }).first('id')) return;
    const staff = await trx('users').where({ username: 'staff.demo' }).first('id');
    for (const input of demoRegistrations()) {
      await insertRegistration(trx, { schoolId: school.id, createdBy: staff.id, input });
    }
  });
}
