import { DEFAULT_DEADLINE_POLICIES } from '../../domain/policies/defaults';
import type { Db } from '../connection';

/** Inserts the default policy of every step that has none; rows an administrator changed are kept. */
export async function seedDeadlinePolicies(db: Db): Promise<void> {
  const rows = Object.entries(DEFAULT_DEADLINE_POLICIES).map(([step, p]) => ({
    step,
    dueSeconds: p.dueSeconds,
    remindBeforeSeconds: p.remindBeforeSeconds,
    escalateToRole: p.escalateToRole,
  }));
  await db('deadlinePolicies').insert(rows).onConflict('step').ignore();
}
