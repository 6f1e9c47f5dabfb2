import type { SandboxContext } from '../context.ts';
import type { DatabaseServers } from '../databases/servers.ts';
import type { KubernetesState } from '../kubernetes/index.ts';
import { clone, isoSeconds, jsonPatch, mergePatch, uuid } from '../util.ts';
import { applyApplication } from './apply.ts';
import { managedResources } from './drift.ts';
import { podsOfWorkload, workloads } from './health.ts';
import { renderApplication } from './render.ts';
import { resourceTree } from './resourceTree.ts';
import { desiredHash, primarySource, revisionOf } from './sources.ts';
import { ArgoError } from './types.ts';
import type { AppRecord, Operation } from './types.ts';

/**
 * Argo CD's applications: create, update, patch, sync (an operation that ends after the sync
 * duration, automated syncs included), terminate, delete with cascade, and degrade for the
 * control API.
 */
export class ArgoCdState {
  private readonly ctx: SandboxContext;
  private readonly kube: KubernetesState;
  readonly apps = new Map<string, AppRecord>();
  readonly sessions = new Set<string>();
  private generation = 1;
  /** Real database servers for database charts (set by the sandbox); without them all are simulated. */
  databases?: DatabaseServers;
  private readonly databaseWarnings = new Set<string>();

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
    if (cascade) this.databases?.chartDeleted(name);
  }

  /** Marks the application's running pods as crashing, and optionally every later rollout. */
  degrade(name: string, sticky: boolean) {
    const rec = this.get(name);
    if (sticky) rec.stickyDegraded = true;
    for (const w of workloads(this.kube, rec)) {
      for (const pod of podsOfWorkload(this.kube, w)) this.kube.crashPod(pod);
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
      // Self-heal: ArgoCD syncs an application whose live objects were changed by hand.
      const heal = Boolean(automated?.selfHeal && rec.drift?.length);
      if (
        automated &&
        automated.enabled !== false &&
        rec.operation?.phase !== 'Running' &&
        (heal || hash !== rec.syncedHash) &&
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
      op.resources = applyApplication(
        this.ctx,
        this.kube,
        rec,
        op,
        this.databases && {
          servers: this.databases,
          warned: this.databaseWarnings,
        },
      );
      op.phase = 'Succeeded';
      op.message = 'successfully synced (all tasks run)';
      // Applying Git again undid every change made by hand.
      rec.drift = undefined;
      rec.syncedHash = op.desiredHash;
      const id = rec.history.length
        ? rec.history[rec.history.length - 1].id + 1
        : 0;
      rec.history.push({
        id,
        revision: revisionOf(op.source),
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

  render(rec: AppRecord): any {
    return renderApplication(this.ctx, this.kube, rec);
  }

  managedResources(rec: AppRecord) {
    return managedResources(this.kube, rec);
  }

  resourceTree(rec: AppRecord) {
    return resourceTree(this.kube, rec);
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
