import type { Db } from '../connection';

export async function seedDeadlinePolicies(db: Db): Promise<void> {
  void db;
}
