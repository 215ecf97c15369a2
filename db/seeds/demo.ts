import type { Db } from '../connection';

export async function seedDemo(db: Db): Promise<void> {
  void db;
}
