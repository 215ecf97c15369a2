/**
 * Suites kept out of `npm test` so that CI stays within its 15-minute budget on a 2-core machine; `npm run
 * test:slow` runs them (before resolving an issue). Whole-process suites (npm start and stop, the worker
 * restart) and the longest browser journeys; the console's core journeys (login, phone, approval flow,
 * return and edit, administration, audit log, working days) stay in `npm test`.
 */
module.exports = [
  '/tests/platform/start.test.ts',
  '/tests/platform/stop.test.ts',
  '/tests/workflow/worker-restart.test.ts',
  '/tests/browser/district.test.ts',
  '/tests/browser/phone-show-page.test.ts',
  '/tests/browser/operations.test.ts',
  '/tests/browser/list-click-during-filter.test.ts',
  '/tests/browser/countersign.test.ts',
  '/tests/browser/copied-view.test.ts',
  '/tests/browser/collaboration-people.test.ts',
  '/tests/browser/goal-review-page.test.ts',
];
