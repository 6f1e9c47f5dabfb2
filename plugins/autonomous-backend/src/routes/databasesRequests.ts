import { DATABASE_ENGINES } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { INSTANCE_NAME, INSTANCE_NAME_RULE } from '../databases/names';

/** The catalog's rules for a kind, and for a namespace or name (at most 63 characters). */
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const NAME = /^[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/** A full entity ref (`resource:default/payments-db`), normalised to lower case. */
export const entityRefText = z
  .string({
    message: 'must be an entity ref such as resource:default/payments-db',
  })
  .max(255, 'must be at most 255 characters')
  .transform((value, ctx) => {
    try {
      const ref = parseEntityRef(value);
      if (
        !KIND.test(ref.kind) ||
        !NAME.test(ref.namespace) ||
        !NAME.test(ref.name)
      ) {
        throw new Error('not an entity ref');
      }
      return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an entity ref such as resource:default/payments-db',
      });
      return z.NEVER;
    }
  });

/** `?entityRef=` given once, and nothing else. */
export const entityRefQuery = z.strictObject(
  { entityRef: entityRefText },
  {
    message:
      'must be the query entityRef=<kind>:<namespace>/<name> and nothing else',
  },
);

export const provisionBody = z.strictObject({
  entityRef: entityRefText,
  engine: z
    .enum(DATABASE_ENGINES, {
      message: `must be one of ${DATABASE_ENGINES.join(', ')}`,
    })
    .optional(),
  version: z
    .string({ message: 'must be a version (text)' })
    .min(1, 'must not be empty')
    .max(32, 'must be at most 32 characters')
    .optional(),
  storageGi: z
    .number({ message: 'must be a whole number of Gi' })
    .int('must be a whole number of Gi')
    .min(1, 'must be at least 1')
    .max(16384, 'must be at most 16384')
    .optional(),
  mode: z
    .enum(['single', 'cluster'], { message: 'must be single or cluster' })
    .optional(),
  name: z
    .string({ message: 'must be a name (text)' })
    .regex(INSTANCE_NAME, INSTANCE_NAME_RULE)
    .optional(),
});

export const deleteBody = z.strictObject({
  confirm: z
    .string({ message: "must be the database's name, typed" })
    .max(63, 'must be at most 63 characters'),
  finalBackup: z.boolean({ message: 'must be true or false' }).optional(),
});

export const credentialsQuery = z.strictObject(
  {
    user: z.enum(['owner', 'readonly'], {
      message: 'must be owner or readonly, given once',
    }),
  },
  { message: 'must be the query user=owner or user=readonly and nothing else' },
);
