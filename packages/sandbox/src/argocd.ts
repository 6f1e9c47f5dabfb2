import express from 'express';
import type { Request, Response, Router } from 'express';
import type { SandboxContext } from './context.ts';
import type { KubernetesState } from './kubernetes/index.ts';
import {
  digestOf,
  KubeError,
  matchesLabels,
  parseLabelSelector,
} from './kubernetes/index.ts';
import {
  clone,
  isObject,
  isoSeconds,
  jsonPatch,
  mergePatch,
  randomHex,
  sha256Hex,
  uuid,
} from './util.ts';

/** Helm charts whose name makes the sandbox render a database (StatefulSet + PVC + Service). */
export const DATABASE_ENGINES: {
  pattern: RegExp;
  engine: string;
  image: string;
  port: number;
}[] = [
  {
    pattern: /postgres/,
    engine: 'postgresql',
    image: 'postgres:16',
    port: 5432,
  },
  { pattern: /mariadb/, engine: 'mariadb', image: 'mariadb:11', port: 3306 },
  { pattern: /mysql/, engine: 'mysql', image: 'mysql:8.4', port: 3306 },
  { pattern: /mongo/, engine: 'mongodb', image: 'mongo:7', port: 27017 },
  { pattern: /redis|valkey/, engine: 'redis', image: 'redis:7', port: 6379 },
  {
    pattern: /cassandra/,
    engine: 'cassandra',
    image: 'cassandra:5',
    port: 9042,
  },
  { pattern: /oracle/, engine: 'oracle', image: 'oracle-free:23', port: 1521 },
  {
    pattern: /mssql|sqlserver/,
    engine: 'mssql',
    image: 'mssql-server:2022',
    port: 1433,
  },
];

interface Operation {
  startedAt: number;
  endsAt: number;
  phase: 'Running' | 'Succeeded' | 'Failed' | 'Error';
  message: string;
  finishedAt?: number;
  initiatedBy: Record<string, unknown>;
  sync: Record<string, unknown>;
  desiredHash: string;
  source: any;
  resources?: any[];
}

interface AppRecord {
  app: any;
  changedAt: number;
  operation?: Operation;
  syncedHash?: string;
  history: any[];
  applied: { plural: string; ns: string; name: string }[];
  /** Every rollout of this application crashes until the control API clears it. */
  stickyDegraded: boolean;
  reconciledAt: number;
}

class ArgoError extends Error {
  readonly status: number;
  readonly grpc: number;
  constructor(status: number, grpc: number, message: string) {
    super(message);
    this.status = status;
    this.grpc = grpc;
  }
}

function desiredHash(app: any): string {
  return sha256Hex(
    JSON.stringify({
      s: app.spec?.source,
      ss: app.spec?.sources,
      d: app.spec?.destination,
    }),
  );
}

function primarySource(app: any): any {
  return app.spec?.source ?? app.spec?.sources?.[0] ?? {};
}

/** Helm values of a source: valuesObject, then `helm.parameters` (which win). */
export function helmValues(source: any): Record<string, string> {
  const values: Record<string, string> = {};
  const flatten = (prefix: string, value: unknown) => {
    if (isObject(value)) {
      for (const [k, v] of Object.entries(value))
        flatten(prefix ? `${prefix}.${k}` : k, v);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => flatten(`${prefix}[${i}]`, v));
    } else if (value !== undefined && value !== null) {
      values[prefix] = String(value);
    }
  };
  flatten('', source?.helm?.valuesObject);
  for (const p of source?.helm?.parameters ?? []) {
    if (p?.name) values[p.name] = String(p.value ?? '');
  }
  return values;
}

export function imageFromValues(
  values: Record<string, string>,
  fallback: string,
): string {
  const repository = values['image.repository'] ?? fallback;
  const digest = values['image.digest'];
  if (repository.includes('@sha256:')) return repository;
  if (digest)
    return `${repository}@${
      digest.startsWith('sha256:') ? digest : `sha256:${digest}`
    }`;
  return `${repository}:${values['image.tag'] || 'latest'}`;
}

