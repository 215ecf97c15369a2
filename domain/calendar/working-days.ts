/** The working-day arithmetic lives with the process rules (domain/process/calendar.ts, pure); re-exported for the calendar's users. */
export * from '../process/calendar';
