import { z } from 'zod';
import { ROLES } from '../process/vocabulary';
import { isTimeZone } from '../calendar/zone';
import { requiredText } from '../validation';

export const PASSWORD_MIN = 8;

const password = z
  .string()
  .min(PASSWORD_MIN, `密码至少 ${PASSWORD_MIN} 位 / Password must be at least ${PASSWORD_MIN} characters`)
  .max(200);

const userShape = {
  username: z
    .string()
    .trim()
    .regex(/^[a-zA-Z0-9._-]{3,64}$/, '用户名为 3–64 位字母、数字或 . _ - / Username: 3–64 letters, digits or . _ -'),
  name: requiredText(100),
  roles: z.array(z.enum(ROLES)).min(1, '至少选择一个角色 / Choose at least one role').max(ROLES.length),
  schoolId: z.number().int().positive().nullish().transform((v) => v ?? null),
  districtId: z.number().int().positive().nullish().transform((v) => v ?? null),
  email: z.email().max(200).nullish().or(z.literal('').transform(() => null)).transform((v) => v ?? null),
  active: z.boolean().default(true),
  /** The zone the user's notifications show times in (IANA name); absent: unchanged, Asia/Shanghai for a new user. */
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, '不是有效的时区（例如 Asia/Shanghai）/ Not a known time zone (e.g. Asia/Shanghai)')
    .nullish()
    .transform((v) => v ?? undefined),
  // echoed back by react-admin's edit form
  id: z.unknown().optional(),
  schoolName: z.unknown().optional(),
  districtName: z.unknown().optional(),
  createdAt: z.unknown().optional(),
  updatedAt: z.unknown().optional(),
};

export const userCreateSchema = z.strictObject({ ...userShape, password }).meta({ id: 'UserCreate' });
/** On PUT the password is optional: given, it replaces the old one. */
export const userUpdateSchema = z
  .strictObject({ ...userShape, password: password.nullish().or(z.literal('').transform(() => null)) })
  .meta({ id: 'UserUpdate' });
export type UserInput = z.output<typeof userUpdateSchema>;

export const userSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    name: z.string(),
    roles: z.array(z.enum(ROLES)),
    schoolId: z.number().int().nullable(),
    schoolName: z.string().nullable(),
    districtId: z.number().int().nullable(),
    districtName: z.string().nullable(),
    email: z.string().nullable(),
    timeZone: z.string().meta({ description: 'The zone notification times are shown in (default Asia/Shanghai)' }),
    active: z.boolean(),
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).max(1000)]);
export const userFilterSchema = z.strictObject({
  id: oneOrMany(z.coerce.number().int().positive()).optional(),
  role: oneOrMany(z.enum(ROLES)).optional(),
  schoolId: oneOrMany(z.coerce.number().int().positive()).optional(),
  districtId: oneOrMany(z.coerce.number().int().positive()).optional(),
  active: z.boolean().optional(),
  q: z.string().trim().max(100).optional(),
});
export type UserFilter = z.output<typeof userFilterSchema>;

export const loginSchema = z
  .strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) })
  .meta({ id: 'LoginRequest' });
export const refreshSchema = z.strictObject({ refreshToken: z.string().min(1).max(200) }).meta({ id: 'RefreshRequest' });

export const sessionUserSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    name: z.string(),
    roles: z.array(z.enum(ROLES)),
    schoolId: z.number().int().nullable(),
    districtId: z.number().int().nullable(),
  })
  .meta({ id: 'SessionUser' });
export const sessionSchema = z
  .object({ token: z.string(), refreshToken: z.string(), expiresIn: z.number().int(), user: sessionUserSchema })
  .meta({ id: 'Session' });

