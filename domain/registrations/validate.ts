/**
 * Full validation of a registration body: the zod shape first, then the rules across fields and
 * against the database (catalog party types, administrator-defined extra fields).
 */
import type { Knex } from 'knex';
import { type FieldErrors, type Validated, validate } from '../validation';
import { addYears, todayIn } from './dates';
import { loadFormFields, validateExtra } from './form-fields';
import { GOAL_CYCLE_YEARS, type RegistrationInput, registrationCreateSchema, registrationUpdateSchema } from './schema';

export type ValidRegistration = RegistrationInput & { version?: number };

const sameName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** Rules that look at more than one field. */
export function crossFieldErrors(input: RegistrationInput, today = todayIn()): FieldErrors {
  const errors: FieldErrors = {};
  if (input.formedOn > today) errors.formedOn = '组建时间不能晚于今天 / Date formed cannot be in the future';

  const seen = new Set<string>();
  input.memberUnits.forEach((unit, i) => {
    const key = sameName(unit.name);
    if (seen.has(key)) errors[`memberUnits.${i}.name`] = '成员单位名称重复 / Duplicate member unit name';
    seen.add(key);
  });

  const seenSchools = new Set<string>();
  input.memberSchools.forEach((school, i) => {
    const key = sameName(school.name);
    if (seenSchools.has(key)) errors[`memberSchools.${i}.name`] = '成员学校重复 / Duplicate member school';
    seenSchools.add(key);
  });

  const cycleEnd = addYears(input.formedOn, GOAL_CYCLE_YEARS);
  input.goals.forEach((goal, i) => {
    if (goal.targetDate < input.formedOn) {
      errors[`goals.${i}.targetDate`] = '目标日期不能早于组建时间 / Target date cannot be before the date formed';
    } else if (goal.targetDate > cycleEnd) {
      errors[`goals.${i}.targetDate`] = `目标日期须在两年建设周期内（不晚于 ${cycleEnd}）/ Target date must be within the two-year cycle (by ${cycleEnd})`;
    }
  });
  return errors;
}

export async function validateRegistration(
  db: Knex | Knex.Transaction,
  body: unknown,
  mode: 'create' | 'update',
): Promise<Validated<ValidRegistration>> {
  const parsed = validate(mode === 'create' ? registrationCreateSchema : registrationUpdateSchema, body);
  if (!parsed.success) return parsed;
  const input = parsed.data as ValidRegistration;
  const errors = crossFieldErrors(input);

  const codes = [...new Set(input.memberUnits.map((u) => u.partyType))];
  const known = new Set(
    codes.length ? ((await db('partyTypes').whereIn('code', codes).pluck('code')) as string[]) : [],
  );
  input.memberUnits.forEach((unit, i) => {
    if (!known.has(unit.partyType)) errors[`memberUnits.${i}.partyType`] = `未知的参与方类型 ${unit.partyType} / Unknown party type`;
  });

  const extra = validateExtra(input.extra, await loadFormFields(db));
  Object.assign(errors, extra.errors);

  if (Object.keys(errors).length) return { success: false, errors };
  return { success: true, data: { ...input, extra: extra.value, version: typeof input.version === 'number' ? input.version : undefined } };
}
