import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Every setting the system reads, typed once. A bad value stops the start and names the variable. */
const duration = z.coerce.number().int().positive();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[\w.-]+:\d+$/, 'host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('registrations'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(0).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(0).max(65535).default(8233),
  // No default: when unset, a random secret is generated once and kept in DATA_DIR (see jwtSecretPath).
  JWT_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  JWT_TTL_SECONDS: duration.default(900),
  REFRESH_TTL_SECONDS: duration.default(7 * 24 * 3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_MODE: z.enum(['true', 'false']).optional(),
  SIGNING_KEY_PEM: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('教联体 <noreply@localhost>'),
  CORS_ORIGIN: z.string().optional(),
  BODY_LIMIT: z.string().default('2mb'),
  // Operations (issue 15): log format, the Temporal UI the operator page links to, /metrics access.
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  // Empty means unset (docker-compose passes `${METRICS_TOKEN:-}`).
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'at least 16 characters').optional()),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // Single sign-on (OpenID Connect): active when issuer, client id and secret are all set.
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
  OIDC_SCOPES: z.string().min(1).default('openid profile'),
  OIDC_REDIRECT_URI: z.url().optional(),
  OIDC_LABEL: z.string().min(1).max(40).default('统一身份认证'),
  /** Express 'trust proxy': unset = X-Forwarded-For is ignored; 'true', a hop count, or addresses/subnets ('loopback, 10.0.0.0/8'). */
  TRUST_PROXY: z.string().optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
export type Config = Omit<RawConfig, 'JWT_SECRET'> & { JWT_SECRET: string; demoMode: boolean; dataDir: string };

/** The secret earlier versions shipped as a default: published, so refused everywhere. */
export const DEFAULT_JWT_SECRET = 'dev-only-secret-change-me-please';

export const jwtSecretPath = (dataDir: string) => path.join(dataDir, 'keys', 'jwt-secret');

/** Reads the secret kept in the data folder, or creates it atomically (link fails if another process won the race). */
function readOrCreateJwtSecret(dataDir: string): string {
  const file = jwtSecretPath(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, randomBytes(48).toString('base64url'), { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(tmp);
    }
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration / 配置错误:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.JWT_SECRET === DEFAULT_JWT_SECRET) {
    throw new ConfigError('Invalid configuration / 配置错误:\n  JWT_SECRET: the published default secret is refused; unset it to generate one');
  }
  // Several production API instances must share one secret, so production asks for it explicitly.
  if (c.NODE_ENV === 'production' && !c.JWT_SECRET) {
    throw new ConfigError('Invalid configuration / 配置错误:\n  JWT_SECRET: production needs a secret shared by every API instance');
  }
  const dataDir = path.resolve(c.DATA_DIR);
  const demoMode = c.DEMO_MODE ? c.DEMO_MODE === 'true' : c.NODE_ENV !== 'production';
  return { ...c, JWT_SECRET: c.JWT_SECRET ?? readOrCreateJwtSecret(dataDir), demoMode, dataDir };
}

/** Variables a deployment must provide for each process (checked against docker-compose.yml by a test). */
export const requiredBy = {
  api: ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'JWT_SECRET', 'NODE_ENV'],
  worker: ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'NODE_ENV'],
} as const;
