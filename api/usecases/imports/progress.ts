/**
 * How far an import has got, for the person waiting on a large file (2,000 schools, 10,000 users):
 * reading the workbook, checking its rows, hashing initial passwords, writing. `done`/`total` count
 * rows (0/0 while the workbook is being read: its size in rows is not known yet).
 */
export type ImportPhase = 'read' | 'check' | 'passwords' | 'write';

export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
}

export type ProgressSink = (progress: ImportProgress) => void;

export const noProgress: ProgressSink = () => {};
