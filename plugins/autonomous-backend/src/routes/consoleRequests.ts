import { z } from 'zod';

/*
 * The console's bodies, queries and path parameters (see openapi.yaml).
 */

const statementText = z
  .string({ message: 'must be the statement to run, as text' })
  .min(1, 'must not be empty')
  .max(102_400, 'must be at most 100 KB');

export const runStatementBody = z.strictObject({
  statement: statementText,
  mode: z
    .enum(['read', 'write'], { message: 'must be read or write' })
    .default('read'),
  maxRows: z
    .number({ message: 'must be a number of rows' })
    .int('must be a whole number of rows')
    .min(1, 'must be at least 1')
    .optional(),
  format: z
    .enum(['ndjson', 'csv', 'json'], { message: 'must be ndjson, csv or json' })
    .default('ndjson'),
  runId: z.uuid('must be a UUID chosen by the client').optional(),
});

export const runIdParams = z.object({
  id: z.uuid('must be a database id (a UUID)'),
  runId: z.uuid('must be a run id (a UUID)'),
});

export const savedQueryParams = z.object({
  id: z.uuid('must be a database id (a UUID)'),
  queryId: z.uuid('must be a saved query id (a UUID)'),
});

export const historyQuery = z.strictObject({
  mine: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true'),
  cursor: z.string().max(200, 'must be at most 200 characters').optional(),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50),
});

export const savedQueryBody = z.strictObject({
  name: z
    .string({ message: 'must be a name' })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
  statement: statementText,
  shared: z.boolean({ message: 'must be true or false' }).default(false),
});
