import {
  DriftChange,
  DriftedResource,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ArgoCdManagedResource } from '@autonomous-dev/backstage-plugin-autonomous-node';

/** Enough to see what changed on a card; the rest is counted. */
export const MAX_CHANGES_PER_RESOURCE = 20;
const MAX_VALUE_CHARS = 200;

/** Fields the API server owns: they differ on every object and say nothing about drift. */
const IGNORED = [
  'status',
  'metadata.managedFields',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.uid',
  'metadata.creationTimestamp',
  'metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
  'metadata.annotations.deployment.kubernetes.io/revision',
];

function parse(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function show(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS
    ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…`
    : text;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** The leaves where `live` and `desired` differ, by path. */
export function changedFields(
  live: unknown,
  desired: unknown,
  path = '',
  out: DriftChange[] = [],
): DriftChange[] {
  if (IGNORED.includes(path)) return out;
  if (isObject(live) && isObject(desired)) {
    const keys = new Set([...Object.keys(desired), ...Object.keys(live)]);
    for (const key of keys) {
      changedFields(live[key], desired[key], join(path, key), out);
    }
    return out;
  }
  if (
    Array.isArray(live) &&
    Array.isArray(desired) &&
    live.length === desired.length
  ) {
    live.forEach((item, i) =>
      changedFields(item, desired[i], join(path, i), out),
    );
    return out;
  }
  if (JSON.stringify(live) !== JSON.stringify(desired)) {
    out.push({ path, live: show(live), desired: show(desired) });
  }
  return out;
}

/**
 * The resources ArgoCD marks as modified, with the fields that differ between the live object
 * and the one it would apply (ArgoCD's normalized live and predicted states, as its own diff
 * view compares them; the raw live and target states when those are absent). A resource
 * missing from the cluster or extra in it differs as a whole.
 */
export function driftedResources(
  items: ArgoCdManagedResource[],
): DriftedResource[] {
  return items
    .filter(item => item.modified && !item.hook)
    .map(item => {
      const live = parse(item.normalizedLiveState ?? item.liveState);
      const desired = parse(item.predictedLiveState ?? item.targetState);
      let changes: DriftChange[];
      if (live === undefined || desired === undefined) {
        changes = [
          {
            path: '',
            live: live === undefined ? undefined : 'present in the cluster',
            desired: desired === undefined ? undefined : 'present in Git',
          },
        ];
      } else {
        changes = changedFields(live, desired);
      }
      return {
        ...(item.group ? { group: item.group } : {}),
        kind: item.kind ?? 'Unknown',
        ...(item.namespace ? { namespace: item.namespace } : {}),
        name: item.name ?? '',
        changes: changes.slice(0, MAX_CHANGES_PER_RESOURCE),
        ...(changes.length > MAX_CHANGES_PER_RESOURCE
          ? { moreChanges: changes.length - MAX_CHANGES_PER_RESOURCE }
          : {}),
      };
    });
}

/** "Deployment shop (spec.replicas: 3, Git says 1)" and the like, for events. */
export function describeDrift(resources: DriftedResource[]): string {
  return resources
    .map(r => {
      const first = r.changes[0];
      const what = `${r.kind} ${r.name}`;
      if (!first?.path) return what;
      const more = r.changes.length - 1 + (r.moreChanges ?? 0);
      return `${what} (${first.path}: ${first.live ?? 'absent'} live, ${
        first.desired ?? 'absent'
      } in Git${more ? `, ${more} more` : ''})`;
    })
    .join('; ');
}
