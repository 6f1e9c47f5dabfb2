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

/** The Deployment an application renders: from its resource list, else named after it. */
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
