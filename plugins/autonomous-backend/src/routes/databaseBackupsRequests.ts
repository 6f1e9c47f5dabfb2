import { z } from 'zod';
import { INSTANCE_NAME, INSTANCE_NAME_RULE } from '../databases/names';

/** Where a backup goes back to: a new instance (the default the page offers) or this one. */
export const restoreBody = z.discriminatedUnion(
  'target',
  [
    z.strictObject({
      target: z.literal('new'),
      name: z
        .string({ message: 'must be a name (text)' })
        .regex(INSTANCE_NAME, INSTANCE_NAME_RULE)
        .optional(),
    }),
    z.strictObject({
      target: z.literal('in-place'),
      confirm: z
        .string({ message: "must be the database's name, typed to confirm" })
        .max(63, 'must be at most 63 characters'),
    }),
  ],
  { message: 'target must be "new" or "in-place"' },
);

export const backupSettingsBody = z.strictObject({
  schedule: z
    .string({ message: 'must be a cron expression (text)' })
    .min(
      1,
      'must not be empty: leave schedule out to turn scheduled backups off',
    )
    .max(255, 'must be at most 255 characters')
    .optional(),
  retentionCount: z
    .number({ message: 'must be a whole number of backups' })
    .int('must be a whole number of backups')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(7),
});
