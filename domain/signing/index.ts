/**
 * Principal signature and stamp (issue 5). Interface agreed between the workflow engineer (who calls
 * these from the task-complete route and from an activity) and the signature engineer (who implements them).
 */
import type { Knex } from 'knex';
import type { WorkflowActor } from '../../workflows/shared';

export interface PreparedSignature {
  signatureFileId: string;
  stampFileId: string;
}

/**
 * Called by the API before the `sign` update is sent: sniffs and stores the drawn signature image
 * (PNG/JPEG, size and pixel limits), checks the school has a stamp. Throws AppError 400 (bad image)
 * or 409 (school has no stamp). Stores nothing when it throws.
 */
export async function prepareSignature(
  db: Knex,
  input: { registrationId: string; actor: WorkflowActor; signatureImage: unknown },
): Promise<PreparedSignature> {
  void db;
  void input;
  throw new Error('prepareSignature: not implemented yet');
}

/**
 * Called by the worker's activity when the workflow accepts the `sign` action: builds the canonical
 * content, hashes it, signs the statement with the server's Ed25519 key, stores the signature record
 * and links it to the registration. Idempotent per (registrationId, signatureFileId).
 */
export async function recordSignature(
  db: Knex,
  input: { registrationId: string; signerId: number; signatureFileId: string; signedAt: string; dataDir: string },
): Promise<{ signatureId: string; contentHash: string }> {
  void db;
  void input;
  throw new Error('recordSignature: not implemented yet');
}
