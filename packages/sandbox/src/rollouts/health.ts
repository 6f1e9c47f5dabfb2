/**
 * A Rollout's health as Argo CD judges it (its built-in argoproj.io/Rollout health check): the
 * phase the controller wrote, with Paused read as Suspended.
 */
export function rolloutHealth(ro: any): { status: string; message?: string } {
  const status = ro.status ?? {};
  if (!status.phase) {
    return {
      status: 'Progressing',
      message: 'Waiting for rollout spec update to be observed',
    };
  }
  switch (status.phase) {
    case 'Healthy':
      return { status: 'Healthy' };
    case 'Paused':
      return { status: 'Suspended', message: 'Rollout is paused' };
    case 'Degraded':
      return { status: 'Degraded', message: status.message };
    default:
      return { status: 'Progressing', message: status.message };
  }
}
