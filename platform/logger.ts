import pino from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

/** Human-readable in a terminal, JSON lines for machines (a pipe, a file, a container log) or when LOG_FORMAT=json. */
export function logFormat(setting: string | undefined = process.env.LOG_FORMAT, stream: { isTTY?: boolean } = process.stdout): LogFormat {
  if (setting === 'json' || setting === 'pretty') return setting;
  return stream.isTTY ? 'pretty' : 'json';
}

/** Where log lines go; the start-up progress board wraps stdout to keep its updating lines below them. */
export interface LogSink {
  write(line: string): void;
}

export function createLogger(level: string, name: string, opts: { format?: LogFormat; sink?: LogSink } = {}) {
  const options = { level, name, redact: ['req.headers.authorization', 'password', '*.password', 'passwordHash'] };
  const sink = opts.sink ?? process.stdout;
  if ((opts.format ?? logFormat()) === 'json') return pino(options, opts.sink ? sink : undefined);
  // pino-pretty's own formatter, run in-process and synchronously so that lines keep their order with the progress board.
  const prettify = prettyFactory({ colorize: isColorSupported, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true });
  return pino(options, { write: (line: string) => sink.write(prettify(line)) });
}
export type Logger = ReturnType<typeof createLogger>;
