import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { IMAGE_LIMITS } from '../../domain/files/images';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { hostileUploadProblem } from '../middleware/hostile-input';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { readFile, uploadFile, type UploadInput } from '../usecases/files';

const tooLarge = `图片不能超过 ${IMAGE_LIMITS.maxBytes / 1024} KB / The image must be at most ${IMAGE_LIMITS.maxBytes / 1024} KB`;

/**
 * Reads one uploaded file: multipart/form-data (field `file`, held in memory, cut off at the size
 * limit) or a JSON body {dataUrl, name}. Multer's own errors become 400s that name the field.
 */
export function receiveUpload(): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: IMAGE_LIMITS.maxBytes, files: 1, fields: 10, parts: 12 } }).single('file');
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    upload(req, res, (err: unknown) => {
      if (!err) return next(hostileUploadProblem(req)); // NUL or a lone surrogate in the file name
      if (err instanceof multer.MulterError) {
        const message = err.code === 'LIMIT_FILE_SIZE' ? tooLarge : `上传格式有误（${err.code}）/ Malformed upload (${err.code})`;
        return next(AppError.badRequest(message, { file: message }));
      }
      next(AppError.badRequest('上传格式有误 / Malformed upload', { file: '上传格式有误 / Malformed upload' }));
    });
  };
}

export function uploadInputOf(req: Parameters<RequestHandler>[0]): UploadInput {
  if (req.file) return { bytes: req.file.buffer, originalName: req.file.originalname, kind: req.body?.kind };
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body.dataUrl === undefined) {
    const message = '请上传图片：multipart 字段 file，或 JSON {dataUrl} / Send an image: multipart field `file`, or JSON {dataUrl}';
    throw AppError.badRequest(message, { file: message });
  }
  return { dataUrl: body.dataUrl, originalName: typeof body.name === 'string' ? body.name : null, kind: body.kind };
}

/** /api/files: upload an image (evidence, a drawn signature), read one back within the scope. */
export function fileRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const auth = requireAuth(config.JWT_SECRET);

  router.post('/files', auth, requireRight('files.upload'), receiveUpload(), async (req, res) => {
    res.status(201).json(await uploadFile(db, actorOf(req), uploadInputOf(req)));
  });

  router.get('/files/:id', auth, requireRight('files.read'), async (req, res) => {
    const file = await readFile(db, actorOf(req), String(req.params.id));
    res.setHeader('Content-Type', file.mediaType);
    res.setHeader('Content-Length', String(file.content.length));
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable'); // files never change
    res.setHeader('ETag', `"${file.sha256}"`);
    res.setHeader('Content-Disposition', 'inline');
    res.end(file.content);
  });
  return router;
}
