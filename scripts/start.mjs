// `npm start`: install what is missing, build the console, then bring the whole system up.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureAdminUiBuilt, ensureDependencies, ROOT } from './ensure-deps.mjs';

ensureDependencies();
ensureAdminUiBuilt();
const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'platform/main.ts')], { cwd: ROOT, stdio: 'inherit' });
// The orchestrator handles the signals itself; this wrapper just waits for it.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
