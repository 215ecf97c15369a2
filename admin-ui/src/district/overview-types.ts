/** The answer of GET /api/overview (api/usecases/overview.ts). */
export interface Overview {
  districtId: number | null;
  generatedAt: string;
  alliances: {
    total: number;
    byStatus: { status: string; count: number }[];
    schools: number;
    schoolsWithAlliance: number;
    bySchool: { schoolId: number; schoolName: string; total: number; active: number; inApproval: number; draft: number }[];
  };
  partyCoverage: {
    alliances: number;
    stressedCategories: string[];
    byPartyType: { code: string; category: string; nameZh: string; nameEn: string; alliances: number }[];
    lackingByCategory: { category: string; alliances: number }[];
    schoolsLacking: { schoolId: number; schoolName: string; alliances: number; lacking: { category: string; alliances: number }[] }[];
  };
  goals: {
    withinDays: number;
    dueSoon: number;
    pastTarget: number;
    byMonth: { month: string; count: number }[];
    soonest: { goalId: string; title: string; targetDate: string; registrationId: string; registrationName: string; schoolName: string }[];
  };
  overdueTasks: { total: number; byStep: { step: string; count: number }[]; bySchool: { schoolId: number; schoolName: string; count: number }[] };
  reviewOutcomes: { cycle: number; outcome: string; count: number }[];
}
