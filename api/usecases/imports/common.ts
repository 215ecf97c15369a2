/** What every import answers: per-row outcome and errors, and the counts, whether dry run or real. */
import type { FieldErrors } from '../../../domain/validation';
import type { ProgressSink } from './progress';

export type RowAction = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportRow {
  row: number;
  action: RowAction;
  values: Record<string, string>;
  errors?: FieldErrors;
}

export interface ImportResult {
  kind: 'schools' | 'users';
  dryRun: boolean;
  total: number;
  counts: Record<RowAction, number>;
  rows: ImportRow[];
}

export function summarize(kind: ImportResult['kind'], dryRun: boolean, rows: ImportRow[]): ImportResult {
  const counts: Record<RowAction, number> = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of rows) counts[r.action]++;
  return { kind, dryRun, total: rows.length, counts, rows };
}

/** A value seen twice within one file: every occurrence after the first is an error. */
export function markDuplicates(rows: { values: Record<string, string>; errors: FieldErrors }[], key: string, message: string, fold = (s: string) => s) {
  const seen = new Set<string>();
  for (const r of rows) {
    const v = fold(r.values[key] ?? '');
    if (!v) continue;
    if (seen.has(v)) r.errors[key] ??= message;
    seen.add(v);
  }
}

export const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Counts rows written and reports them (the first report at 0, before anything is written). */
export function writeProgress(onProgress: ProgressSink, total: number): (rows: number) => void {
  let done = 0;
  onProgress({ phase: 'write', done, total });
  return (rows) => {
    done += rows;
    onProgress({ phase: 'write', done, total });
  };
}
