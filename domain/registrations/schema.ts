/**
 * The registration form (登记表, annex 2) as zod schemas: what a drafter may send, what the API
 * answers. JSON names follow the fixed API vocabulary of design.md.
 */
import { z } from 'zod';
import { REGISTRATION_STATUSES } from '../process/vocabulary';
import { DATE_RE, graphemeLength, optionalText, requiredText, UUID_RE } from '../validation';
import { isValidDate } from './dates';

export const INTRODUCTION_MAX_CHARACTERS = 800;
export const GOAL_CYCLE_YEARS = 2;

export const dateString = z
  .string()
  .regex(DATE_RE, '日期格式应为 YYYY-MM-DD / Date must be YYYY-MM-DD')
  .refine(isValidDate, '不是有效日期 / Not a valid date')
  .meta({ format: 'date', example: '2026-09-01' });

const phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^(|[0-9+\-() ]{3,40})$/, '电话号码格式不正确 / Not a valid phone number')
  .nullish()
  .transform((v) => (v ? v : null));

export const memberSchoolSchema = z.strictObject({ name: requiredText(200) }).meta({ id: 'MemberSchool' });

export const memberUnitSchema = z
  .strictObject({
    name: requiredText(200).meta({ description: '成员单位名称 / Member unit name' }),
    partyType: requiredText(64).meta({ description: '参与方类型（职责目录代码）/ Party type code from the catalog', example: 'department.public_security' }),
    contactPerson: optionalText(100),
    phone,
    role: optionalText(200).meta({ description: '在教联体中的作用 / Role in the alliance' }),
    profile: optionalText(5000).meta({ description: '成员单位、成员简介 / Profile' }),
  })
  .meta({ id: 'MemberUnit' });

export const goalSchema = z
  .strictObject({
    id: z.string().regex(UUID_RE).optional().meta({ description: 'Kept when the goal already belongs to this registration' }),
    title: requiredText(300),
    measures: optionalText(5000).meta({ description: '主要任务措施 / Main tasks and measures' }),
    indicator: optionalText(2000),
    targetDate: dateString,
  })
  .meta({ id: 'Goal' });

const introduction = z
  .string()
  .max(INTRODUCTION_MAX_CHARACTERS * 16) // a cheap bound before counting graphemes
  .refine(
    (s) => graphemeLength(s) <= INTRODUCTION_MAX_CHARACTERS,
    `基本情况介绍不能超过 ${INTRODUCTION_MAX_CHARACTERS} 字 / Introduction must be at most ${INTRODUCTION_MAX_CHARACTERS} characters`,
  )
  .meta({ description: '基本情况介绍（字数控制在800字以内，按字计）/ Introduction, at most 800 characters as a reader counts them' });

/** What the drafter edits. */
const editableShape = {
  name: requiredText(200).meta({ description: '教联体名称 / Alliance name' }),
  legalRepresentative: requiredText(100).meta({ description: '法人代表 / Legal representative' }),
  formedOn: dateString.meta({ description: '组建时间 / Date formed (not in the future)' }),
  memberSchools: z.array(memberSchoolSchema).max(100).default([]),
  memberUnits: z.array(memberUnitSchema).max(300).default([]),
  introduction: introduction.default(''),
  goals: z.array(goalSchema).max(100).default([]),
  remarks: optionalText(2000).meta({ description: '备注 / Remarks' }),
  extra: z.record(z.string(), z.unknown()).default({}).meta({ description: 'Values of the administrator-defined form fields, by key' }),
};

/**
 * Fields the server owns. react-admin's edit form sends the whole record back, so they are
 * accepted and ignored rather than reported as unknown.
 */
const serverOwned = [
  'id', 'schoolId', 'schoolName', 'status', 'currentStep', 'leadSchoolOpinion', 'signatureId', 'submittedAt',
  'approvedAt', 'reviewDueAt', 'closedAt', 'createdBy', 'createdAt', 'updatedAt',
] as const;
const serverOwnedShape = Object.fromEntries(serverOwned.map((k) => [k, z.unknown().optional()])) as Record<
  (typeof serverOwned)[number],
  z.ZodOptional<z.ZodUnknown>
>;

export const registrationCreateSchema = z
  .strictObject({ ...editableShape, ...serverOwnedShape, version: z.unknown().optional() })
  .meta({ id: 'RegistrationCreate' });

export const registrationUpdateSchema = z
  .strictObject({
    ...editableShape,
    ...serverOwnedShape,
    version: z.number().int().min(1).meta({ description: 'The version last read; a stale one answers 409' }),
  })
  .meta({ id: 'RegistrationUpdate' });

export type RegistrationInput = z.output<typeof registrationCreateSchema>;

// --- what the API answers ------------------------------------------------------------------

export const registrationSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    schoolId: z.number().int(),
    schoolName: z.string(),
    name: z.string(),
    legalRepresentative: z.string(),
    formedOn: z.string().meta({ format: 'date' }),
    memberSchools: z.array(z.object({ name: z.string() })),
    memberUnits: z.array(
      z.object({
        name: z.string(),
        partyType: z.string(),
        contactPerson: z.string().nullable(),
        phone: z.string().nullable(),
        role: z.string().nullable(),
        profile: z.string().nullable(),
      }),
    ),
    introduction: z.string(),
    goals: z.array(
      z.object({
        id: z.string().meta({ format: 'uuid' }),
        title: z.string(),
        measures: z.string().nullable(),
        indicator: z.string().nullable(),
        targetDate: z.string().nullable().meta({ format: 'date' }),
      }),
    ),
    leadSchoolOpinion: z.string().nullable(),
    remarks: z.string().nullable(),
    extra: z.record(z.string(), z.unknown()),
    status: z.enum(REGISTRATION_STATUSES),
    currentStep: z.string().nullable(),
    version: z.number().int(),
    signatureId: z.string().nullable(),
    submittedAt: z.string().nullable().meta({ format: 'date-time' }),
    approvedAt: z.string().nullable().meta({ format: 'date-time' }),
    reviewDueAt: z.string().nullable().meta({ format: 'date-time' }),
    closedAt: z.string().nullable().meta({ format: 'date-time' }),
    createdBy: z.number().int().nullable(),
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'Registration' });

export type Registration = z.infer<typeof registrationSchema>;

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).max(1000)]);

/** `filter=` of GET /api/registrations. */
export const registrationFilterSchema = z
  .strictObject({
    id: oneOrMany(z.string().regex(UUID_RE, '不是有效的编号 / Not a valid id')).optional(),
    status: oneOrMany(z.enum(REGISTRATION_STATUSES)).optional(),
    step: oneOrMany(z.string().max(32)).optional(),
    schoolId: oneOrMany(z.coerce.number().int().positive()).optional(),
    q: z.string().trim().max(200).optional(),
  })
  .meta({ id: 'RegistrationFilter' });
export type RegistrationFilter = z.output<typeof registrationFilterSchema>;