function ingressHosts(values: Record<string, string>): string[] {
  const hosts = new Set<string>();
  for (const [k, v] of Object.entries(values)) {
    if (
      /^ingress\.hosts(\[\d+\])?(\.host)?$/.test(k) ||
      /^ingress\.host$/.test(k) ||
      /^ingress\.hosts\[\d+\]\.host$/.test(k)
    ) {
      for (const h of v.replace(/[{}]/g, '').split(','))
        if (h.trim()) hosts.add(h.trim());
    }
  }
  return [...hosts];
}

export class ArgoCdState {
  private readonly ctx: SandboxContext;
  private readonly kube: KubernetesState;
  readonly apps = new Map<string, AppRecord>();
  readonly sessions = new Set<string>();
  private generation = 1;

  constructor(ctx: SandboxContext, kube: KubernetesState) {
    this.ctx = ctx;
    this.kube = kube;
    kube.shouldCrash = pod => {
      const instance = pod.metadata.labels?.['app.kubernetes.io/instance'];
      return Boolean(instance && this.apps.get(instance)?.stickyDegraded);
    };
  }

  get(name: string): AppRecord {
    const rec = this.apps.get(name);
    if (!rec) {
      throw new ArgoError(
        404,
        5,
        `applications.argoproj.io "${name}" not found`,
      );
    }
    return rec;
  }

