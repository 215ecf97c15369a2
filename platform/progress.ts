/**
 * Start-up progress: in a terminal, one line per running step, redrawn in place below the log
 * (elapsed seconds and the step's own detail); elsewhere (JSON logs) an occasional log line.
 */
import type { LogSink } from './logger';

export interface ProgressBoard {
  /** Wraps a log destination so that log lines print above the board. */
  sink: LogSink;
  set(step: string, label: string, detail?: string): void;
  remove(step: string): void;
  close(): void;
}

interface Line {
  label: string;
  detail: string;
  since: number;
}

const fmtSeconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export function createProgressBoard(opts: { tty: boolean; out?: NodeJS.WriteStream; log: (msg: string) => void; quietMs?: number }): ProgressBoard {
  const out = opts.out ?? process.stdout;
  const lines = new Map<string, Line>();
  let drawn = 0;
  let closed = false;

  if (!opts.tty) {
    // No cursor to move: say a step is still running every quietMs, not on every detail.
    const lastSaid = new Map<string, number>();
    return {
      sink: out,
      set(step, label, detail = '') {
        const now = Date.now();
        const line = lines.get(step) ?? { label, detail, since: now };
        lines.set(step, { ...line, label, detail });
        if (now - (lastSaid.get(step) ?? line.since) >= (opts.quietMs ?? 10_000)) {
          lastSaid.set(step, now);
          opts.log(`${label}…${detail ? ` ${detail}` : ''} (${fmtSeconds(now - line.since)})`);
        }
      },
      remove: (step) => void lines.delete(step),
      close: () => lines.clear(),
    };
  }

  const clear = () => {
    // Up to the first board line, then erase to the end of the screen.
    if (drawn > 0) out.write(`\x1b[${drawn}F\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    if (closed) return;
    const now = Date.now();
    const columns = out.columns || 100;
    for (const l of lines.values()) {
      const text = `  ⏳ ${l.label}… ${fmtSeconds(now - l.since)}${l.detail ? `  ${l.detail}` : ''}`;
      out.write(`\x1b[36m${text.slice(0, columns - 1)}\x1b[0m\n`);
    }
    drawn = lines.size;
  };
  const redraw = () => {
    clear();
    draw();
  };
  // Elapsed seconds keep moving even when a step says nothing.
  const ticker = setInterval(redraw, 1000);
  ticker.unref();
  let pending: NodeJS.Timeout | undefined;

  return {
    sink: {
      write(line: string) {
        clear();
        out.write(line);
        draw();
      },
    },
    set(step, label, detail = '') {
      const line = lines.get(step);
      lines.set(step, { label, detail, since: line?.since ?? Date.now() });
      // Details can arrive hundreds of times a second (a Go build): redraw at most every 100 ms.
      pending ??= setTimeout(() => {
        pending = undefined;
        redraw();
      }, 100);
    },
    remove(step) {
      if (!lines.delete(step)) return;
      redraw();
    },
    close() {
      clearInterval(ticker);
      if (pending) clearTimeout(pending);
      clear();
      lines.clear();
      closed = true;
    },
  };
}
