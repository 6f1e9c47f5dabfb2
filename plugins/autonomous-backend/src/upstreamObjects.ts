import { ArgoCdApplication } from '@autonomous-dev/backstage-plugin-autonomous-node';

/*
 * How a release names its upstream objects: the digest it pins, the workload its ArgoCD
 * application renders (the image tag it builds is its version, `releaseVersion` in common). The
 * orchestrator and the services both read them through this one module.
 */

/** `registry/project/repo@sha256:…` split into the Helm image parameters. */
export function splitImageRef(
  imageRef: string,
): { repository: string; digest: string } | undefined {
  const at = imageRef.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { repository: imageRef.slice(0, at), digest: imageRef.slice(at + 1) };
}

/**
 * The Deployment an application renders: from its resource list, else named after it. A chart
 * that renders an Argo Rollouts Rollout has none: read `rolloutOf` first.
 */
export function workloadOf(app: ArgoCdApplication): {
  namespace: string;
  name: string;
} {
  const resources = (app.status?.resources ?? []) as Array<{
    kind?: string;
    name?: string;
    namespace?: string;
  }>;
  const deployment = resources.find(r => r.kind === 'Deployment' && r.name);
  return {
    namespace: deployment?.namespace ?? app.spec.destination?.namespace ?? '',
    name: deployment?.name ?? app.metadata.name,
  };
}

/** The Argo Rollouts Rollout an application renders, from ArgoCD's resource list. */
export function rolloutOf(
  app: ArgoCdApplication,
): { namespace: string; name: string } | undefined {
  const resources = (app.status?.resources ?? []) as Array<{
    group?: string;
    kind?: string;
    name?: string;
    namespace?: string;
  }>;
  const found = resources.find(
    r => r.group === 'argoproj.io' && r.kind === 'Rollout' && r.name,
  );
  if (!found) return undefined;
  return {
    namespace: found.namespace ?? app.spec.destination?.namespace ?? '',
    name: found.name!,
  };
}
