import { V1Job } from '@kubernetes/client-node';
import { KubernetesJobStatus } from './types';

const iso = (time: unknown) =>
  time ? new Date(time as string | Date).toISOString() : undefined;

/** A Job's phase from its conditions: Failed wins, then Complete, else running. */
export function jobStatus(
  namespace: string,
  name: string,
  job: V1Job,
): KubernetesJobStatus {
  const s = job.status ?? {};
  const failed = s.conditions?.find(
    c => c.type === 'Failed' && c.status === 'True',
  );
  const complete = s.conditions?.some(
    c => c.type === 'Complete' && c.status === 'True',
  );
  let phase: KubernetesJobStatus['phase'] = 'running';
  if (failed) phase = 'failed';
  else if (complete) phase = 'succeeded';
  return {
    name,
    namespace,
    active: s.active ?? 0,
    succeeded: s.succeeded ?? 0,
    failed: s.failed ?? 0,
    phase,
    startTime: iso(s.startTime),
    completionTime: iso(s.completionTime),
    message: failed?.message,
  };
}
