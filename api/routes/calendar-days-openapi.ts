/** OpenAPI entries for the working-day calendar's overrides (calendar-days), registered at module load. */
import { z } from 'zod';
import { openApiRegistry as r } from '../openapi';
import { calendarDayInputSchema } from '../usecases/calendar-days';

const security = [{ bearer: [] }];
const error = (description: string) => ({ description, content: { 'application/json': { schema: z.object({ message: z.string(), code: z.string(), errors: z.record(z.string(), z.string()).optional() }) } } });
const day = z
  .object({
    id: z.number().int(),
    date: z.string().meta({ format: 'date' }),
    kind: z.enum(['workday', 'holiday']),
    name: z.string(),
    officialKind: z.enum(['workday', 'holiday']).meta({ description: "The day in China's official calendar (npm chinese-days), before this override" }),
    officialName: z.string(),
    updatedBy: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CalendarDay' });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const body = { body: { content: { 'application/json': { schema: calendarDayInputSchema } } } };
const id = z.object({ id: z.string() });
const moves = 'A change moves the due times of registrations in flight whose deadline policy counts working days or months (a policy propagation per such policy).';

r.registerPath({
  method: 'get',
  path: '/api/calendar-days',
  tags: ['calendar-days'],
  security,
  description: 'Local overrides of the working-day calendar (ra-data-simple-rest list). Filter: id, date, kind, from, to, q.',
  request: { query: z.object({ filter: z.string().optional(), sort: z.string().optional(), range: z.string().optional() }) },
  responses: { 200: json('The overrides, with the official day each replaces', z.array(day)), 400: error('Invalid filter') },
});
r.registerPath({ method: 'get', path: '/api/calendar-days/{id}', tags: ['calendar-days'], security, request: { params: id }, responses: { 200: json('One override', day), 404: error('No such override') } });
r.registerPath({ method: 'post', path: '/api/calendar-days', tags: ['calendar-days'], security, description: moves, request: body, responses: { 201: json('Created', day), 400: error('Invalid date or kind, or the date already has an override'), 403: error('Administrators only'), 503: error('The workflow engine is unreachable: nothing was changed') } });
r.registerPath({ method: 'put', path: '/api/calendar-days/{id}', tags: ['calendar-days'], security, description: moves, request: { params: id, ...body }, responses: { 200: json('Updated', day), 400: error('Invalid input'), 403: error('Administrators only'), 404: error('No such override') } });
r.registerPath({ method: 'delete', path: '/api/calendar-days/{id}', tags: ['calendar-days'], security, description: moves, request: { params: id }, responses: { 200: json('Deleted (the removed override)', day), 403: error('Administrators only'), 404: error('No such override') } });
