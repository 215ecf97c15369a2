import { type Request, type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import type { AppDeps } from '../deps';
import { AppError, errorAnswer } from '../errors';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import type { ImportResult } from '../usecases/imports/common';
import type { ImportProgress, ProgressSink } from '../usecases/imports/progress';
import type { Logger } from '../../platform/logger';
import { importSchools, SCHOOL_COLUMNS } from '../usecases/imports/schools';
import { templateBuffer } from '../usecases/imports/sheet';
import { importUsers, USER_COLUMNS } from '../usecases/imports/users';
import { fileError, XLSX_LIMITS } from '../usecases/imports/xlsx-guard';
import './district-openapi';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One spreadsheet in field `file`, held in memory and cut off at the size limit before any parsing. */
function receiveSpreadsheet(): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: XLSX_LIMITS.maxFileBytes, files: 1, fields: 5, parts: 6 } }).single('file');
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next(fileError('请以 multipart/form-data 上传，字段名 file', 'Upload as multipart/form-data, field `file`'));
    upload(req, res, (err: unknown) => {
      if (!err) return req.file ? next() : next(fileError('请选择要上传的文件', 'Choose a file to upload'));
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        return next(fileError(`文件不能超过 ${XLSX_LIMITS.maxFileBytes / 1024 / 1024} MB`, `The file must be at most ${XLSX_LIMITS.maxFileBytes / 1024 / 1024} MB`));
      }
      next(fileError('上传格式有误', 'Malformed upload'));
    });
  };
}

/** Row errors on a real import: the whole preview comes back, so the console can show each row's errors. */
function invalidRows(err: unknown) {
  const details = (err as { details?: ImportResult }).details;
  return err instanceof AppError && details ? { message: err.message, code: 'import_invalid', errors: { file: err.message }, ...details } : undefined;
}

/** A client that asks for `application/x-ndjson` is told how far the import has got while it runs. */
const wantsProgress = (req: Request) => /\bapplication\/x-ndjson\b/.test(req.get('accept') ?? '');

/**
 * The answer as newline-delimited JSON: `{"progress": {phase, done, total}}` lines as the import
 * goes (at most every 100 ms within a phase, and at every new phase), then one
 * `{"status", "body"}` line — the status and body the plain JSON answer would have had.
 */
async function streamWithProgress(res: Response, run: (onProgress: ProgressSink) => Promise<ImportResult>, log: Logger) {
  res.status(200);
  res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no'); // a proxy in front must not hold the lines back
  const line = (value: unknown) => {
    res.write(`${JSON.stringify(value)}\n`);
    (res as Response & { flush?: () => void }).flush?.(); // through the compression middleware now
  };
  let last: ImportProgress | undefined;
  let lastAt = 0;
  const onProgress: ProgressSink = (p) => {
    const now = Date.now();
    if (last && last.phase === p.phase && p.done < p.total && now - lastAt < 100) return;
    last = p;
    lastAt = now;
    line({ progress: p });
  };
  try {
    line({ status: 200, body: await run(onProgress) });
  } catch (err) {
    const invalid = invalidRows(err);
    if (invalid) line({ status: 400, body: invalid });
    else {
      const answer = errorAnswer(err, log);
      line({ status: answer.status, body: answer.body });
    }
  }
  res.end();
}

type Importer = typeof importSchools;
const IMPORTERS: Record<'schools' | 'users', { run: Importer; columns: Parameters<typeof templateBuffer>[1]; sheet: string; file: string }> = {
  schools: { run: importSchools, columns: SCHOOL_COLUMNS, sheet: '学校', file: 'schools-template.xlsx' },
  users: { run: importUsers, columns: USER_COLUMNS, sheet: '用户', file: 'users-template.xlsx' },
};

/** /api/imports: spreadsheet templates, and the import itself (`?dryRun=true` previews). Administrators only. */
export function importRoutes({ db, config, logger }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET), requireRight('imports.run'));

  for (const [kind, importer] of Object.entries(IMPORTERS)) {
    router.get(`/${kind}/template.xlsx`, async (_req, res) => {
      const bytes = await templateBuffer(importer.sheet, importer.columns);
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', `attachment; filename="${importer.file}"`);
      res.send(bytes);
    });
    router.post(`/${kind}`, receiveSpreadsheet(), async (req, res) => {
      const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
      const run = (onProgress?: ProgressSink) => importer.run(db, actorOf(req), req.file!.buffer, dryRun, onProgress);
      if (wantsProgress(req)) return streamWithProgress(res, run, req.log ?? logger);
      try {
        res.json(await run());
      } catch (err) {
        const invalid = invalidRows(err);
        if (!invalid) throw err;
        res.status(400).json(invalid);
      }
    });
  }
  return router;
}
