import type { Router } from 'express';
import type { KubernetesState } from '../kubernetes/index.ts';
import { clone } from '../util.ts';
import type { ArgoCdState } from './state.ts';
import type { AppRecord, DriftedField } from './types.ts';
import { ArgoError } from './types.ts';

/** What the control API changes by hand: `{ kind?, name?, path, value }`. */
export interface DriftRequest {
  kind?: string;
  name?: string;
  /** Dot-separated, array indexes as numbers: `spec.template.spec.containers.0.image`. */
  path?: string;
  value?: unknown;
}

function at(obj: any, path: string[]): unknown {
  return path.reduce((o, key) => (o === undefined ? o : o?.[key]), obj);
}

function set(obj: any, path: string[], value: unknown) {
  let o = obj;
  for (const key of path.slice(0, -1)) o = o[key] ??= {};
  if (value === undefined) delete o[path[path.length - 1]];
  else o[path[path.length - 1]] = value;
}

/**
 * Changes live objects of the application as a person with kubectl would: the application turns
 * OutOfSync, and its managed resources show the difference until a sync applies Git again.
 * Without a path, the first Deployment is scaled up by one replica.
 */
export function driftApplication(
  kube: KubernetesState,
  rec: AppRecord,
  requests: DriftRequest[],
): DriftedField[] {
  const wanted = requests.length ? requests : [{ kind: 'Deployment' }];
  const fields: DriftedField[] = [];
  for (const request of wanted) {
    const target = rec.applied.find(
      a =>
        (!request.kind || kube.type(a.plural).kind === request.kind) &&
        (!request.name || a.name === request.name),
    );
    if (!target) {
      throw new ArgoError(
        404,
        5,
        `${rec.app.metadata.name} manages no ${request.kind ?? 'resource'}${
          request.name ? ` named ${request.name}` : ''
        }: sync it first`,
      );
    }
    const live = clone(kube.mustGet(target.plural, target.ns, target.name));
    const path = (request.path ?? 'spec.replicas').split('.');
    const desired = at(live, path);
    const value =
      request.path === undefined ? Number(desired ?? 1) + 1 : request.value;
    set(live, path, value);
    delete live.metadata.resourceVersion;
    kube.replace(target.plural, target.ns, target.name, live);
    const known = rec.drift?.find(
      f =>
        f.plural === target.plural &&
        f.name === target.name &&
        f.path.join('.') === path.join('.'),
    );
    // A second change of the same field still differs from what Git said the first time.
    fields.push({ ...target, path, desired: known ? known.desired : desired });
  }
  rec.drift = [
    ...(rec.drift ?? []).filter(
      f =>
        !fields.some(
          n =>
            n.plural === f.plural &&
            n.name === f.name &&
            n.path.join('.') === f.path.join('.'),
        ),
    ),
    ...fields,
  ];
  return rec.drift;
}

const stateText = (obj: unknown) => JSON.stringify(obj);

/** Argo CD's `managed-resources` answer: live and predicted state per resource, `modified` where they differ. */
export function managedResources(kube: KubernetesState, rec: AppRecord) {
  return {
    items: rec.applied.map(a => {
      const type = kube.type(a.plural);
      const live = kube.get(a.plural, a.ns, a.name);
      const normalized = live && clone(live);
      if (normalized) {
        delete normalized.status;
        delete normalized.metadata?.managedFields;
      }
      const fields = (rec.drift ?? []).filter(
        f => f.plural === a.plural && f.ns === a.ns && f.name === a.name,
      );
      const predicted = normalized && clone(normalized);
      for (const f of fields) set(predicted, f.path, clone(f.desired));
      return {
        ...(type.group ? { group: type.group } : {}),
        kind: type.kind,
        namespace: a.ns,
        name: a.name,
        modified: fields.length > 0 || !live,
        ...(live
          ? {
              liveState: stateText(live),
              normalizedLiveState: stateText(normalized),
              predictedLiveState: stateText(predicted),
              resourceVersion: String(live.metadata?.resourceVersion ?? ''),
            }
          : {}),
        targetState: stateText(
          predicted ?? {
            kind: type.kind,
            metadata: { name: a.name, namespace: a.ns },
          },
        ),
      };
    }),
  };
}

/**
 * Control routes (under `/_sandbox`): `POST /argocd/drift` `{ application, resources? }` changes
 * live objects of the application by hand (each `{ kind?, name?, path, value }`; without
 * resources its Deployment gains a replica) and answers the drifted fields. A sync applies Git
 * again and ends the drift; with automated sync and self-heal on, the next sync does so at once.
 */
export function driftControlRoutes(
  router: Router,
  argocd: ArgoCdState,
  kube: KubernetesState,
  advance: () => void,
) {
  router.post('/argocd/drift', (req, res) => {
    const { application, resources } = req.body ?? {};
    if (typeof application !== 'string') {
      res.status(400).json({ message: 'application is required (its name)' });
      return;
    }
    if (resources !== undefined && !Array.isArray(resources)) {
      res.status(400).json({
        message: 'resources must be a list of { kind, name, path, value }',
      });
      return;
    }
    try {
      advance();
      const rec = argocd.get(application);
      if (rec.operation?.phase === 'Running') {
        throw new ArgoError(
          409,
          9,
          `${application} is syncing: drift it after the sync`,
        );
      }
      const drift = driftApplication(kube, rec, resources ?? []);
      res.json({
        application,
        drift: drift.map(f => ({
          kind: kube.type(f.plural).kind,
          namespace: f.ns,
          name: f.name,
          path: f.path.join('.'),
          desired: f.desired,
        })),
      });
    } catch (e) {
      const status = e instanceof ArgoError ? e.status : 500;
      res.status(status).json({ message: String((e as Error).message) });
    }
  });
}
