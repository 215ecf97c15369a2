/**
 * The bureau's planning of goal reviews: which alliances fall due within a horizon, which reviews
 * are under way, which registrations are in rectification (and until when), and how the rated
 * reviews came out per school and year. Read-only, within the caller's scope.
 */
import type { Knex } from 'knex';
import { SERVICE_TIME_ZONE } from '../registrations/dates';
import { scopedRegistrations, type RegistrationScope } from '../registrations/repository';
import { scopedReviews } from './repository';

type Conn = Knex | Knex.Transaction;

export const PLANNING_HORIZONS = [30, 90, 180] as const;
/** Rows per section at most (a district has hundreds of alliances, not more). */
export const PLANNING_MAX_ROWS = 2000;

export interface UpcomingReview {
  registrationId: string;
  registrationName: string;
  schoolId: number;
  schoolName: string;
  /** active (first review) or rectification (the second review follows it) */
  status: string;
  cycle: number;
  reviewDueAt: string;
  daysLeft: number;
}

export interface ReviewInProgress {
  reviewId: string;
  registrationId: string;
  registrationName: string;
  schoolName: string;
  cycle: number;
  status: string;
  dueAt: string | null;
  overdue: boolean;
}

export interface Rectification {
  registrationId: string;
  registrationName: string;
  schoolId: number;
  schoolName: string;
  reviewId: string | null;
  failedAt: string | null;
  comment: string | null;
  rectificationDueAt: string | null;
  daysLeft: number | null;
}

export interface OutcomeRow {
  schoolId: number;
  schoolName: string;
  year: number;
  passed: number;
  conditional: number;
  failed: number;
  total: number;
}

export interface ReviewPlanning {
  generatedAt: string;
  days: number;
  upcoming: UpcomingReview[];
  inProgress: ReviewInProgress[];
  rectification: Rectification[];
  outcomes: OutcomeRow[];
}

const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());
const DAY = 24 * 3600 * 1000;
const daysFrom = (now: Date, at: Date | string) => Math.ceil((new Date(at).getTime() - now.getTime()) / DAY);

export async function reviewPlanning(db: Conn, scope: RegistrationScope, days: number, now = new Date()): Promise<ReviewPlanning> {
  const until = new Date(now.getTime() + days * DAY);
  const [upcoming, inProgress, rectification, outcomes] = await Promise.all([
    scopedRegistrations(db, scope)
      .whereIn('r.status', ['active', 'rectification'])
      .where('r.reviewDueAt', '<=', until)
      .select('r.id', 'r.name', 'r.schoolId', 's.name as schoolName', 'r.status', 'r.reviewDueAt')
      .select(db.raw('(select count(*) from goal_reviews g where g.registration_id = r.id)::int + 1 as next_cycle'))
      .orderBy('r.reviewDueAt')
      .orderBy('r.id')
      .limit(PLANNING_MAX_ROWS),
    scopedReviews(db, scope)
      .whereIn('gr.status', ['reporting', 'rating'])
      .select('gr.id', 'gr.registrationId', 'r.name', 's.name as schoolName', 'gr.cycle', 'gr.status', 't.dueAt', 't.overdue')
      .orderBy('t.dueAt', 'asc', 'last')
      .orderBy('gr.id')
      .limit(PLANNING_MAX_ROWS),
    scopedRegistrations(db, scope)
      .where('r.status', 'rectification')
      .leftJoin('goalReviews as gr', (j) => j.on('gr.registrationId', 'r.id').andOnVal('gr.status', 'failed'))
      .select('r.id', 'r.name', 'r.schoolId', 's.name as schoolName', 'r.reviewDueAt', 'gr.id as reviewId', 'gr.ratedAt', 'gr.comment', 'gr.rectificationDueAt')
      .orderBy('r.reviewDueAt')
      .orderBy('r.id')
      .limit(PLANNING_MAX_ROWS),
    scopedReviews(db, scope, false)
      .whereNotNull('gr.ratedAt')
      .select('r.schoolId', 's.name as schoolName')
      .select(db.raw('extract(year from gr.rated_at at time zone ?)::int as year', [SERVICE_TIME_ZONE]))
      .select(db.raw(`count(*) filter (where gr.overall = 'pass')::int as passed`))
      .select(db.raw(`count(*) filter (where gr.overall = 'conditional')::int as conditional`))
      .select(db.raw(`count(*) filter (where gr.overall = 'fail')::int as failed`))
      .select(db.raw('count(*)::int as total'))
      .groupBy('r.schoolId', 's.name', 'year')
      .orderBy('year', 'desc')
      .orderBy('s.name'),
  ]);
  return {
    generatedAt: now.toISOString(),
    days,
    upcoming: (upcoming as any[]).map((r) => ({
      registrationId: r.id,
      registrationName: r.name,
      schoolId: r.schoolId,
      schoolName: r.schoolName,
      status: r.status,
      cycle: r.nextCycle,
      reviewDueAt: iso(r.reviewDueAt)!,
      daysLeft: daysFrom(now, r.reviewDueAt),
    })),
    inProgress: (inProgress as any[]).map((r) => ({
      reviewId: r.id,
      registrationId: r.registrationId,
      registrationName: r.name,
      schoolName: r.schoolName,
      cycle: r.cycle,
      status: r.status,
      dueAt: iso(r.dueAt),
      overdue: !!r.overdue,
    })),
    rectification: (rectification as any[]).map((r) => {
      const due = r.reviewDueAt ?? r.rectificationDueAt; // the registration's date follows policy changes
      return {
        registrationId: r.id,
        registrationName: r.name,
        schoolId: r.schoolId,
        schoolName: r.schoolName,
        reviewId: r.reviewId ?? null,
        failedAt: iso(r.ratedAt),
        comment: r.comment ?? null,
        rectificationDueAt: iso(due),
        daysLeft: due ? daysFrom(now, due) : null,
      };
    }),
    outcomes: outcomes as OutcomeRow[],
  };
}
