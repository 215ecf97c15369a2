import type { Db } from '../../db/connection';
import type { Logger } from '../../platform/logger';
import type { Mailer } from '../mailer';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  logger: Logger;
}

/** All I/O of the registration workflow, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  void deps;
  return {};
}
export type Activities = ReturnType<typeof createActivities>;
