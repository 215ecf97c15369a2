/**
 * Streams a query's rows into an .xlsx response: a Postgres cursor (DECLARE … FETCH, inside a
 * read-only transaction) feeds exceljs's streaming WorkbookWriter, one batch at a time, waiting
 * for the socket to drain, so an export of 100,000 rows never holds them in memory.
 * (Knex's own .stream() needs pg-query-stream, which this project does not install; a cursor is
 * what that package does underneath.)
 */
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import type { Db } from '../../../db/connection';

export interface ExportColumn<R> {
  header: string;
  width?: number;
  value: (row: R) => string | number | null;
}

const BATCH = 1000;
const toCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const camelize = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [toCamel(k), v]));

const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
/** A moment as Beijing time, "2026-12-01 14:05". */
export function shanghaiTime(d: Date | string | null | undefined): string | null {
  if (!d) return null;
  const parts = Object.fromEntries(shanghai.formatToParts(new Date(d)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}
/** A calendar date (a Postgres date comes back as local midnight). */
export function calendarDate(d: Date | string | null | undefined): string | null {
  if (!d) return null;
  if (typeof d === 'string') return d.slice(0, 10);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export async function streamXlsx<R>(
  db: Db,
  res: Response,
  opts: { filename: string; sheet: string; columns: ExportColumn<R>[]; query: Knex.QueryBuilder },
): Promise<void> {
  const { sql, bindings } = opts.query.toSQL();
  try {
    // Read-only: committing it at the end changes nothing.
    await db.transaction(async (trx) => {
      await trx.raw('set transaction read only');
      // A cursor is planned for its first rows by default; an export reads them all.
      await trx.raw('set local cursor_tuple_fraction = 1');
      await trx.raw(`declare export_rows no scroll cursor for ${sql}`, bindings as Knex.RawBinding[]);
      const fetchBatch = async () => (await trx.raw(`fetch ${BATCH} from export_rows`)).rows as Record<string, unknown>[];
      // Headers go out only once the query is known to run: a bad query is still a clean error response.
      let batch = await fetchBatch();

      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(opts.filename)}`);
      res.setHeader('Cache-Control', 'no-store');
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
      const sheet = workbook.addWorksheet(opts.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = opts.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? 16 }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();

      while (batch.length) {
        for (const raw of batch) {
          const row = camelize(raw) as R;
          sheet.addRow(opts.columns.map((c) => c.value(row))).commit();
        }
        if (res.writableNeedDrain) await new Promise((resolve) => res.once('drain', resolve));
        if (res.destroyed) return; // the client went away
        batch = batch.length < BATCH ? [] : await fetchBatch();
      }
      sheet.commit();
      await workbook.commit();
    });
  } catch (err) {
    // Past the headers there is no error response to send: cut the download short so it is not mistaken for whole.
    if (res.headersSent) res.destroy(err as Error);
    else throw err;
  }
}
