// `npm start`: install what is missing, then bring the whole system up (platform/main.ts builds the
// console and starts everything else, side by side where it can).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureDependencies, ROOT } from './ensure-deps.mjs';

const startedAt = Date.now();
ensureDependencies();
// A process group of its own: a Ctrl-C in the terminal reaches only us, and we ask the supervisor
// to stop, which stops its services in order. The IPC channel tells the supervisor if we die.
const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'platform/main.ts')], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  detached: true,
  env: { ...process.env, JLT_START_AT: String(startedAt), JLT_DEPENDENCIES_MS: String(Date.now() - startedAt) },
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig));
// `npm start` runs us through `sh -c` (package.json execs, so a signal to npm reaches us); should a shell
// in between die of a signal without passing it on, we are re-parented, and stop as if told to.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 1000).unref();
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