  private validate(app: any) {
    if (!app?.metadata?.name)
      throw new ArgoError(400, 3, 'application name is required');
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(app.metadata.name)) {
      throw new ArgoError(
        400,
        3,
        `invalid application name "${app.metadata.name}"`,
      );
    }
    const dest = app.spec?.destination;
    if (!dest || (!dest.server && !dest.name)) {
      throw new ArgoError(
        400,
        3,
        'application destination spec is invalid: an application destination server or name is required',
      );
    }
    const source = primarySource(app);
    if (!source.repoURL) {
      throw new ArgoError(
        400,
        3,
        `application spec for ${app.metadata.name} is invalid: InvalidSpecError: spec.source.repoURL and either spec.source.path, spec.source.chart, or spec.source.ref are required`,
      );
    }
  }

  private normalize(app: any): any {
    const out = clone(app);
    out.apiVersion = 'argoproj.io/v1alpha1';
    out.kind = 'Application';
    out.metadata.namespace = out.metadata.namespace ?? 'argocd';
    out.spec.project = out.spec.project || 'default';
    delete out.status;
    delete out.operation;
    return out;
  }

  create(body: any, upsert: boolean): AppRecord {
    this.validate(body);
    const app = this.normalize(body);
    const existing = this.apps.get(app.metadata.name);
    const now = this.ctx.now();
    if (existing) {
      if (JSON.stringify(existing.app.spec) === JSON.stringify(app.spec))
        return existing;
      if (!upsert) {
        throw new ArgoError(
          400,
          3,
          'existing application spec is different; use upsert flag to force update',
        );
      }
      return this.update(existing, app);
    }
    app.metadata.uid = uuid();
    app.metadata.creationTimestamp = isoSeconds(now);
    app.metadata.generation = this.generation++;
    app.metadata.resourceVersion = String(this.generation);
    const rec: AppRecord = {
      app,
      changedAt: now,
      history: [],
      applied: [],
      stickyDegraded: false,
      reconciledAt: now,
    };
    this.apps.set(app.metadata.name, rec);
    return rec;
  }

  update(rec: AppRecord, next: any): AppRecord {
    this.validate(next);
    const app = this.normalize(next);
    const before = desiredHash(rec.app);
    app.metadata = {
      ...rec.app.metadata,
      labels: app.metadata.labels ?? rec.app.metadata.labels,
      annotations: app.metadata.annotations ?? rec.app.metadata.annotations,
      finalizers: app.metadata.finalizers ?? rec.app.metadata.finalizers,
      resourceVersion: String(++this.generation),
    };
    rec.app = app;
    if (desiredHash(app) !== before) rec.changedAt = this.ctx.now();
    return rec;
  }

  patch(rec: AppRecord, patch: string, patchType: string): AppRecord {
    let parsed: any;
    try {
      parsed = JSON.parse(patch);
    } catch {
      throw new ArgoError(400, 3, 'the patch is not valid JSON');
    }
    const current = clone({
      apiVersion: rec.app.apiVersion,
      kind: rec.app.kind,
      metadata: rec.app.metadata,
      spec: rec.app.spec,
    });
    let next: any;
    try {
      next =
        patchType === 'json'
          ? jsonPatch(current, parsed)
          : mergePatch(current, parsed);
    } catch (e) {
      throw new ArgoError(400, 3, String((e as Error).message));
    }
    return this.update(rec, next);
  }

  sync(rec: AppRecord, body: any, initiatedBy: Record<string, unknown>): void {
    if (rec.operation?.phase === 'Running') {
      throw new ArgoError(400, 9, 'another operation is already in progress');
    }
    const now = this.ctx.now();
    const syncOptions: string[] = [
      ...(rec.app.spec.syncPolicy?.syncOptions ?? []),
      ...(body?.syncOptions?.items ?? []),
    ];
    rec.operation = {
      startedAt: now,
      endsAt: now + this.ctx.timings.syncDurationMs,
      phase: 'Running',
      message: 'one or more tasks are running',
      initiatedBy,
      sync: {
        ...(body?.revision
          ? { revision: body.revision }
          : { revision: primarySource(rec.app).targetRevision ?? 'HEAD' }),
        ...(body?.prune ? { prune: true } : {}),
        ...(body?.dryRun ? { dryRun: true } : {}),
        ...(syncOptions.length ? { syncOptions } : {}),
        ...(body?.strategy ? { syncStrategy: body.strategy } : {}),
      },
      desiredHash: desiredHash(rec.app),
      source: clone(primarySource(rec.app)),
    };
  }

  terminate(rec: AppRecord) {
    if (rec.operation?.phase !== 'Running') {
      throw new ArgoError(
        400,
        9,
        'Unable to terminate operation. No operation is in progress',
      );
    }
    rec.operation.phase = 'Failed';
    rec.operation.message = 'Operation terminated';
    rec.operation.finishedAt = this.ctx.now();
  }

  delete(name: string, cascade: boolean) {
    const rec = this.get(name);
    if (cascade) {
      for (const r of rec.applied) {
        if (this.kube.get(r.plural, r.ns, r.name))
          this.kube.delete(r.plural, r.ns, r.name);
      }
    }
    this.apps.delete(name);
  }

  /** Marks the application's running pods as crashing, and optionally every later rollout. */
  degrade(name: string, sticky: boolean) {
    const rec = this.get(name);
    if (sticky) rec.stickyDegraded = true;
    for (const w of this.workloads(rec)) {
      for (const pod of this.podsOfWorkload(w)) this.kube.crashPod(pod);
    }
  }

  clearDegrade() {
    for (const rec of this.apps.values()) rec.stickyDegraded = false;
  }

  advance() {
    const now = this.ctx.now();
    for (const rec of this.apps.values()) {
      const op = rec.operation;
      if (op?.phase === 'Running' && now >= op.endsAt) {
        this.finish(rec, op, op.endsAt);
      }
      const automated = rec.app.spec.syncPolicy?.automated;
      const hash = desiredHash(rec.app);
      if (
        automated &&
        automated.enabled !== false &&
        rec.operation?.phase !== 'Running' &&
        hash !== rec.syncedHash &&
        !(
          rec.operation &&
          rec.operation.desiredHash === hash &&
          rec.operation.phase !== 'Succeeded'
        ) &&
        now >= rec.changedAt + this.ctx.timings.autoSyncDelayMs
      ) {
        this.sync(
          rec,
          { prune: Boolean(automated.prune) },
          { automated: true },
        );
      }
    }
  }

  private finish(rec: AppRecord, op: Operation, at: number) {
    try {
      op.resources = this.apply(rec, op);
      op.phase = 'Succeeded';
      op.message = 'successfully synced (all tasks run)';
      rec.syncedHash = op.desiredHash;
      const id = rec.history.length
        ? rec.history[rec.history.length - 1].id + 1
        : 0;
      rec.history.push({
        id,
        revision: this.revisionOf(op.source),
        deployStartedAt: isoSeconds(op.startedAt),
        deployedAt: isoSeconds(at),
        source: op.source,
        initiatedBy: op.initiatedBy,
      });
      const limit = rec.app.spec.revisionHistoryLimit ?? 10;
      while (rec.history.length > limit) rec.history.shift();
    } catch (e) {
      op.phase = 'Failed';
      op.message = `one or more objects failed to apply, reason: ${
        (e as Error).message
      }`;
    }
    op.finishedAt = at;
  }

  private revisionOf(source: any): string {
    const target = String(source?.targetRevision ?? 'HEAD');
    if (
      source?.chart ||
      /^\d+\.\d+\.\d+/.test(target) ||
      /^[0-9a-f]{40}$/.test(target)
    )
      return target;
    return sha256Hex(`${source?.repoURL}#${target}`).slice(0, 40);
  }

  /** Renders the application's manifests and applies them to the Kubernetes sandbox. */
  private apply(rec: AppRecord, op: Operation): any[] {
    const app = rec.app;
    const appName = app.metadata.name;
    const source = op.source;
    const values = helmValues(source);
    const ns = app.spec.destination.namespace ?? 'default';
    const syncOptions: string[] =
      (op.sync.syncOptions as string[] | undefined) ?? [];
    if (!this.kube.get('namespaces', undefined, ns)) {
      if (!syncOptions.includes('CreateNamespace=true')) {
        throw new Error(`namespaces "${ns}" not found`);
      }
      this.kube.create('namespaces', undefined, {
        metadata: {
          name: ns,
          labels: { 'app.kubernetes.io/managed-by': 'argocd' },
        },
      });
    }
    const name = values.fullnameOverride || appName;
    const chartId = `${source.chart ?? ''} ${source.path ?? ''}`.toLowerCase();
    const db = DATABASE_ENGINES.find(e => e.pattern.test(chartId));
    const labels = {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/instance': appName,
      'app.kubernetes.io/managed-by': 'Helm',
      'backstage.io/kubernetes-id':
        app.metadata.labels?.['backstage.io/kubernetes-id'] ?? appName,
    };
    const selector = {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/instance': appName,
    };
    const annotations = {
      'argocd.argoproj.io/tracking-id': `${appName}:apps/Deployment:${ns}/${name}`,
    };
    const manifests: { plural: string; body: any }[] = [];
    if (db) {
      const image = values['image.repository']
        ? imageFromValues(values, db.image)
        : db.image;
      const port = Number(
        values['service.port'] ??
          values['primary.service.ports.postgresql'] ??
          db.port,
      );
      manifests.push({
        plural: 'services',
        body: {
          metadata: { name, labels },
          spec: {
            selector,
            ports: [{ name: 'db', port, targetPort: port, protocol: 'TCP' }],
          },
        },
      });
      manifests.push({
        plural: 'statefulsets',
        body: {
          metadata: {
            name,
            labels,
            annotations: {
              ...annotations,
              'argocd.argoproj.io/tracking-id': `${appName}:apps/StatefulSet:${ns}/${name}`,
            },
          },
          spec: {
            replicas: 1,
            serviceName: name,
            selector: { matchLabels: selector },
            template: {
              metadata: { labels },
              spec: {
                containers: [
                  {
                    name: db.engine,
                    image,
                    ports: [
                      { name: 'db', containerPort: port, protocol: 'TCP' },
                    ],
                    volumeMounts: [
                      { name: 'data', mountPath: '/var/lib/data' },
                    ],
                  },
                ],
              },
            },
            volumeClaimTemplates: [
              {
                metadata: { name: 'data' },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  resources: {
                    requests: {
                      storage:
                        values['persistence.size'] ??
                        values['primary.persistence.size'] ??
                        '8Gi',
                    },
                  },
                },
              },
            ],
          },
        },
      });
    } else {
      const image = imageFromValues(values, `sandbox/${name}`);
      const containerPort = Number(
        values.containerPort ?? values['service.targetPort'] ?? 8080,
      );
      const servicePort = Number(values['service.port'] ?? 80);
      manifests.push({
        plural: 'services',
        body: {
          metadata: { name, labels },
          spec: {
            selector,
            ports: [
              {
                name: 'http',
                port: servicePort,
                targetPort: containerPort,
                protocol: 'TCP',
              },
            ],
          },
        },
      });
      manifests.push({
        plural: 'deployments',
        body: {
          metadata: { name, labels, annotations },
          spec: {
            replicas: Number(values.replicaCount ?? 1),
            selector: { matchLabels: selector },
            template: {
              metadata: { labels },
              spec: {
                containers: [
                  {
                    name,
                    image,
                    ports: [{ name: 'http', containerPort, protocol: 'TCP' }],
                    readinessProbe: {
                      httpGet: { path: '/healthz', port: 'http' },
                    },
                  },
                ],
              },
            },
          },
        },
      });
      const hosts = ingressHosts(values);
      if (hosts.length) {
        manifests.push({
          plural: 'ingresses',
          body: {
            metadata: { name, labels },
            spec: {
              ingressClassName: values['ingress.className'] ?? 'nginx',
              rules: hosts.map(host => ({
                host,
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: {
                        service: { name, port: { number: servicePort } },
                      },
                    },
                  ],
                },
              })),
            },
          },
        });
      }
    }
    const results: any[] = [];
    const applied: AppRecord['applied'] = [];
    for (const m of manifests) {
      const type = this.kube.type(m.plural);
      const existing = this.kube.get(m.plural, ns, m.body.metadata.name);
      let obj: any;
      let message: string;
      if (existing) {
        obj = this.kube.replace(m.plural, ns, m.body.metadata.name, {
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
        obj = this.kube.create(m.plural, ns, m.body);
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
          a =>
            a.plural === old.plural && a.name === old.name && a.ns === old.ns,
        )
      )
        continue;
      if (prune) {
        if (this.kube.get(old.plural, old.ns, old.name))
          this.kube.delete(old.plural, old.ns, old.name);
      } else {
        applied.push(old);
      }
    }
    rec.applied = applied;
    for (const w of this.workloads(rec)) {
      const image = w.spec.template.spec.containers[0]?.image ?? '';
      const digest = digestOf(image);
      if (digest && this.ctx.badDigests.has(digest)) {
        for (const pod of this.podsOfWorkload(w)) this.kube.crashPod(pod);
      }
    }
    return results;
  }

  private workloads(rec: AppRecord): any[] {
    return rec.applied
      .filter(a => a.plural === 'deployments' || a.plural === 'statefulsets')
      .map(a => this.kube.get(a.plural, a.ns, a.name))
      .filter(Boolean);
  }

  private podsOfWorkload(w: any): any[] {
    if (w.kind === 'StatefulSet') return this.kube.podsOf(w);
    return this.kube
      .list('replicasets', w.metadata.namespace)
      .filter(rs =>
        (rs.metadata.ownerReferences ?? []).some(
          (r: any) => r.uid === w.metadata.uid,
        ),
      )
      .flatMap(rs => this.kube.podsOf(rs));
  }

  private healthOf(obj: any): { status: string; message?: string } {
    switch (obj.kind) {
      case 'Deployment':
      case 'StatefulSet': {
        const pods = this.podsOfWorkload(obj);
        const crashing = pods.find(
          p => this.kube.isCrashing(p) && p.status?.phase === 'Running',
        );
        if (crashing) {
          return {
            status: 'Degraded',
            message: `Pod ${crashing.metadata.name}: back-off restarting failed container (CrashLoopBackOff)`,
          };
        }
        const s = obj.status ?? {};
        const want = obj.spec.replicas ?? 1;
        if (
          (s.updatedReplicas ?? s.currentReplicas ?? 0) >= want &&
          (s.readyReplicas ?? 0) >= want &&
          (s.replicas ?? 0) === want
        ) {
          return { status: 'Healthy' };
        }
        return {
          status: 'Progressing',
          message:
            obj.kind === 'Deployment'
              ? `Waiting for rollout to finish: ${
                  s.readyReplicas ?? 0
                } of ${want} updated replicas are available...`
              : `Waiting for ${want} pods to be ready...`,
        };
      }
      case 'PersistentVolumeClaim':
        return obj.status?.phase === 'Bound'
          ? { status: 'Healthy' }
          : { status: 'Progressing' };
      case 'Pod':
        if (this.kube.isCrashing(obj))
          return {
            status: 'Degraded',
            message: 'back-off restarting failed container',
          };
        return this.kube.podReady(obj)
          ? { status: 'Healthy' }
          : { status: 'Progressing' };
      default:
        return { status: 'Healthy' };
    }
  }

  render(rec: AppRecord): any {
    const app = clone(rec.app);
    const now = this.ctx.now();
    const op = rec.operation;
    const synced =
      rec.syncedHash === desiredHash(rec.app) && op?.phase !== 'Running';
    const source = primarySource(rec.app);
    const resources = rec.applied
      .map(a => ({ a, obj: this.kube.get(a.plural, a.ns, a.name) }))
      .map(({ a, obj }) => {
        const type = this.kube.type(a.plural);
        const health = obj ? this.healthOf(obj) : { status: 'Missing' };
        return {
          group: type.group || undefined,
          version: type.version,
          kind: type.kind,
          namespace: a.ns,
          name: a.name,
          status: obj && synced ? 'Synced' : 'OutOfSync',
          ...(a.plural === 'services' || a.plural === 'ingresses'
            ? {}
            : { health }),
        };
      });
    const order = ['Healthy', 'Missing', 'Progressing', 'Degraded'];
    let health: { status: string; message?: string } = {
      status: rec.applied.length ? 'Healthy' : 'Missing',
    };
    for (const r of resources) {
      const h = (r as any).health as
        | { status: string; message?: string }
        | undefined;
      if (h && order.indexOf(h.status) > order.indexOf(health.status))
        health = h;
    }
    const images = new Set<string>();
    const urls: string[] = [];
    for (const a of rec.applied) {
      const obj = this.kube.get(a.plural, a.ns, a.name);
      for (const c of obj?.spec?.template?.spec?.containers ?? [])
        images.add(c.image);
      for (const rule of a.plural === 'ingresses' ? obj?.spec?.rules ?? [] : [])
        urls.push(`http://${rule.host}/`);
    }
    app.status = {
      sync: {
        status: synced ? 'Synced' : 'OutOfSync',
        comparedTo: { source, destination: rec.app.spec.destination },
        revision: this.revisionOf(source),
      },
      health: {
        status: health.status,
        ...(health.message ? { message: health.message } : {}),
        lastTransitionTime: isoSeconds(now),
      },
      resources,
      history: rec.history,
      reconciledAt: isoSeconds(rec.reconciledAt),
      observedAt: isoSeconds(now),
      sourceType: source.chart || source.helm ? 'Helm' : 'Directory',
      summary: {
        ...(images.size ? { images: [...images] } : {}),
        ...(urls.length ? { externalURLs: urls } : {}),
      },
      controllerNamespace: 'argocd',
    };
    if (op) {
      const operation = {
        sync: op.sync,
        initiatedBy: op.initiatedBy,
        retry: {},
      };
      if (op.phase === 'Running') app.operation = operation;
      app.status.operationState = {
        operation,
        phase: op.phase,
        message: op.message,
        startedAt: isoSeconds(op.startedAt),
        ...(op.finishedAt !== undefined
          ? { finishedAt: isoSeconds(op.finishedAt) }
          : {}),
        ...(op.resources
          ? {
              syncResult: {
                resources: op.resources,
                revision: this.revisionOf(op.source),
                source: op.source,
              },
            }
          : {}),
      };
    }
    return app;
  }

  resourceTree(rec: AppRecord) {
    const nodes: any[] = [];
    const seen = new Set<string>();
    const add = (obj: any, parents: any[]) => {
      if (!obj || seen.has(obj.metadata.uid)) return;
      seen.add(obj.metadata.uid);
      const type = this.kube.typeOfKind(obj.kind)!;
      const images =
        obj.kind === 'Pod'
          ? obj.spec.containers.map((c: any) => c.image)
          : undefined;
      nodes.push({
        group: type.group || undefined,
        version: type.version,
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        createdAt: obj.metadata.creationTimestamp,
        ...(parents.length ? { parentRefs: parents } : {}),
        ...(images ? { images } : {}),
        ...([
          'Deployment',
          'StatefulSet',
          'Pod',
          'PersistentVolumeClaim',
          'ReplicaSet',
        ].includes(obj.kind)
          ? {
              health: this.healthOf(
                obj.kind === 'ReplicaSet' ? { ...obj, kind: 'Other' } : obj,
              ),
            }
          : {}),
        ...(obj.kind === 'Pod'
          ? {
              info: [
                {
                  name: 'Status Reason',
                  value:
                    obj.status?.containerStatuses?.[0]?.state?.waiting
                      ?.reason ??
                    obj.status?.phase ??
                    'Pending',
                },
                { name: 'Node', value: obj.spec.nodeName ?? '' },
                {
                  name: 'Containers',
                  value: `${
                    obj.status?.containerStatuses?.filter((c: any) => c.ready)
                      .length ?? 0
                  }/${obj.spec.containers.length}`,
                },
              ],
            }
          : {}),
        ...(obj.kind === 'Ingress'
          ? {
              networkingInfo: {
                externalURLs: (obj.spec.rules ?? []).map(
                  (r: any) => `http://${r.host}/`,
                ),
              },
            }
          : {}),
      });
      const ref = {
        group: type.group || undefined,
        version: type.version,
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
      };
      const childPlurals: Record<string, string[]> = {
        Deployment: ['replicasets'],
        ReplicaSet: ['pods'],
        StatefulSet: ['pods'],
      };
      for (const plural of childPlurals[obj.kind] ?? []) {
        for (const child of this.kube.list(plural, obj.metadata.namespace)) {
          if (
            (child.metadata.ownerReferences ?? []).some(
              (r: any) => r.uid === obj.metadata.uid,
            )
          )
            add(child, [ref]);
        }
      }
      if (obj.kind === 'StatefulSet') {
        for (const pvc of this.kube.list(
          'persistentvolumeclaims',
          obj.metadata.namespace,
          Object.entries(obj.spec.selector?.matchLabels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        )) {
          add(pvc, [ref]);
        }
      }
    };
    for (const a of rec.applied) add(this.kube.get(a.plural, a.ns, a.name), []);
    return {
      nodes,
      hosts: [
        {
          name: 'sandbox-node-1',
          resourcesInfo: [],
          systemInfo: {
            architecture: 'amd64',
            operatingSystem: 'linux',
            kubeletVersion: 'v1.35.0',
          },
        },
      ],
    };
  }

  dump() {
    return [...this.apps.values()].map(r => ({
      name: r.app.metadata.name,
      applied: r.applied,
      history: r.history.length,
      operation: r.operation && {
        phase: r.operation.phase,
        message: r.operation.message,
      },
      stickyDegraded: r.stickyDegraded,
    }));
  }
}

