import type { SandboxContext } from '../context.ts';
import type { DatabaseServers } from '../databases/servers.ts';
import { digestOf } from '../kubernetes/index.ts';
import type { KubernetesState } from '../kubernetes/index.ts';
import { connectChartDatabase, realChartDatabase } from './databaseCharts.ts';
import { podsOfWorkload, workloads } from './health.ts';
import { renderManifests } from './manifests.ts';
import type { AppRecord, Operation } from './types.ts';

/**
 * Renders the application's manifests and applies them to the Kubernetes sandbox: creates or
 * configures each object, prunes what the chart no longer renders (when asked to), and crashes
 * the pods of an image digest marked bad. Returns the sync result's resources.
 */
export function applyApplication(
  ctx: SandboxContext,
  kube: KubernetesState,
  rec: AppRecord,
  op: Operation,
  databases?: { servers: DatabaseServers; warned: Set<string> },
): any[] {
  const app = rec.app;
  const source = op.source;
  const ns = app.spec.destination.namespace ?? 'default';
  const syncOptions: string[] =
    (op.sync.syncOptions as string[] | undefined) ?? [];
  if (!kube.get('namespaces', undefined, ns)) {
    if (!syncOptions.includes('CreateNamespace=true')) {
      throw new Error(`namespaces "${ns}" not found`);
    }
    kube.create('namespaces', undefined, {
      metadata: {
        name: ns,
        labels: { 'app.kubernetes.io/managed-by': 'argocd' },
      },
    });
  }
  const realDb =
    databases &&
    realChartDatabase(
      databases.servers,
      kube,
      app,
      source,
      ns,
      databases.warned,
    );
  const manifests = renderManifests(
    app,
    source,
    ns,
    realDb?.engine.address.port,
  );
  const results: any[] = [];
  const applied: AppRecord['applied'] = [];
  for (const m of manifests) {
    const type = kube.type(m.plural);
    const existing = kube.get(m.plural, ns, m.body.metadata.name);
    let obj: any;
    let message: string;
    if (existing) {
      obj = kube.replace(m.plural, ns, m.body.metadata.name, {
        ...existing,
        metadata: {
          ...existing.metadata,
          labels: m.body.metadata.labels,
          annotations: m.body.metadata.annotations,
          resourceVersion: undefined,
        },
        spec: {
          ...(m.plural === 'services'
            ? { clusterIP: existing.spec.clusterIP }
            : {}),
          ...m.body.spec,
        },
      });
      message = `${type.kind.toLowerCase()}${
        type.group ? `.${type.group}` : ''
      }/${obj.metadata.name} configured`;
    } else {
      obj = kube.create(m.plural, ns, m.body);
      message = `${type.kind.toLowerCase()}${
        type.group ? `.${type.group}` : ''
      }/${obj.metadata.name} created`;
    }
    applied.push({ plural: m.plural, ns, name: obj.metadata.name });
    const images = (obj.spec?.template?.spec?.containers ?? []).map(
      (c: any) => c.image,
    );
    results.push({
      group: type.group,
      version: type.version,
      kind: type.kind,
      namespace: ns,
      name: obj.metadata.name,
      status: 'Synced',
      message,
      hookPhase: 'Running',
      syncPhase: 'Sync',
      ...(images.length ? { images } : {}),
    });
  }
  const prune =
    Boolean(op.sync.prune) ||
    Boolean(rec.app.spec.syncPolicy?.automated?.prune);
  for (const old of rec.applied) {
    if (
      applied.some(
        a => a.plural === old.plural && a.name === old.name && a.ns === old.ns,
      )
    )
      continue;
    if (prune) {
      if (kube.get(old.plural, old.ns, old.name))
        kube.delete(old.plural, old.ns, old.name);
    } else {
      applied.push(old);
    }
  }
  rec.applied = applied;
  if (realDb && databases) {
    const service = manifests.find(m => m.plural === 'services')!;
    connectChartDatabase(
      databases.servers,
      kube,
      app.metadata.name,
      ns,
      service.body.metadata.name,
      Number(renderManifests(app, source, ns)[0].body.spec.ports[0].port),
      realDb,
    );
  }
  for (const w of workloads(kube, rec)) {
    const image = w.spec.template.spec.containers[0]?.image ?? '';
    const digest = digestOf(image);
    if (digest && ctx.badDigests.has(digest)) {
      for (const pod of podsOfWorkload(kube, w)) kube.crashPod(pod);
    }
  }
  return results;
}
