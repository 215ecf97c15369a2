/**
 * What the printed 登记表 (annex 2) shows, gathered once and rendered twice: as HTML for the
 * browser's print dialog and as a PDF made on the server.
 */
import type { Knex } from 'knex';
import { SERVICE_TIME_ZONE } from '../registrations/dates';
import { findRegistration, type RegistrationScope } from '../registrations/repository';
import type { Registration } from '../registrations/schema';
import { findFileWithContent } from '../files/repository';
import { findSignatureRecord } from '../signing/index';

export interface PrintImage {
  mediaType: string;
  bytes: Buffer;
}

export interface PrintForm {
  registration: Registration;
  /** party type code → 中文名称 */
  partyTypeNames: Record<string, string>;
  /** The administrator-defined fields that have a value, in their order. */
  extraFields: { key: string; labelZh: string; value: string }[];
  signature: {
    signedAt: string;
    /** e.g. 2026年11月29日, in the users' calendar */
    signedOnZh: string;
    signerName: string | null;
    contentHash: string;
    signatureImage: PrintImage;
    stamp: PrintImage;
  } | null;
}

/** The form's fixed wording, as annex 2 prints it. */
export const LABELS = {
  title: '家校社协同育人“教联体”登记表',
  allianceName: '教联体名称',
  leadSchool: '牵头学校',
  legalRepresentative: '法人代表',
  formedOn: '组建时间',
  memberSchools: '成员学校',
  memberSchoolsHint: '（如无可不填）',
  memberUnits: '成员单位、成员',
  introduction: '“教联体”基本情况介绍',
  introductionHint: '（含教联体主要特点、工作优势等，字数控制在800字以内）',
  goals: '周期建设目标和主要任务措施',
  goalsHint: '（两年内达成目标、完成的主要任务）',
  leadSchoolOpinion: '“教联体”牵头学校意见',
  principalSignature: '校长签名：',
  stamp: '（盖章）',
  profiles: '“教联体”成员单位、成员简介',
  profilesHint: '（可加页）',
  remarks: '备注',
  remarksNote: '各学校可根据工作需要对此表进行修改。',
} as const;

/** 2026-09-01 → 2026年9月1日 */
export function dateZh(date: string | null | undefined): string {
  if (!date) return '';
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function isoToDateIn(iso: string, timeZone = SERVICE_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

function extraValueText(value: unknown, field: { type: string; options: { value: string; labelZh: string }[] }): string {
  if (value === null || value === undefined || value === '') return '';
  if (field.type === 'boolean') return value ? '是' : '否';
  if (field.type === 'select') return field.options.find((o) => o.value === value)?.labelZh ?? String(value);
  if (field.type === 'date') return dateZh(String(value));
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** null when the registration does not exist or is outside the scope. */
export async function loadPrintForm(db: Knex, registrationId: string, scope: RegistrationScope): Promise<PrintForm | null> {
  const registration = await findRegistration(db, registrationId, scope);
  if (!registration) return null;
  const codes = [...new Set(registration.memberUnits.map((u) => u.partyType))];
  const [types, fields] = await Promise.all([
    codes.length ? db('partyTypes').whereIn('code', codes).select('code', 'nameZh') : Promise.resolve([]),
    db('formFields').orderBy(['position', 'id']).select('key', 'labelZh', 'type', 'options'),
  ]);
  const partyTypeNames = Object.fromEntries((types as { code: string; nameZh: string }[]).map((t) => [t.code, t.nameZh]));
  const extraFields = (fields as { key: string; labelZh: string; type: string; options: { value: string; labelZh: string }[] }[])
    .map((f) => ({ key: f.key, labelZh: f.labelZh, value: extraValueText(registration.extra?.[f.key], f) }))
    .filter((f) => f.value !== '');

  let signature: PrintForm['signature'] = null;
  if (registration.signatureId) {
    const record = await findSignatureRecord(db, registrationId);
    if (record && record.current && !record.voidedAt) {
      const [image, stamp] = await Promise.all([findFileWithContent(db, record.signatureFileId), findFileWithContent(db, record.stampFileId)]);
      if (image && stamp) {
        signature = {
          signedAt: record.signedAt,
          signedOnZh: dateZh(isoToDateIn(record.signedAt)),
          signerName: record.signerName,
          contentHash: record.contentHash,
          signatureImage: { mediaType: image.mediaType, bytes: image.content },
          stamp: { mediaType: stamp.mediaType, bytes: stamp.content },
        };
      }
    }
  }
  return { registration, partyTypeNames, extraFields, signature };
}

// --- the text of each cell, shared by the HTML and the PDF ---------------------------------

export function memberSchoolsText(form: PrintForm): string {
  return form.registration.memberSchools.map((s) => s.name).join('、');
}

export function memberUnitLines(form: PrintForm): string[] {
  return form.registration.memberUnits.map((u, i) => {
    const type = form.partyTypeNames[u.partyType] ?? u.partyType;
    const contact = [u.contactPerson, u.phone].filter(Boolean).join(' ');
    return `${i + 1}. ${u.name}（${type}）${contact ? `，联系人：${contact}` : ''}${u.role ? `；作用：${u.role}` : ''}`;
  });
}

export function goalLines(form: PrintForm): string[] {
  return form.registration.goals.map((g, i) => {
    const parts = [`${i + 1}. ${g.title}`];
    if (g.measures) parts.push(`主要任务措施：${g.measures}`);
    if (g.indicator) parts.push(`达成指标：${g.indicator}`);
    if (g.targetDate) parts.push(`完成时间：${dateZh(g.targetDate)}`);
    return parts.join('\n    ');
  });
}

export function profileEntries(form: PrintForm): { heading: string; profile: string }[] {
  return form.registration.memberUnits.map((u, i) => ({
    heading: `${i + 1}. ${u.name}（${form.partyTypeNames[u.partyType] ?? u.partyType}）`,
    profile: u.profile ?? '',
  }));
}
