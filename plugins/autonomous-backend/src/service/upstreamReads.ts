import {
  Project,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  readCacheKey,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';

/**
 * Drops the shared reads a release's move made stale: its ArgoCD application and the
 * workload objects in its environment's namespace (an Argo Rollouts Rollout too: its step is
 * what the rollout card reads after a signal). The orchestrator writes through clients
 * without a cache, so without this the status route would serve what it read before the
 * release moved (an old image, OutOfSync) until the cache time ran out, while the release
 * itself already says healthy.
 */
export async function forgetReadsOfRelease(
  clients: UpstreamClients,
  resolved: { project: Project; entity: Entity },
  release: Release,
): Promise<void> {
  const cache = clients.readCache;
  if (!cache) return;
  const { project, entity } = resolved;
  const prefixes: string[] = [];
  if (release.argocdApplication) {
    const argocd = clients.forEntity('argocd', entity).instanceName;
    prefixes.push(
      readCacheKey('argocd', argocd, `app/${release.argocdApplication}`, ''),
    );
  }
  const namespace = project.environments.find(
    e => e.name === release.environment,
  )?.namespace;
  if (namespace) {
    const kubernetes = clients.forEntity('kubernetes', entity).instanceName;
    for (const kind of [
      'deployment',
      'statefulset',
      'argo-rollout',
      'pods',
      'events',
    ]) {
      prefixes.push(`kubernetes:${kubernetes}:${kind}/${namespace}/`);
    }
  }
  if (prefixes.length) await cache.invalidate(...prefixes);
}
