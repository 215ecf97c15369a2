/**
 * What each task action carries in `payload`: the one definition of those shapes. The API parses a
 * client's payload with ACTION_PAYLOADS (400 with field errors), the workflow's completeTask
 * validator checks what it receives with DECISION_PAYLOADS (payloadRefusal, rules.ts), and the
 * console checks its forms with them before sending. zod only: deterministic, no Node built-ins,
 * so the workflow sandbox loads it. Which step allows which action is STEP_RULES' (vocabulary.ts);
 * where a return may go from a given step is returnTargetRefusal's (steps.ts).
 */
import { z } from 'zod';
import { bilingualError, fieldErrorsOf, type FieldErrors } from './bilingual';
import { GOAL_PROGRESS, REVIEW_RATINGS, TASK_STEPS, type TaskAction } from './vocabulary';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const id = z.string().regex(UUID_RE, '不是有效的编号 / Not a valid id');
const text = (max: number) => z.string().trim().min(1).max(max);

/** Longest opinion and goal narrative a reader is asked to read. */
export const MAX_OPINION_LENGTH = 2000;
export const MAX_NARRATIVE_LENGTH = 4000;
export const MAX_EVIDENCE_FILES = 20;

/** Each goal once: a list keyed by goalId may not name one twice. */
const eachGoalOnce = <T extends { goalId: string }>(items: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.goalId)) ctx.addIssue({ code: 'custom', path: [i, 'goalId'], message: '目标重复 / A goal appears twice' });
    seen.add(item.goalId);
  });
};

export const goalReportPayload = z.object({
  goals: z
    .array(
      z.object({
        goalId: id,
        status: z.enum(GOAL_PROGRESS),
        narrative: text(MAX_NARRATIVE_LENGTH),
        evidenceFileIds: z.array(id).max(MAX_EVIDENCE_FILES).default([]),
      }),
    )
    .min(1)
    .superRefine(eachGoalOnce),
});

export const goalRatingPayload = z.object({
  ratings: z
    .array(z.object({ goalId: id, rating: z.enum(REVIEW_RATINGS) }))
    .min(1)
    .superRefine(eachGoalOnce),
  overall: z.enum(REVIEW_RATINGS),
});

/** 退回到: absent, empty or `draft` — the drafter; else a step (which steps, from where, is returnTargetRefusal's). */
export const returnPayload = z.object({ toStep: z.enum(['draft', ...TASK_STEPS]).or(z.literal('')).nullish() });

const nothing = z.object({});

/** What a client sends with each action (the console's forms, the API's 400s). */
export const ACTION_PAYLOADS = {
  opinion: z.object({ opinion: text(MAX_OPINION_LENGTH) }),
  sign: z.object({ signatureImage: z.unknown().refine((v) => v != null && v !== '', '请手写签名 / Draw your signature') }),
  approve: nothing,
  return: returnPayload,
  reject: nothing,
  report: goalReportPayload,
  rate: goalRatingPayload,
} as const satisfies Record<TaskAction, z.ZodType>;

/** What the workflow receives with each action: as sent, except that `sign` carries the stored signature (and stamp) instead of the image. */
export const DECISION_PAYLOADS = {
  ...ACTION_PAYLOADS,
  sign: z.object({ signatureFileId: z.string().min(1, '缺少签名 / The signature is missing'), stampFileId: z.string().min(1).nullish() }),
} as const satisfies Record<TaskAction, z.ZodType>;

export type ActionPayload<A extends TaskAction> = z.output<(typeof ACTION_PAYLOADS)[A]>;
export type DecisionPayload<A extends TaskAction> = z.output<(typeof DECISION_PAYLOADS)[A]>;

export type PayloadCheck<T> = { ok: true; payload: T } | { ok: false; errors: FieldErrors };

/** Checks an action's payload (absent: empty); field errors are keyed `payload.<path>`, in Chinese and English. */
export function checkPayload<A extends TaskAction>(
  schemas: typeof ACTION_PAYLOADS | typeof DECISION_PAYLOADS,
  action: A,
  payload: unknown,
): PayloadCheck<z.output<(typeof schemas)[A]>> {
  const schema: z.ZodType = schemas[action];
  const result = schema.safeParse(payload ?? {}, { error: bilingualError });
  if (result.success) return { ok: true, payload: result.data as z.output<(typeof schemas)[A]> };
  const errors = Object.fromEntries(Object.entries(fieldErrorsOf(result.error)).map(([path, message]) => [path === '_root' ? 'payload' : `payload.${path}`, message]));
  return { ok: false, errors };
}
