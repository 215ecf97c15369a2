import pino from 'pino';

export function createLogger(level: string, name: string) {
  return pino({ level, name, redact: ['req.headers.authorization', 'password', '*.password', 'passwordHash'] });
}
export type Logger = ReturnType<typeof createLogger>;
