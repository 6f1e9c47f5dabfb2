import {
  ENVIRONMENT_VARIABLE_NAME,
  PROJECT_SETTINGS_LIMITS as LIMITS,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The domains typed in a field: one per line or separated by commas, as the backend reads them. */
export function parseDomains(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(d => d.trim().toLowerCase().replace(/\.$/, ''))
    .filter(Boolean);
}

/** What is wrong with a list of domains before it is sent, or undefined. */
export function domainsProblem(domains: string[]): string | undefined {
  if (domains.length > LIMITS.domains) {
    return `At most ${LIMITS.domains} domains per environment.`;
  }
  const seen = new Set<string>();
  for (const domain of domains) {
    if (seen.has(domain)) return `${domain} is listed twice.`;
    seen.add(domain);
    if (domain.startsWith('*.')) {
      return `${domain} is a wildcard: list each host instead.`;
    }
    const labels = domain.split('.');
    if (
      domain.length > 253 ||
      labels.length < 2 ||
      labels.some(l => l.length > 63 || !LABEL.test(l))
    ) {
      return `${domain} is not a full domain name such as shop.example.com.`;
    }
  }
  return undefined;
}

export interface VariableRow {
  name: string;
  secret: boolean;
  /** Empty for a secret kept as Vault holds it. */
  value: string;
  /** A secret Vault already holds: its value may be left empty to keep it. */
  stored: boolean;
}

export function variablesProblem(rows: VariableRow[]): string | undefined {
  if (rows.length > LIMITS.variables) {
    return `At most ${LIMITS.variables} variables per environment.`;
  }
  const seen = new Set<string>();
  for (const row of rows) {
    if (!ENVIRONMENT_VARIABLE_NAME.test(row.name)) {
      return `${
        row.name || 'A variable'
      } needs a name of letters, digits and _, not starting with a digit.`;
    }
    if (seen.has(row.name)) return `${row.name} is listed twice.`;
    seen.add(row.name);
    if (row.secret && !row.stored && !row.value) {
      return `${row.name} is secret and new: give its value.`;
    }
    if (row.value.length > LIMITS.variableValueLength) {
      return `${row.name}'s value is longer than ${LIMITS.variableValueLength} characters.`;
    }
  }
  return undefined;
}

export interface ScalingForm {
  replicas: string;
  autoscaling: boolean;
  minReplicas: string;
  maxReplicas: string;
  targetCpuPercent: string;
}

const whole = (text: string) => (/^\d+$/.test(text) ? Number(text) : NaN);

export function scalingProblem(form: ScalingForm): string | undefined {
  const replicas = whole(form.replicas);
  if (!(replicas >= 0 && replicas <= LIMITS.maxReplicas)) {
    return `Replicas must be a whole number from 0 to ${LIMITS.maxReplicas}.`;
  }
  if (!form.autoscaling) return undefined;
  const min = whole(form.minReplicas);
  const max = whole(form.maxReplicas);
  const cpu = whole(form.targetCpuPercent);
  if (!(min >= 1 && min <= LIMITS.maxReplicas)) {
    return `The minimum must be a whole number from 1 to ${LIMITS.maxReplicas}.`;
  }
  if (!(max >= min && max <= LIMITS.maxReplicas)) {
    return `The maximum must be at least the minimum and at most ${LIMITS.maxReplicas}.`;
  }
  if (!(cpu >= 1 && cpu <= 100)) {
    return 'The CPU target must be a percentage from 1 to 100.';
  }
  return undefined;
}
