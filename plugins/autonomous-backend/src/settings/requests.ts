import {
  ENVIRONMENT_VARIABLE_NAME,
  PROJECT_SETTINGS_LIMITS as LIMITS,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { z } from 'zod';
import { gitRefProblem } from '../routes/requests';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why a custom domain is refused, or undefined when cert-manager can issue for it. */
export function domainProblem(host: string): string | undefined {
  if (host.startsWith('*.')) {
    return 'is a wildcard: cert-manager issues wildcard certificates only through a DNS-01 issuer; list each host instead';
  }
  if (host.length > 253) return 'is longer than 253 characters';
  const labels = host.split('.');
  if (labels.length < 2) {
    return 'must be a full domain name such as shop.example.com';
  }
  for (const label of labels) {
    if (label.length > 63) return `has a part longer than 63 characters`;
    if (!DNS_LABEL.test(label)) {
      return 'must be lowercase letters, digits, - and dots, each part starting and ending with a letter or digit';
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1])) {
    return 'is an IP address: a certificate needs a domain name';
  }
  return undefined;
}

export const autoDeployBody = z
  .object({
    enabled: z.boolean({ message: 'must be true or false' }),
    branch: z
      .string({ message: 'must be a branch name (text)' })
      .min(1, 'must not be empty')
      .max(255, 'must be at most 255 characters')
      .superRefine((value, ctx) => {
        const problem = gitRefProblem(value);
        if (problem) {
          ctx.addIssue({
            code: 'custom',
            message: `is not a branch name git accepts: ${problem}`,
          });
        }
      })
      .optional(),
  })
  .strict();

export const domainsBody = z
  .object({
    domains: z
      .array(
        z
          .string({ message: 'must be a domain name (text)' })
          .transform(value => value.trim().toLowerCase().replace(/\.$/, ''))
          .superRefine((value, ctx) => {
            const problem = domainProblem(value);
            if (problem) {
              ctx.addIssue({ code: 'custom', message: `${value} ${problem}` });
            }
          }),
        { message: 'must be a list of domain names' },
      )
      .max(
        LIMITS.domains,
        `must list at most ${LIMITS.domains} domains per environment`,
      )
      .superRefine((domains, ctx) => {
        const seen = new Set<string>();
        for (const d of domains) {
          if (seen.has(d)) {
            ctx.addIssue({
              code: 'custom',
              message: `lists ${d} twice: list each domain once`,
            });
          }
          seen.add(d);
        }
      }),
  })
  .strict();

const variable = z
  .object({
    name: z
      .string({ message: 'must be a variable name (text)' })
      .min(1, 'must not be empty')
      .max(
        LIMITS.variableNameLength,
        `must be at most ${LIMITS.variableNameLength} characters`,
      )
      .regex(
        ENVIRONMENT_VARIABLE_NAME,
        'must be letters, digits and _, not starting with a digit (e.g. DATABASE_URL)',
      ),
    secret: z.boolean({ message: 'must be true or false' }),
    value: z
      .string({ message: 'must be text' })
      .max(
        LIMITS.variableValueLength,
        `must be at most ${LIMITS.variableValueLength} characters`,
      )
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.secret && v.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${v.name} needs a value (an empty one is "")`,
      });
    }
    if (v.secret && v.value === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${v.name} is secret: give its value, or leave value out to keep the one Vault holds`,
      });
    }
  });

export const variablesBody = z
  .object({
    variables: z
      .array(variable, { message: 'must be a list of variables' })
      .max(
        LIMITS.variables,
        `must list at most ${LIMITS.variables} variables per environment`,
      )
      .superRefine((variables, ctx) => {
        const seen = new Set<string>();
        for (const v of variables) {
          if (seen.has(v.name)) {
            ctx.addIssue({
              code: 'custom',
              message: `lists ${v.name} twice: give each variable once`,
            });
          }
          seen.add(v.name);
        }
      }),
  })
  .strict();

const replicaCount = (min: number) =>
  z
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(LIMITS.maxReplicas, `must be at most ${LIMITS.maxReplicas}`);

export const scalingBody = z
  .object({
    replicas: replicaCount(0),
    autoscaling: z
      .object({
        minReplicas: replicaCount(1),
        maxReplicas: replicaCount(1),
        targetCpuPercent: z
          .number({ message: 'must be a whole number' })
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(100, 'must be at most 100'),
      })
      .strict()
      .refine(a => a.maxReplicas >= a.minReplicas, {
        message: 'maxReplicas must be at least minReplicas',
        path: ['maxReplicas'],
      })
      .optional(),
  })
  .strict();
