/**
 * Reading and writing the import spreadsheets: one column spec per kind, bilingual headers in the
 * template, a reader that refuses formulas (a formula's value is whatever the last program that
 * saved it computed, so what the administrator saw is not what would be imported).
 */
import ExcelJS from 'exceljs';
import { checkXlsxBytes, fileError, XLSX_LIMITS } from './xlsx-guard';

export interface ColumnSpec<K extends string = string> {
  key: K;
  zh: string;
  en: string;
  required?: boolean;
  width?: number;
  /** Shown under the headers in the template. */
  hint: string;
}

/** One data row as read: its spreadsheet row number and its cells as trimmed text ('' when empty). */
export interface SheetRow<K extends string = string> {
  row: number;
  values: Record<K, string>;
}

const norm = (s: string) => s.replace(/[\s*＊]/g, '').toLowerCase();

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v == null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text; // hyperlink
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

const isFormula = (cell: ExcelJS.Cell) =>
  cell.type === ExcelJS.ValueType.Formula || (typeof cell.value === 'object' && cell.value !== null && ('formula' in cell.value || 'sharedFormula' in cell.value));

/** Parses the first worksheet. Anything not a well-formed workbook with the expected headers is a 400. */
export async function readSheet<K extends string>(bytes: Buffer, columns: readonly ColumnSpec<K>[]): Promise<SheetRow<K>[]> {
  checkXlsxBytes(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fileError('无法读取文件，请使用下载的模板（.xlsx）', 'The file cannot be read; use the downloaded template (.xlsx)');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw fileError('文件中没有工作表', 'The workbook has no worksheet');
  if (sheet.rowCount > XLSX_LIMITS.maxRows + 2) {
    throw fileError(`一次最多导入 ${XLSX_LIMITS.maxRows} 行`, `At most ${XLSX_LIMITS.maxRows} rows per import`);
  }

  // Header row: each expected column found by its Chinese or English name, in any order.
  const header = sheet.getRow(1);
  const positions = new Map<K, number>();
  header.eachCell((cell, col) => {
    const text = norm(cellText(cell));
    const spec = columns.find((c) => norm(c.zh) === text || norm(c.en) === text || norm(`${c.zh}/${c.en}`) === text);
    if (spec) positions.set(spec.key, col);
  });
  const missing = columns.filter((c) => c.required && !positions.has(c.key));
  if (missing.length) {
    throw fileError(`缺少列：${missing.map((c) => c.zh).join('、')}`, `Missing columns: ${missing.map((c) => c.en).join(', ')}`);
  }

  const rows: SheetRow<K>[] = [];
  let formulaAt: string | null = null;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1 || formulaAt) return;
    row.eachCell((cell) => {
      if (!formulaAt && isFormula(cell)) formulaAt = cell.address;
    });
    const values = {} as Record<K, string>;
    for (const c of columns) {
      const col = positions.get(c.key);
      values[c.key] = col ? cellText(row.getCell(col)).replaceAll('\u0000', '').trim() : '';
    }
    // The template's hint row and blank rows are not data.
    if (Object.values<string>(values).every((v) => v === '')) return;
    if (rowNumber === 2 && columns.every((c) => values[c.key] === '' || values[c.key] === c.hint)) return;
    rows.push({ row: rowNumber, values });
  });
  if (formulaAt) {
    throw fileError(`单元格 ${formulaAt} 含公式；请只填写值（可“选择性粘贴为数值”）`, `Cell ${formulaAt} holds a formula; enter plain values only (paste as values)`);
  }
  if (rows.length === 0) throw fileError('文件中没有数据行', 'The file has no data rows');
  if (rows.length > XLSX_LIMITS.maxRows) throw fileError(`一次最多导入 ${XLSX_LIMITS.maxRows} 行`, `At most ${XLSX_LIMITS.maxRows} rows per import`);
  return rows;
}

/** A template: bilingual headers, a hint row, column widths, and optional example rows. */
export async function templateBuffer(sheetName: string, columns: readonly ColumnSpec[], examples: string[][] = []): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: `${c.required ? '*' : ''}${c.zh}`, key: c.key, width: c.width ?? 18 }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRow(columns.map((c) => c.hint)).font = { italic: true, color: { argb: 'FF888888' } };
  for (const e of examples) sheet.addRow(e);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
