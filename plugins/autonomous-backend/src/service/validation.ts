import { entityRefFromRouteParams } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Parses request input, turning zod's issues into one 400 message a person can act on. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    const path = issue.path.length ? issue.path.join('.') : where;
    return `${path}: ${issue.message}`;
  });
  throw new InputError(`invalid ${where}: ${problems.join('; ')}`);
}

export function entityRefFromParams(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  const parsed = entityRefFromRouteParams(params);
  if (!parsed.ok) throw new InputError(parsed.reason);
  return parsed.ref;
}
