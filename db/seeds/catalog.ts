import type { Db } from '../connection';

export async function seedCatalog(db: Db): Promise<void> {
  void db;
}
