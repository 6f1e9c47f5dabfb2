import { ArgoCdApplication } from '@autonomous-dev/backstage-plugin-autonomous-node';

/*
 * How a release names its upstream objects: the image tag it builds, the digest it pins, the
 * workload its ArgoCD application renders. The orchestrator and the services both read them
 * through this one module.
 */

/** A Docker tag for a build of this release: the commit or ref, then the release id. */
export function imageTagFor(
  releaseId: string,
  source: { commitSha?: string; ref?: string },
): string {
  const base = (source.commitSha ?? source.ref ?? 'build')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 40);
  const prefix = source.commitSha ? base.slice(0, 12) : base;
  return `${prefix || 'build'}-${releaseId.slice(0, 8)}`;
}

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
