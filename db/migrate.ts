import type { Knex } from 'knex';
import * as createCoreSchema from './migrations/20261128_0001_create_core_schema';
import * as loginThrottleIndexes from './migrations/20261129_0230_login_throttle_indexes';
import * as createGoalReviews from './migrations/20261129_0400_create_goal_reviews';
import * as registrationSearchTrigramIndexes from './migrations/20261129_0500_registration_search_trigram_indexes';
import * as registrationProcessSeq from './migrations/20261201_09a_registration_process_seq';
import * as outbox from './migrations/20261201_09b1_outbox';
import * as policyVersions from './migrations/20261201_09b2_policy_versions';
import * as auditStreams from './migrations/20261201_09b3_audit_streams';
import * as sessionEpochAndLoginThrottle from './migrations/20261201_1001_session_epoch_and_login_throttle';
import * as taskInboxIndexes from './migrations/20261201_1300_task_inbox_indexes';
import * as goalReviewReportComment from './migrations/20261201_1600_goal_review_report_comment';
import * as taskAssignees from './migrations/20261202_1200_task_assignees';
import * as delegationsAndUrges from './migrations/20261202_12a_delegations_and_urges';
import * as stepApprovers from './migrations/20261202_12b_step_approvers';
import * as workingDayCalendar from './migrations/20261202_12c_working_day_calendar';
import * as workingHours from './migrations/20261202_12c2_working_hours';
import * as copiesAndComments from './migrations/20261202_12d_copies_and_comments';
import * as districtOverviewCounts from './migrations/20261203_district14_overview_counts';
import * as overviewCountsAppendOnly from './migrations/20261204_0700_overview_counts_append_only';
import * as auditAnchors from './migrations/20261204_0800_audit_anchors';

/** Migrations are listed here, in order, so they load the same under tsx, jest and a compiled build. */
const migrations: Record<string, Knex.Migration> = {
  '20261128_0001_create_core_schema': createCoreSchema,
  '20261129_0230_login_throttle_indexes': loginThrottleIndexes,
  '20261129_0400_create_goal_reviews': createGoalReviews,
  '20261129_0500_registration_search_trigram_indexes': registrationSearchTrigramIndexes,
  '20261201_09a_registration_process_seq': registrationProcessSeq,
  '20261201_09b1_outbox': outbox,
  '20261201_09b2_policy_versions': policyVersions,
  '20261201_09b3_audit_streams': auditStreams,
  '20261201_1001_session_epoch_and_login_throttle': sessionEpochAndLoginThrottle,
  '20261201_1300_task_inbox_indexes': taskInboxIndexes,
  '20261201_1600_goal_review_report_comment': goalReviewReportComment,
  '20261202_1200_task_assignees': taskAssignees,
  '20261202_12a_delegations_and_urges': delegationsAndUrges,
  '20261202_12b_step_approvers': stepApprovers,
  '20261202_12c_working_day_calendar': workingDayCalendar,
  '20261202_12c2_working_hours': workingHours,
  '20261202_12d_copies_and_comments': copiesAndComments,
  '20261203_district14_overview_counts': districtOverviewCounts,
  '20261204_0700_overview_counts_append_only': overviewCountsAppendOnly,
  '20261204_0800_audit_anchors': auditAnchors,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};

export const migrationConfig = { migrationSource, tableName: 'knex_migrations' };

export async function migrateLatest(db: Knex) {
  return db.migrate.latest(migrationConfig);
}

/** True when every known migration has run (used by /readyz). */
export async function migrationsCurrent(db: Knex): Promise<boolean> {
  const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length === 0;
}
