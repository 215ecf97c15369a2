/**
 * Signature verification, the printable form and the school stamp, as the API offers them. Every
 * route checks the right (in the router) and the school scope (here, server-side).
 */
import { findRegistration } from '../../domain/registrations/repository';
import { ImageRejected } from '../../domain/files/images';
import type { StoredFile } from '../../domain/files/repository';
import { FontMissing } from '../../domain/print/fonts';
import { renderFormHtml } from '../../domain/print/html';
import { loadPrintForm, type PrintForm } from '../../domain/print/model';
import { PdfTimedOut, renderFormPdfOffThread } from '../../domain/print/pdf-thread';
import { loadSigningKey, verifySignature, type SignatureVerification } from '../../domain/signing/index';
import { setSchoolStamp } from '../../domain/signing/stamp';
import { UUID_RE } from '../../domain/validation';
import type { Db } from '../../db/connection';
import type { Config } from '../../platform/config';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { imageFromUpload, type UploadInput } from './files';
import { schoolScopeOf } from './scope';
import { readScopeFor } from './copies';

const REGISTRATION = '登记 / Registration';
const SCHOOL = '学校 / School';

export const signingKeyOf = (config: Config) => loadSigningKey({ pem: config.SIGNING_KEY_PEM, dataDir: config.dataDir });

export async function checkRegistrationSignature(db: Db, config: Config, actor: Actor, id: string): Promise<Omit<SignatureVerification, never>> {
  if (!UUID_RE.test(id) || !(await findRegistration(db, id, await readScopeFor(db, actor, id)))) throw AppError.notFound(REGISTRATION);
  const result = await verifySignature(db, { registrationId: id, key: signingKeyOf(config), actor });
  if (!result) throw new AppError(404, 'not_signed', '该登记尚未签名 / This registration has not been signed');
  return result;
}

async function printForm(db: Db, actor: Actor, id: string): Promise<PrintForm> {
  if (!UUID_RE.test(id)) throw AppError.notFound(REGISTRATION);
  const form = await loadPrintForm(db, id, await readScopeFor(db, actor, id));
  if (!form) throw AppError.notFound(REGISTRATION);
  return form;
}

export async function registrationPrintHtml(db: Db, actor: Actor, id: string): Promise<string> {
  return renderFormHtml(await printForm(db, actor, id));
}

export async function registrationPdf(db: Db, actor: Actor, id: string): Promise<{ pdf: Buffer; name: string }> {
  const form = await printForm(db, actor, id);
  try {
    return { pdf: await renderFormPdfOffThread(form), name: `登记表-${form.registration.name}.pdf` };
  } catch (err) {
    if (err instanceof PdfTimedOut) throw new AppError(503, 'pdf_timeout', '生成 PDF 超时，请稍后再试或使用打印页 / Making the PDF took too long; try again later or use the print view');
    if (err instanceof FontMissing) throw new AppError(503, 'font_missing', `无法生成 PDF：缺少中文字体 / Cannot make the PDF: ${err.message}`);
    throw err;
  }
}

/** Administrators for any school; a principal for their own. */
export async function uploadSchoolStamp(db: Db, actor: Actor, schoolId: number, input: UploadInput): Promise<StoredFile> {
  const school = await db('schools').where({ id: schoolId }).first('id');
  if (!school) throw AppError.notFound(SCHOOL);
  if (!actor.roles.includes('admin') && !(actor.roles.includes('principal') && actor.schoolId === schoolId)) {
    throw AppError.forbidden('只有管理员或本校校长可以上传公章 / Only an administrator or the school’s principal may upload its stamp');
  }
  const image = imageFromUpload(input);
  try {
    return await setSchoolStamp(db, { schoolId, bytes: image.bytes, actor, originalName: input.originalName });
  } catch (err) {
    if (err instanceof ImageRejected) throw AppError.badRequest(err.message, { file: err.message });
    throw err;
  }
}

/** The current stamp's bytes, for anyone who may read the school. */
export async function readSchoolStamp(db: Db, actor: Actor, schoolId: number) {
  const scope = schoolScopeOf(actor);
  const school = await db('schools').where({ id: schoolId }).first('id', 'districtId', 'stampFileId');
  const visible = school && (scope.all || scope.schoolId === school.id || (scope.districtId != null && scope.districtId === school.districtId));
  if (!visible) throw AppError.notFound(SCHOOL);
  if (!school.stampFileId) throw new AppError(404, 'no_stamp', '本校尚未上传公章 / This school has no stamp yet');
  const file = await db('files').where({ id: school.stampFileId }).first('id', 'mediaType', 'sha256', 'content');
  return file as { id: string; mediaType: string; sha256: string; content: Buffer };
}
