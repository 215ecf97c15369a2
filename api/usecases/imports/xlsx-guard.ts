/**
 * Checks an uploaded .xlsx before any parser sees it. An .xlsx is a zip: its central directory
 * (at the end of the file) declares every entry's compressed and uncompressed size, so a zip bomb
 * is refused by reading those numbers, without inflating anything. The parser's own inflation
 * cannot exceed what the directory declares by much either: exceljs checks each entry's CRC/size.
 */
import { AppError } from '../../errors';

export const XLSX_LIMITS = {
  /** The upload itself (multer cuts the request off here). */
  maxFileBytes: 10 * 1024 * 1024,
  /** Sum of the declared uncompressed sizes of all entries (20,000 rows of a template are ~5 MB). */
  maxUncompressedBytes: 40 * 1024 * 1024,
  /** A spreadsheet compresses about 5–20×; a bomb by 1000× and more. */
  maxRatio: 200,
  maxEntries: 2000,
  maxRows: 20_000,
};

const EOCD_SIGNATURE = 0x06054b50;
const CDH_SIGNATURE = 0x02014b50;

export const fileError = (zh: string, en: string) => {
  const message = `${zh} / ${en}`;
  return AppError.badRequest(message, { file: message });
};

const notXlsx = () => fileError('文件不是有效的 Excel（.xlsx）文件', 'The file is not a valid Excel (.xlsx) workbook');

/** Throws a 400 unless the bytes are a zip whose declared contents stay within the limits. */
export function checkXlsxBytes(bytes: Buffer): void {
  if (bytes.length > XLSX_LIMITS.maxFileBytes) {
    throw fileError(`文件不能超过 ${XLSX_LIMITS.maxFileBytes / 1024 / 1024} MB`, `The file must be at most ${XLSX_LIMITS.maxFileBytes / 1024 / 1024} MB`);
  }
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== 0x04034b50) throw notXlsx();

  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx();
  const entries = bytes.readUInt16LE(eocd + 10);
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  // 0xFFFF / 0xFFFFFFFF mean Zip64: no spreadsheet within our limits needs it.
  if (entries === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) throw notXlsx();
  if (entries > XLSX_LIMITS.maxEntries) throw notXlsx();

  let uncompressed = 0;
  let compressed = 0;
  let p = cdOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > eocd || bytes.readUInt32LE(p) !== CDH_SIGNATURE) throw notXlsx();
    const c = bytes.readUInt32LE(p + 20);
    const u = bytes.readUInt32LE(p + 24);
    if (c === 0xffffffff || u === 0xffffffff) throw notXlsx();
    compressed += c;
    uncompressed += u;
    p += 46 + bytes.readUInt16LE(p + 28) + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  if (uncompressed > XLSX_LIMITS.maxUncompressedBytes || (uncompressed > 1024 * 1024 && uncompressed > compressed * XLSX_LIMITS.maxRatio)) {
    throw fileError('文件解压后过大（疑似压缩炸弹），已拒绝', 'The file expands to far more than a spreadsheet would (a zip bomb?); refused');
  }
}
