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

/**
 * A whole number in a query string, given once. Express turns `?n=1&n=2` and `?n[]=1` into
 * arrays, which `z.coerce.number()` would quietly accept; this refuses them.
 */
export function queryInteger(options: {
  min: number;
  max?: number;
  minMessage?: string;
}) {
  let number = z
    .number()
    .int('must be a whole number')
    .min(options.min, options.minMessage ?? `must be at least ${options.min}`);
  if (options.max !== undefined) {
    number = number.max(options.max, `must be at most ${options.max}`);
  }
  return z
    .string({ message: 'must be given once, as a whole number' })
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(number);
}
