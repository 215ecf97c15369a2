import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';

/** What the API needs from the outside world; tests pass real ones built for the run. */
export interface AppDeps {
  db: Db;
  temporal: Client;
  config: Config;
  logger: Logger;
}
