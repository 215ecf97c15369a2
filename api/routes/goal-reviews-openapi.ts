/** OpenAPI paths of /api/goal-reviews, added to the shared registry at module load. */
import { z } from 'zod';
import { openApiRegistry as r } from '../openapi';
import { goalReviewFilterSchema, goalReviewSchema, planningQuerySchema } from '../usecases/goal-reviews';

const security = [{ bearer: [] }];
const tags = ['goal-reviews'];
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = z.object({ message: z.string(), code: z.string(), errors: z.record(z.string(), z.string()).optional() });
const denied = {
  400: json(error, 'Invalid input (field errors)'),
  401: json(error, 'Not signed in'),
  403: json(error, 'Not this role'),
  404: json(error, 'Not found or outside your scope'),
};
const params = z.object({ id: z.string().meta({ format: 'uuid' }) });
const listQuery = z.object({
  sort: z.string().optional().meta({ example: '["dueAt","ASC"]' }),
  range: z.string().optional().meta({ example: '[0,24]' }),
  filter: z.string().optional().meta({ description: `JSON object with any of: ${Object.keys(goalReviewFilterSchema.shape).join(', ')}` }),
});
const planningQuery = z.object({ days: z.enum(['30', '90', '180']).optional(), section: planningQuerySchema.shape.section });

r.registerPath({ method: 'get', path: '/api/goal-reviews', tags, security, summary: 'Goal reviews (read-only; Content-Range: goal-reviews 0-24/31)', request: { query: listQuery }, responses: { 200: json(z.array(goalReviewSchema), 'One page'), ...denied } });
r.registerPath({ method: 'get', path: '/api/goal-reviews/{id}', tags, security, request: { params }, responses: { 200: json(goalReviewSchema, 'The review with one item per goal'), ...denied } });
r.registerPath({ method: 'get', path: '/api/goal-reviews/{id}/print', tags, security, summary: '周期评估报告 as a printable HTML page', request: { params }, responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } }, ...denied } });
r.registerPath({ method: 'get', path: '/api/goal-reviews/{id}/report.pdf', tags, security, summary: '周期评估报告 as PDF (embedded CJK font)', request: { params }, responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } }, ...denied } });
r.registerPath({ method: 'get', path: '/api/goal-reviews/planning', tags, security, summary: 'Bureau planning: reviews due within 30/90/180 days, rectifications, outcomes by school and year', request: { query: planningQuery }, responses: { 200: json(z.record(z.string(), z.unknown()), 'The planning view'), ...denied } });
r.registerPath({ method: 'get', path: '/api/goal-reviews/planning.csv', tags, security, summary: 'One planning section as CSV with Chinese headers', request: { query: planningQuery }, responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...denied } });
r.registerPath({ method: 'get', path: '/api/goal-reviews/planning.xlsx', tags, security, summary: 'One planning section as .xlsx with Chinese headers', request: { query: planningQuery }, responses: { 200: { description: 'Excel workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() } } }, ...denied } });
