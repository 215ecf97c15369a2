/**
 * Full validation of a registration body: the zod shape, then the rules across fields and against
 * the database (catalog party types, administrator-defined extra fields). The cross-field rules
 * also run on whatever parts of a malformed body are well-formed, so the drafter sees every
 * problem at once rather than one round at a time.
 */
import type { Knex } from 'knex';
import { type FieldErrors, type Validated, validate } from '../validation';
import { addYears, isValidDate, todayIn } from './dates';
import { loadFormFields, validateExtra } from './form-fields';
import { GOAL_CYCLE_YEARS, type RegistrationInput, registrationCreateSchema, registrationUpdateSchema } from './schema';

export type ValidRegistration = RegistrationInput & { version?: number };

/** The parts the cross-field rules look at; any of them may be missing in a malformed body. */
interface RuleView {
  formedOn?: string;
  memberSchools: { name?: string }[];
  memberUnits: { name?: string; partyType?: string }[];
  goals: { targetDate?: string }[];
  extra?: Record<string, unknown>;
}

const sameName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);

function looseView(body: unknown): RuleView {
  const b = isObject(body) ? body : {};
  const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => (isObject(x) ? x : {})) : []);
  const formedOn = str(b.formedOn);
  return {
    formedOn: formedOn && isValidDate(formedOn) ? formedOn : undefined,
    memberSchools: list(b.memberSchools).map((s) => ({ name: str(s.name) })),
    memberUnits: list(b.memberUnits).map((u) => ({ name: str(u.name), partyType: str(u.partyType) })),
    goals: list(b.goals).map((g) => {
      const d = str(g.targetDate);
      return { targetDate: d && isValidDate(d) ? d : undefined };
    }),
    extra: isObject(b.extra) ? b.extra : undefined,
  };
}

/** Rules that look at more than one field. */
export function crossFieldErrors(input: RuleView, today = todayIn()): FieldErrors {
  const errors: FieldErrors = {};
  if (input.formedOn && input.formedOn > today) errors.formedOn = '组建时间不能晚于今天 / Date formed cannot be in the future';

  const duplicates = (items: { name?: string }[], path: string, message: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (!item.name) return;
      const key = sameName(item.name);
      if (seen.has(key)) errors[`${path}.${i}.name`] = message;
      seen.add(key);
    });
  };
  duplicates(input.memberUnits, 'memberUnits', '成员单位名称重复 / Duplicate member unit name');
  duplicates(input.memberSchools, 'memberSchools', '成员学校重复 / Duplicate member school');

  if (input.formedOn) {
    const formedOn = input.formedOn;
    const cycleEnd = addYears(formedOn, GOAL_CYCLE_YEARS);
    input.goals.forEach((goal, i) => {
      if (!goal.targetDate) return;
      if (goal.targetDate < formedOn) {
        errors[`goals.${i}.targetDate`] = '目标日期不能早于组建时间 / Target date cannot be before the date formed';
      } else if (goal.targetDate > cycleEnd) {
        errors[`goals.${i}.targetDate`] = `目标日期须在两年建设周期内（不晚于 ${cycleEnd}）/ Target date must be within the two-year cycle (by ${cycleEnd})`;
      }
    });
  }
  return errors;
}

export async function validateRegistration(
  db: Knex | Knex.Transaction,
  body: unknown,
  mode: 'create' | 'update',
): Promise<Validated<ValidRegistration>> {
  const parsed = validate(mode === 'create' ? registrationCreateSchema : registrationUpdateSchema, body);
  const view: RuleView = parsed.success ? parsed.data : looseView(body);
  const errors: FieldErrors = {};
  const add = (more: FieldErrors) => {
    for (const [k, v] of Object.entries(more)) errors[k] ??= v;
  };
  if (!parsed.success) add(parsed.errors);
  add(crossFieldErrors(view));

  const codes = [...new Set(view.memberUnits.map((u) => u.partyType).filter((c): c is string => Boolean(c)))];
  const known = new Set(codes.length ? ((await db('partyTypes').whereIn('code', codes).pluck('code')) as string[]) : []);
  const unknownTypes: FieldErrors = {};
  view.memberUnits.forEach((unit, i) => {
    if (unit.partyType && !known.has(unit.partyType)) unknownTypes[`memberUnits.${i}.partyType`] = `未知的参与方类型 ${unit.partyType} / Unknown party type`;
  });
  add(unknownTypes);

  const extra = view.extra ? validateExtra(view.extra, await loadFormFields(db)) : { errors: {}, value: {} };
  add(extra.errors);

  if (!parsed.success || Object.keys(errors).length) return { success: false, errors };
  const input = parsed.data as ValidRegistration;
  return { success: true, data: { ...input, extra: extra.value, version: typeof input.version === 'number' ? input.version : undefined } };
}
