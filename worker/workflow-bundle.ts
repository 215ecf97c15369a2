import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './create-worker';

const WORKFLOWS_DIR = path.dirname(WORKFLOWS_PATH);
const LOCKFILE = path.resolve(__dirname, '../package-lock.json');

/**
 * The workflow bundle, built once per version of the workflow code and kept in dataDir: bundling
 * takes most of a worker's start, and a restart with unchanged workflows needs none of it.
 * The key covers every workflow source (they import nothing outside workflows/ but the SDK) and the
 * lockfile (the SDK's version).
 */
export async function cachedWorkflowBundle(dataDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(WORKFLOWS_DIR).sort()) {
    const file = path.join(WORKFLOWS_DIR, name);
    if (fs.statSync(file).isFile()) hash.update(name).update(fs.readFileSync(file));
  }
  if (fs.existsSync(LOCKFILE)) hash.update(fs.readFileSync(LOCKFILE));
  const name = `${hash.digest('hex').slice(0, 16)}.js`;
  const cached = path.join(dataDir, 'workflow-bundles', name);
  if (fs.existsSync(cached)) return cached;
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  try {
    return writeAtomically(cached, code);
  } catch {
    // A read-only data folder only costs the cache: the bundle goes to the temporary folder.
    return writeAtomically(path.join(os.tmpdir(), `jlt-workflow-bundle-${name}`), code);
  }
}

/** Written aside and renamed: a second worker starting at the same time never reads half a file. */
function writeAtomically(target: string, code: string): string {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  fs.writeFileSync(partial, code);
  fs.renameSync(partial, target);
  return target;
}