function sendError(res: Response, e: unknown) {
  if (e instanceof ArgoError) {
    res
      .status(e.status)
      .json({ error: e.message, code: e.grpc, message: e.message });
    return;
  }
  if (e instanceof KubeError) {
    res.status(e.code).json({ error: e.message, code: 2, message: e.message });
    return;
  }
  res.status(500).json({
    error: String((e as Error)?.message ?? e),
    code: 2,
    message: String((e as Error)?.message ?? e),
  });
}

function base64url(input: string): string {
  return Buffer.from(input).toString('base64url');
}

export function argocdRouter(ctx: SandboxContext, state: ArgoCdState): Router {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));

  router.post('/api/v1/session', (req, res) => {
    const { username, password } = req.body ?? {};
    if (
      !username ||
      ctx.credentials.argocdUsers[username] === undefined ||
      ctx.credentials.argocdUsers[username] !== password
    ) {
      res.status(401).json({
        error: 'Invalid username or password',
        code: 16,
        message: 'Invalid username or password',
      });
      return;
    }
    const now = Math.floor(ctx.now() / 1000);
    const token = [
      base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
      base64url(
        JSON.stringify({
          iss: 'argocd',
          sub: `${username}:login`,
          exp: now + 86400,
          nbf: now,
          iat: now,
          jti: uuid(),
        }),
      ),
      base64url(randomHex(32)),
    ].join('.');
    state.sessions.add(token);
    res.json({ token });
  });

  const user = (req: Request): string | undefined => {
    const header = req.headers.authorization ?? '';
    const cookie = /argocd\.token=([^;]+)/.exec(
      String(req.headers.cookie ?? ''),
    )?.[1];
    const token = header.startsWith('Bearer ') ? header.slice(7) : cookie;
    if (!token) return undefined;
    if (ctx.credentials.argocdTokens.includes(token)) return 'admin';
    if (state.sessions.has(token)) {
      try {
        return JSON.parse(
          Buffer.from(token.split('.')[1], 'base64url').toString(),
        ).sub.split(':')[0];
      } catch {
        return 'admin';
      }
    }
    return undefined;
  };

  router.use((req, res, next) => {
    const name = user(req);
    if (!name) {
      res.status(401).json({
        error: 'no session information',
        code: 16,
        message: 'no session information',
      });
      return;
    }
    res.locals.user = name;
    next();
  });

  router.get('/api/v1/session/userinfo', (_req, res) => {
    res.json({ loggedIn: true, username: res.locals.user, iss: 'argocd' });
  });

  router.delete('/api/v1/session', (req, res) => {
    const header = req.headers.authorization ?? '';
    state.sessions.delete(header.slice(7));
    res.json({});
  });

  router.get('/api/v1/applications', (req, res) => {
    const names = ([] as unknown[]).concat(req.query.name ?? []).map(String);
    const projects = ([] as unknown[])
      .concat(req.query.projects ?? [], req.query.project ?? [])
      .map(String);
    const selector =
      typeof req.query.selector === 'string'
        ? parseLabelSelector(req.query.selector)
        : [];
    const items = [...state.apps.values()]
      .filter(r => !names.length || names.includes(r.app.metadata.name))
      .filter(r => !projects.length || projects.includes(r.app.spec.project))
      .filter(r => matchesLabels(r.app.metadata.labels, selector))
      .map(r => state.render(r));
    res.json({ metadata: { resourceVersion: String(Date.now()) }, items });
  });

  router.post('/api/v1/applications', (req, res) => {
    try {
      const rec = state.create(req.body, req.query.upsert === 'true');
      res.json(state.render(rec));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/api/v1/applications/:name', (req, res) => {
    try {
      const rec = state.get(req.params.name);
      if (req.query.refresh === 'normal' || req.query.refresh === 'hard') {
        rec.reconciledAt = ctx.now();
      }
      res.json(state.render(rec));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.put('/api/v1/applications/:name', (req, res) => {
    try {
      const rec = state.get(req.params.name);
      if (
        req.body?.metadata?.name &&
        req.body.metadata.name !== req.params.name
      ) {
        throw new ArgoError(
          400,
          3,
          'application name in the body does not match the URL',
        );
      }
      const body = {
        ...req.body,
        metadata: { ...(req.body?.metadata ?? {}), name: req.params.name },
      };
      res.json(state.render(state.update(rec, body)));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.patch('/api/v1/applications/:name', (req, res) => {
    try {
      const rec = state.get(req.params.name);
      const patch = req.body?.patch;
      if (typeof patch !== 'string') {
        throw new ArgoError(400, 3, 'patch is required (a JSON string)');
      }
      res.json(
        state.render(
          state.patch(rec, patch, String(req.body?.patchType ?? 'merge')),
        ),
      );
    } catch (e) {
      sendError(res, e);
    }
  });

  router.post('/api/v1/applications/:name/sync', (req, res) => {
    try {
      const rec = state.get(req.params.name);
      state.sync(rec, req.body, { username: res.locals.user });
      res.json(state.render(rec));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.delete('/api/v1/applications/:name/operation', (req, res) => {
    try {
      state.terminate(state.get(req.params.name));
      res.json({});
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/api/v1/applications/:name/resource-tree', (req, res) => {
    try {
      res.json(state.resourceTree(state.get(req.params.name)));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.delete('/api/v1/applications/:name', (req, res) => {
    try {
      state.delete(req.params.name, req.query.cascade !== 'false');
      res.json({});
    } catch (e) {
      sendError(res, e);
    }
  });

  router.use((req, res) => {
    res.status(404).json({
      error: `${req.method} ${req.path} is not served by the sandbox`,
      code: 5,
      message: 'Not Found',
    });
  });
  return router;
}
