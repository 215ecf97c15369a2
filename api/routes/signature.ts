import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { intId } from '../usecases/input';
import {
  checkRegistrationSignature,
  readSchoolStamp,
  registrationPdf,
  registrationPrintHtml,
  signingKeyOf,
  uploadSchoolStamp,
} from '../usecases/signing';
import { receiveUpload, uploadInputOf } from './files';

/**
 * The signature's verification, the printable 登记表 (HTML and PDF), the school stamp and the
 * server's public key. Mounted at /api with full paths (each route brings its own auth, so
 * requests for other routers pass through untouched).
 */
export function signatureRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const auth = requireAuth(config.JWT_SECRET);

  /** For offline verification of a stored statement: Ed25519 over stableStringify(payload). */
  router.get('/signing-key', (_req, res) => {
    const key = signingKeyOf(config);
    res.json({ algorithm: 'Ed25519', keyId: key.keyId, publicKeyPem: key.publicKeyPem });
  });

  router.get('/registrations/:id/signature', auth, requireRight('registrations.read'), async (req, res) => {
    res.json(await checkRegistrationSignature(db, config, actorOf(req), String(req.params.id)));
  });

  router.get('/registrations/:id/print', auth, requireRight('registrations.read'), async (req, res) => {
    const html = await registrationPrintHtml(db, actorOf(req), String(req.params.id));
    res.type('html').setHeader('Cache-Control', 'no-store').send(html);
  });

  router.get('/registrations/:id/form.pdf', auth, requireRight('registrations.read'), async (req, res) => {
    const { pdf, name } = await registrationPdf(db, actorOf(req), String(req.params.id));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="form.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(pdf);
  });

  const putStamp = [
    auth,
    requireRight('schools.stamp'),
    receiveUpload(),
    async (req: Request, res: Response) => {
      const file = await uploadSchoolStamp(db, actorOf(req), intId(req.params.id, '学校 / School'), uploadInputOf(req));
      res.status(201).json({ schoolId: Number(req.params.id), stampFileId: file.id, file });
    },
  ] as const;
  router.put('/schools/:id/stamp', ...putStamp);
  router.post('/schools/:id/stamp', ...putStamp);

  router.get('/schools/:id/stamp', auth, requireRight('schools.read'), async (req, res) => {
    const file = await readSchoolStamp(db, actorOf(req), intId(req.params.id, '学校 / School'));
    res.setHeader('Content-Type', file.mediaType);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', `"${file.sha256}"`);
    res.end(file.content);
  });
  return router;
}
