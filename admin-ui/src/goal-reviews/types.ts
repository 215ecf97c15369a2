/** The goal-reviews record as the API answers it (GET /api/goal-reviews/:id). */
export interface EvidenceFile {
  id: string;
  mediaType: string;
  originalName: string | null;
  size: number;
}

export interface ReviewItem {
  goalId: string;
  position: number;
  title: string;
  measures: string | null;
  indicator: string | null;
  targetDate: string | null;
  progress: string | null;
  narrative: string | null;
  evidenceFileIds: string[];
  evidence: EvidenceFile[];
  rating: string | null;
}

export interface GoalReview {
  id: string;
  registrationId: string;
  registrationName: string;
  registrationStatus: string;
  schoolId: number;
  schoolName: string;
  cycle: number;
  status: 'reporting' | 'rating' | 'passed' | 'conditional' | 'failed';
  openedAt: string;
  dueAt: string | null;
  reportedBy: number | null;
  reportedByName: string | null;
  reportedAt: string | null;
  reportComment: string | null;
  ratedBy: number | null;
  ratedByName: string | null;
  ratedAt: string | null;
  overall: string | null;
  comment: string | null;
  rectificationDueAt: string | null;
  task: { id: string; step: 'goal_report' | 'goal_rating'; status: string; dueAt: string | null; overdue: boolean; claimedBy: number | null; schoolId: number | null; districtId: number | null } | null;
  items: ReviewItem[];
}

// The server's words (domain/process): a rating or a progress the server would refuse cannot be offered.
export { REVIEW_RATINGS as RATINGS, GOAL_PROGRESS as PROGRESS } from '@process';
export const REVIEW_STATUSES = ['reporting', 'rating', 'passed', 'conditional', 'failed'] as const;
