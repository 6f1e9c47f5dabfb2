import {
  API_RELEASE_TRIGGERS,
  RELEASE_CONFLICT_POLICIES,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { z } from 'zod';
import { ENVIRONMENT_NAME_PATTERN } from '../service/projectFromEntity';

/** The one environment rule, for bodies and paths alike: a Kubernetes-style name. */
export const environmentName = z
  .string({ message: 'must be an environment name (text)' })
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(
    ENVIRONMENT_NAME_PATTERN,
    'must be a lowercase environment name (letters, digits and -)',
  );

/** C0 and C1 control characters and DEL; ANSI escape sequences go whole first. */
const ANSI_SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /(\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * Text a person wrote for other people (a reason). Terminal escape codes and other control
 * characters are removed, so a reason shown by the CLI or in a log cannot move the cursor,
 * recolour or rewrite what the reader sees.
 */
export function plainText(value: string): string {
  return value.replace(ANSI_SEQUENCE, '').replace(CONTROL_CHARACTERS, ' ');
}

const reason = z
  .string({ message: 'must be text' })
  .max(500, 'must be at most 500 characters')
  .transform(plainText);

const onConflict = z.enum(RELEASE_CONFLICT_POLICIES, {
  message: `must be one of ${RELEASE_CONFLICT_POLICIES.join(', ')}`,
});

/** Characters a shell interprets; a ref reaches Jenkins as GIT_BRANCH and GIT_COMMIT. */
const SHELL_METACHARACTERS = /[$();|&`'"<>]/;

/**
 * Why a branch or tag name is refused, or undefined when it is fine: git's own rules
 * (`git check-ref-format`) plus no leading `-` (it would read as an option) and no shell
 * metacharacters.
 */
export function gitRefProblem(ref: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref)) {
    return 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\';
  }
  if (SHELL_METACHARACTERS.test(ref)) {
    return 'must not contain any of $ ( ) ; | & ` \' " < >';
  }
  if (ref.startsWith('-')) return 'must not start with -';
  if (ref === '@') return 'must not be @ alone';
  if (ref.includes('..')) return 'must not contain ..';
  if (ref.includes('@{')) return 'must not contain @{';
  if (ref.includes('//')) return 'must not contain //';
  if (ref.startsWith('/') || ref.endsWith('/')) {
    return 'must not start or end with /';
  }
  if (ref.endsWith('.')) return 'must not end with .';
  for (const component of ref.split('/')) {
    if (component.startsWith('.'))
      return 'must not have a part starting with .';
    if (component.endsWith('.lock')) {
      return 'must not have a part ending with .lock';
    }
  }
  return undefined;
}

const gitRef = z
  .string({ message: 'must be a branch or tag name (text)' })
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .superRefine((value, ctx) => {
    const problem = gitRefProblem(value);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a branch or tag name git and Jenkins accept: ${problem}`,
      });
    }
  });

export const createReleaseBody = z
  .object({
    environment: environmentName,
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
    environment: environmentName.optional(),
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
