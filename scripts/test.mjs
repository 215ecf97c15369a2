// `npm test`: install what is missing, build the console for the browser tests, type-check, run jest.
import { spawnSync } from 'node:child_process';
import { ensureAdminUiBuilt, ensureDependencies, ROOT } from './ensure-deps.mjs';

ensureDependencies();
ensureAdminUiBuilt();
const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
step('npx', ['tsc', '--noEmit', '-p', 'admin-ui/tsconfig.json']);
step('npx', ['eslint', 'workflows', 'worker', 'platform', 'db', 'domain', 'api', 'tests', 'bench']);
step('npx', ['jest', ...process.argv.slice(2)]);
