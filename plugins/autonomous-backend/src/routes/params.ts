import { z } from 'zod';
import { environmentName } from './requests';

/*
 * The path parameters of every route, one rule each: the same mistake in a path gets the same
 * 400 and wording on every route.
 */

export { entityRefFromParams } from './validation';

export const releaseIdParams = z.object({
  id: z.uuid('must be a release id (a UUID)'),
});

export const environmentParams = z.object({ env: environmentName });

export const podParams = environmentParams.extend({
  pod: z
    .string()
    .max(253, 'must be at most 253 characters')
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      'must be a pod name (lower-case letters, digits, "-" and ".")',
    ),
});

export const databaseIdParams = z.object({
  id: z.uuid('must be a database id (a UUID)'),
});

export const backupIdParams = databaseIdParams.extend({
  backupId: z.uuid('must be a backup id (a UUID)'),
});
