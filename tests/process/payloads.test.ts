/**
 * The task-action payloads have one definition (domain/process/payloads.ts): what a client sends
 * (ACTION_PAYLOADS, parsed by the API and checked by the console's forms) and what the workflow
 * receives (DECISION_PAYLOADS, checked by its completeTask validator). Pure: no database, no Temporal.
 */
import { ACTION_PAYLOADS, checkPayload, DECISION_PAYLOADS, payloadRefusal, STEP_RULES, TASK_ACTIONS, TASK_STEPS } from '../../domain/process';

const GOAL = '5b1c7a52-8f3e-4c1a-9d2b-0e6f4a3b2c1d';
const OTHER_GOAL = '0f8e2d4c-1a3b-4c5d-8e7f-9a0b1c2d3e4f';
const CHINESE = /[\u4e00-\u9fff]/;
const BILINGUAL = /[\u4e00-\u9fff].* \/ [A-Za-z]/;

/** A sound payload of each action, as a client sends it and as the workflow receives it. */
const SOUND: Record<(typeof TASK_ACTIONS)[number], { sent: unknown; received: unknown }> = {
  opinion: { sent: { opinion: '同意组建。' }, received: { opinion: '同意组建。' } },
  sign: { sent: { signatureImage: 'data:image/png;base64,iVBORw0KGgo=' }, received: { signatureFileId: GOAL, stampFileId: null } },
  approve: { sent: {}, received: {} },
  return: { sent: { toStep: 'lead_school_opinion' }, received: {} },
  reject: { sent: {}, received: {} },
  report: { sent: { goals: [{ goalId: GOAL, status: 'achieved', narrative: '已完成' }] }, received: { goals: [{ goalId: GOAL, status: 'achieved', narrative: '已完成', evidenceFileIds: [] }] } },
  rate: { sent: { ratings: [{ goalId: GOAL, rating: 'pass' }], overall: 'pass' }, received: { ratings: [{ goalId: GOAL, rating: 'pass' }], overall: 'pass' } },
};

describe('Every action has its payload shape', () => {
  test('When the process rules allow an action at a step, then a schema of what the client sends and of what the workflow receives exists for it', () => {
    const allowed = new Set(TASK_STEPS.flatMap((step) => STEP_RULES[step].actions));
    expect([...allowed].sort()).toEqual([...TASK_ACTIONS].sort());
    for (const action of allowed) {
      expect({ action, sent: action in ACTION_PAYLOADS, received: action in DECISION_PAYLOADS }).toEqual({ action, sent: true, received: true });
    }
    expect(Object.keys(ACTION_PAYLOADS).sort()).toEqual([...TASK_ACTIONS].sort());
  });

  test('When each action carries a sound payload, then the client side and the workflow side both accept it', () => {
    for (const action of TASK_ACTIONS) {
      expect({ action, ok: checkPayload(ACTION_PAYLOADS, action, SOUND[action].sent).ok }).toEqual({ action, ok: true });
      const comment = action === 'return' || action === 'reject' ? '理由' : null;
      expect({ action, refusal: payloadRefusal({ action, comment, payload: SOUND[action].received as Record<string, unknown> }) }).toEqual({ action, refusal: null });
    }
  });
});

describe('A bad payload is refused field by field, in Chinese and English', () => {
  const cases: [string, (typeof TASK_ACTIONS)[number], unknown, string][] = [
    ['an empty opinion', 'opinion', { opinion: '   ' }, 'payload.opinion'],
    ['an opinion that is not text', 'opinion', { opinion: 5 }, 'payload.opinion'],
    ['an overlong opinion', 'opinion', { opinion: '长'.repeat(2001) }, 'payload.opinion'],
    ['a signature without an image', 'sign', {}, 'payload.signatureImage'],
    ['a return to nowhere', 'return', { toStep: 'nowhere' }, 'payload.toStep'],
    ['a goal report with no goals', 'report', { goals: [] }, 'payload.goals'],
    ['a goal report with an unknown progress', 'report', { goals: [{ goalId: GOAL, status: 'done', narrative: '完成' }] }, 'payload.goals.0.status'],
    ['a goal reported twice', 'report', { goals: [0, 1].map(() => ({ goalId: GOAL, status: 'achieved', narrative: '完成' })) }, 'payload.goals.1.goalId'],
    ['a rating of an unknown kind', 'rate', { ratings: [{ goalId: GOAL, rating: 'excellent' }], overall: 'pass' }, 'payload.ratings.0.rating'],
    ['a rating with a goal id that is no id', 'rate', { ratings: [{ goalId: 'g1', rating: 'pass' }], overall: 'pass' }, 'payload.ratings.0.goalId'],
    ['a rating without the overall verdict', 'rate', { ratings: [{ goalId: GOAL, rating: 'pass' }, { goalId: OTHER_GOAL, rating: 'fail' }] }, 'payload.overall'],
  ];

  test.each(cases)('When a client sends %s, then the field is named with a bilingual message', (_what, action, payload, field) => {
    const checked = checkPayload(ACTION_PAYLOADS, action, payload);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors)).toContain(field);
    expect(checked.errors[field]).toMatch(BILINGUAL);
  });

  test('When the workflow receives a payload the API would refuse, then its validator refuses the same field, in Chinese and English', () => {
    for (const [, action, payload, field] of cases.filter(([, action]) => action !== 'sign')) {
      const refusal = payloadRefusal({ action, comment: '理由', payload: payload as Record<string, unknown> });
      expect({ action, field: refusal?.field, kind: refusal?.kind }).toEqual({ action, field, kind: 'invalid' });
      expect(refusal?.zh).toMatch(CHINESE);
      expect(refusal?.en).toMatch(/[A-Za-z]{3}/);
    }
    expect(payloadRefusal({ action: 'sign', payload: {} })).toMatchObject({ kind: 'invalid', field: 'payload.signatureFileId' });
  });
});
