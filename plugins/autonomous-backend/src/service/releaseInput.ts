import {
  API_RELEASE_TRIGGERS,
  RELEASE_CONFLICT_POLICIES,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { z } from 'zod';

const environment = z
  .string({ message: 'must be an environment name (text)' })
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters');

const reason = z
  .string({ message: 'must be text' })
  .max(500, 'must be at most 500 characters');

const onConflict = z.enum(RELEASE_CONFLICT_POLICIES, {
  message: `must be one of ${RELEASE_CONFLICT_POLICIES.join(', ')}`,
});

/** A branch or tag name as git allows it: no spaces, control characters, `..` or `~^:?*[\`. */
const gitRef = z
  .string({ message: 'must be a branch or tag name (text)' })
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine(
    v =>
      // eslint-disable-next-line no-control-regex
      !/[\s~^:?*[\\\x00-\x1f\x7f]/.test(v) &&
      !v.includes('..') &&
      !v.startsWith('/') &&
      !v.endsWith('/') &&
      !v.endsWith('.lock') &&
      !v.includes('@{'),
    'is not a valid git branch or tag name',
  );

export const createReleaseBody = z
  .object({
    environment,
    ref: gitRef.optional(),
    commitSha: z
      .string({ message: 'must be a commit SHA (text)' })
      .regex(/^[0-9a-fA-F]{7,40}$/, 'must be 7 to 40 hexadecimal characters')
      .optional(),
    reason: reason.optional(),
    onConflict: onConflict.optional(),
    trigger: z
      .enum(API_RELEASE_TRIGGERS, {
        message: `must be one of ${API_RELEASE_TRIGGERS.join(', ')}`,
      })
      .optional(),
  })
  .strict();

export const redeployBody = z
  .object({
    environment: environment.optional(),
    reason: reason.optional(),
    onConflict: onConflict.optional(),
  })
  .strict();

export const rollbackBody = z
  .object({ reason: reason.optional(), onConflict: onConflict.optional() })
  .strict();

export const cancelBody = z.object({ reason: reason.optional() }).strict();

export const automatedSyncBody = z
  .object({ enabled: z.boolean({ message: 'must be true or false' }) })
  .strict();

export const releaseIdParams = z.object({
  id: z.uuid('must be a release id (a UUID)'),
});

export const environmentParams = z.object({
  env: environment.regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a lowercase environment name (letters, digits and -)',
  ),
});

/** A Docker tag for a build of this release: the commit or ref, then the release id. */
export function imageTagFor(
  releaseId: string,
  source: { commitSha?: string; ref?: string },
): string {
  const base = (source.commitSha ?? source.ref ?? 'build')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 40);
  const prefix = source.commitSha ? base.slice(0, 12) : base;
  return `${prefix || 'build'}-${releaseId.slice(0, 8)}`;
}
