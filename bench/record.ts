/**
 * One place where every benchmark writes what it measured: bench/results/<bench>.json (the latest
 * run, full detail) and rows appended to the table in bench/README.md, each figure beside the limit
 * measured in the same run and their ratio, with the machine, the date, the commit and a label
 * (BENCH_LABEL, e.g. "before" / "after").
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Figure {
  /** What was measured, e.g. "inbox bureau p95". */
  what: string;
  value: number;
  unit: string;
  /** The same thing with the system's own overhead removed, measured in the same run (if any). */
  limit?: number;
  /** The target as the issue states it, e.g. "≤ 2× SQL and < 20 ms". */
  target?: string;
}

const README = path.join(__dirname, 'README.md');
const MARKER = '<!-- results: rows are appended below by bench/record.ts -->';

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length}× ${cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${os.loadavg()[0].toFixed(1)}`;
}

function commit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return '?';
  }
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

export function record(bench: string, figures: Figure[], detail: Record<string, unknown> = {}): void {
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const label = process.env.BENCH_LABEL ?? '';
  const run = { bench, label, date, commit: commit(), machine: machine(), figures, detail };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  const suffix = label ? `-${label.replace(/[^a-z0-9_-]/gi, '_')}` : '';
  fs.writeFileSync(path.join(__dirname, 'results', `${bench}${suffix}.json`), `${JSON.stringify(run, null, 2)}\n`);

  const rows = figures.map((f) => {
    const ratio = f.limit ? `${(f.value / f.limit).toFixed(2)}×` : '–';
    const limit = f.limit !== undefined ? `${fmt(f.limit)} ${f.unit}` : '–';
    return `| ${date} | ${label || '–'} | ${run.commit} | ${bench} | ${f.what} | ${fmt(f.value)} ${f.unit} | ${limit} | ${ratio} | ${f.target ?? '–'} | ${run.machine} |`;
  });
  let text = fs.existsSync(README) ? fs.readFileSync(README, 'utf8') : '';
  if (!text.includes(MARKER)) {
    text += `\n## Results\n\n${MARKER}\n\n| date (UTC) | label | commit | bench | figure | value | limit (same run) | ratio | target | machine |\n|---|---|---|---|---|---|---|---|---|---|\n`;
  }
  // Into the results table, after its last row (prose may follow the table).
  const lines = text.replace(/\n*$/, '\n').split('\n');
  let end = lines.findIndex((l) => l.includes(MARKER));
  while (end + 1 < lines.length && (lines[end + 1].startsWith('|') || (lines[end + 1] === '' && !lines[end].startsWith('|')))) end++;
  lines.splice(end + 1, 0, ...rows);
  fs.writeFileSync(README, lines.join('\n'));
  console.log(rows.join('\n'));
}

/** Latency summary of a sample in ms. */
export function summary(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1] ?? NaN };
}
