import {
  Environment,
  EnvironmentStatus,
  ServiceEnvironment,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/**
 * Whether a service's environment serves, in one flag and one sentence: ArgoCD Synced and
 * Healthy and the rollout complete is ready; anything else says what is missing.
 */
export function serviceEnvironmentOf(
  env: Environment,
  status: EnvironmentStatus,
): ServiceEnvironment {
  const health = status.health?.status;
  const sync = status.sync?.status;
  const rolledOut = status.running?.rolloutComplete ?? false;
  const ready = health === 'Healthy' && sync === 'Synced' && rolledOut;
  let readiness: string;
  if (!health || !sync) {
    readiness = `Not known: ${
      status.errors?.[0] ??
      (env.argocdApplication
        ? `ArgoCD reports nothing for ${env.argocdApplication}`
        : 'no ArgoCD application is named for this environment')
    }`;
  } else if (ready) {
    readiness = `Ready · ${status.summary}`;
  } else {
    const missing = [
      health !== 'Healthy' ? health : undefined,
      sync !== 'Synced' ? sync : undefined,
      health === 'Healthy' && !rolledOut ? 'rollout not complete' : undefined,
    ].filter(Boolean);
    readiness = `Not ready (${missing.join(', ')}) · ${status.summary}`;
  }
  const last = status.lastRelease;
  return {
    environment: env.name,
    argocdApplication: env.argocdApplication,
    ready,
    readiness,
    health,
    sync,
    currentRelease:
      status.runningRelease ?? (last?.status === 'healthy' ? last : undefined),
    lastRelease: last,
    domains: env.domains,
  };
}
