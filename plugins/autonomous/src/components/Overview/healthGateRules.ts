import {
  HealthGate,
  HealthGateComparison,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { plainMessage } from '../../errorMessage';

/** The comparisons the backend accepts, in the order the form offers them. */
export const COMPARISONS: HealthGateComparison[] = [
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
];

/** The placeholders a query may name; each release fills in its own value. */
export const PLACEHOLDERS = ['namespace', 'application', 'version'];

/** The backend's limits (routes/healthGates.ts). */
export const GATE_LIMITS = {
  gates: 10,
  queryLength: 4000,
  maxDurationSeconds: 21_600,
  maxIntervalSeconds: 3_600,
};

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/** A gate as typed in the form: numbers and durations stay text until they are checked. */
export interface GateRow {
  /** Stable across edits, for React. */
  key: number;
  name: string;
  query: string;
  comparison: HealthGateComparison;
  threshold: string;
  duration: string;
  interval: string;
}

export type GateField =
  | 'name'
  | 'query'
  | 'threshold'
  | 'duration'
  | 'interval';

/** What is wrong, and where: a gate's field, or the form as a whole. */
export interface GateProblem {
  text: string;
  gate?: number;
  field?: GateField;
}

/** Seconds from `90`, `30s`, `5m`, `1h30m`; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const m = DURATION.exec(trimmed);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** `1h30m`, `5m`, `45s`: how a duration in seconds is shown and typed. */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds)) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}

export function rowOf(gate: HealthGate, key: number): GateRow {
  return {
    key,
    name: gate.name,
    query: gate.query,
    comparison: gate.comparison,
    threshold: String(gate.threshold),
    duration: formatDuration(gate.durationSeconds),
    interval: formatDuration(gate.intervalSeconds),
  };
}

/** The gate the API takes; only call on rows gatesProblem accepted. */
export function gateOf(row: GateRow): HealthGate {
  return {
    name: row.name.trim(),
    query: row.query.trim(),
    comparison: row.comparison,
    threshold: Number(row.threshold.trim()),
    durationSeconds: parseDuration(row.duration)!,
    intervalSeconds: parseDuration(row.interval)!,
  };
}

/** The first thing wrong with the gates before they are sent, or undefined. */
export function gatesProblem(rows: GateRow[]): GateProblem | undefined {
  if (rows.length > GATE_LIMITS.gates) {
    return { text: `At most ${GATE_LIMITS.gates} gates per environment.` };
  }
  const names = new Set<string>();
  for (const [gate, row] of rows.entries()) {
    const name = row.name.trim();
    const label = name || `Gate ${gate + 1}`;
    if (!name) {
      return { gate, field: 'name', text: `${label} needs a name.` };
    }
    if (!NAME.test(name)) {
      return {
        gate,
        field: 'name',
        text: `${name} is not a gate name: use lowercase letters, digits and - (e.g. error-ratio), at most 63.`,
      };
    }
    if (names.has(name)) {
      return {
        gate,
        field: 'name',
        text: `Two gates are named ${name}: give each its own name.`,
      };
    }
    names.add(name);
    if (!row.query.trim()) {
      return { gate, field: 'query', text: `${label} needs a PromQL query.` };
    }
    if (row.query.trim().length > GATE_LIMITS.queryLength) {
      return {
        gate,
        field: 'query',
        text: `${label}'s query is longer than ${GATE_LIMITS.queryLength} characters.`,
      };
    }
    if (!NUMBER.test(row.threshold.trim())) {
      return {
        gate,
        field: 'threshold',
        text: `${label}'s threshold must be a number, such as 0.01.`,
      };
    }
    const duration = parseDuration(row.duration);
    if (
      duration === undefined ||
      duration < 1 ||
      duration > GATE_LIMITS.maxDurationSeconds
    ) {
      return {
        gate,
        field: 'duration',
        text: `${label}'s "holds for" must be a duration from 1s to 6h, such as 5m or 90s.`,
      };
    }
    const interval = parseDuration(row.interval);
    if (
      interval === undefined ||
      interval < 1 ||
      interval > GATE_LIMITS.maxIntervalSeconds
    ) {
      return {
        gate,
        field: 'interval',
        text: `${label}'s "evaluated every" must be a duration from 1s to 1h, such as 30s.`,
      };
    }
    if (interval > duration) {
      return {
        gate,
        field: 'interval',
        text: `${label} is evaluated every ${formatDuration(
          interval,
        )}, longer than it must hold (${formatDuration(
          duration,
        )}): shorten the interval.`,
      };
    }
  }
  return undefined;
}

const BACKEND_FIELDS: Record<string, GateField> = {
  name: 'name',
  query: 'query',
  threshold: 'threshold',
  comparison: 'threshold',
  durationSeconds: 'duration',
  intervalSeconds: 'interval',
};

/**
 * Places the backend's refusal next to the field it is about: it names the gate by position
 * (`gates.0.query: …`, the body's checks) or by name (`gates.error-ratio.query does not run on
 * Prometheus …`, the query's checks).
 */
export function backendProblem(message: string, rows: GateRow[]): GateProblem {
  const text = plainMessage(message);
  const m = /^gates\.([^.\s:]+)\.(\w+)/.exec(text);
  if (!m) return { text };
  const byIndex = /^\d+$/.test(m[1]) ? Number(m[1]) : -1;
  const gate =
    byIndex >= 0 && byIndex < rows.length
      ? byIndex
      : rows.findIndex(r => r.name.trim() === m[1]);
  if (gate < 0) return { text };
  return { text, gate, field: BACKEND_FIELDS[m[2]] ?? 'query' };
}
