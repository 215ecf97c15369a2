/**
 * Finding a party type by what a user calls their unit. The policy names many kinds in one line
 * ("文化场馆、博物馆、科技馆…等校外活动场所"): each example it lists is indexed on its own, plus the
 * everyday names of units the policy's kinds cover (a library is a 文化场馆; a police station is 公安部门).
 */
import type { PartyType } from './catalog';

const EVERYDAY_NAMES: Record<string, string[]> = {
  'department.public_security': ['派出所', '公安局', '警务', '交警'],
  'department.health': ['卫健委', '卫生局'],
  'department.civil_affairs': ['民政局'],
  'department.culture_tourism': ['文旅局', '文化局', '旅游局'],
  'department.science': ['科技局', '科协'],
  'department.fire_rescue': ['消防队', '消防大队'],
  'department.womens_federation': ['妇联'],
  'department.youth_league': ['团委', '共青团'],
  'department.next_generation': ['关工委'],
  community: ['社区', '居委会', '村委会', '街道办', '物业'],
  family: ['家长', '家委会', '家长委员会'],
  'social_resource.patriotic_education_base': ['纪念馆', '革命旧址', '烈士陵园', '红色基地'],
  'social_resource.sports_venue': ['体育馆', '游泳馆', '体育中心', '运动场'],
  'social_resource.cultural_venue': ['图书馆', '文化馆', '文化中心', '青少年宫', '少年宫', '展览馆', '剧院', '书院', '天文馆', '植物园', '动物园'],
  'social_resource.medical_institution': ['医院', '卫生院', '卫生服务中心', '妇幼保健院', '诊所', '精神卫生中心'],
  'social_resource.university': ['大学', '学院', '高校', '职业技术学院'],
  'social_resource.enterprise': ['企业', '公司', '工厂', '银行'],
};

/** The words a party type is found by: its names, each example of its Chinese name, and everyday names. */
export function searchTermsOf(p: PartyType): string[] {
  const examples = p.nameZh
    .split(/[、，,]/)
    .map((s) => s.replace(/等.*$/, '').trim())
    .filter(Boolean);
  return [p.nameZh, p.nameEn, ...examples, ...(EVERYDAY_NAMES[p.code] ?? [])];
}

/** Whether what the user typed finds the party type (either way round: "市图书馆" finds 图书馆). */
export function matchesPartyType(typed: string, p: PartyType): boolean {
  const q = typed.trim().toLowerCase();
  if (!q) return true;
  return searchTermsOf(p).some((term) => {
    const t = term.toLowerCase();
    return t.includes(q) || (q.length >= 2 && t.length >= 2 && q.includes(t));
  });
}
