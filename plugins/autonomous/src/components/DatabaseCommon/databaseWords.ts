import {
  DATABASE_ENGINE_TITLES,
  DatabaseStatus,
  isDatabaseEngine,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { StatusTone } from '../ReleaseStatus';

/** The steps of provisioning and deletion, as the timeline names them. */
export const STEP_TITLES: Readonly<Record<string, string>> = {
  accepted: 'Request accepted',
  namespace: 'Namespace',
  credentials: 'Credentials in Vault',
  secret: 'Kubernetes Secret',
  application: 'Argo CD application',
  readiness: 'Readiness',
  users: 'Database users',
  restore: 'Restore from backup',
  profile: 'Connection profile',
  ready: 'Ready',
  deleting: 'Deletion requested',
  'final-backup': 'Final backup',
  deleted: 'Deleted',
};

export function stepTitle(step: string): string {
  return STEP_TITLES[step] ?? step;
}

/** "PostgreSQL" for postgresql; an unknown engine keeps its name. */
export function engineTitle(engine: string): string {
  return isDatabaseEngine(engine) ? DATABASE_ENGINE_TITLES[engine] : engine;
}

/** Provisioning or deleting: the page keeps reading until it ends. */
export function isDatabaseInFlight(status: DatabaseStatus): boolean {
  return !['ready', 'failed', 'deleted'].includes(status);
}

/** A database status as a reader says it, with its indicator. */
export function databaseStatusWord(status: DatabaseStatus): {
  word: string;
  tone: StatusTone;
} {
  switch (status) {
    case 'ready':
      return { word: 'ready', tone: 'ok' };
    case 'failed':
      return { word: 'failed', tone: 'error' };
    case 'deleted':
      return { word: 'deleted', tone: 'pending' };
    case 'deleting':
      return { word: 'deleting', tone: 'running' };
    case 'accepted':
      return { word: 'accepted', tone: 'pending' };
    default:
      return { word: status, tone: 'running' };
  }
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB": sizes in the units people read (decimal, as disks and buckets count). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) {
    return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
