import express from 'express';
import type { Request, Response, Router } from 'express';
import type { SandboxContext } from './context.ts';
import { podMetricsRoutes } from './podMetrics.ts';
import {
  clone,
  getPath,
  isoSeconds,
  jsonPatch,
  mergePatch,
  randomHex,
  randomSuffix,
  sha256Hex,
  strategicMergePatch,
  uuid,
} from './util.ts';

export interface ResourceType {
  plural: string;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
}

export const RESOURCE_TYPES: ResourceType[] = [
  {
    plural: 'namespaces',
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
  },
  {
    plural: 'secrets',
    kind: 'Secret',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'configmaps',
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'services',
    kind: 'Service',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'endpoints',
    kind: 'Endpoints',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  { plural: 'pods', kind: 'Pod', group: '', version: 'v1', namespaced: true },
  {
    plural: 'events',
    kind: 'Event',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'deployments',
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'replicasets',
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'statefulsets',
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'jobs',
    kind: 'Job',
    group: 'batch',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'cronjobs',
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'daemonsets',
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'limitranges',
    kind: 'LimitRange',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'resourcequotas',
    kind: 'ResourceQuota',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    group: 'autoscaling',
    version: 'v2',
    namespaced: true,
  },
  {
    plural: 'ingresses',
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
  },
];

const BY_PLURAL = new Map(RESOURCE_TYPES.map(t => [t.plural, t]));
const BY_KIND = new Map(RESOURCE_TYPES.map(t => [t.kind, t]));

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export class KubeError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: Record<string, unknown>;
  constructor(
    code: number,
    reason: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function notFound(type: ResourceType, name: string) {
  const qualified = type.group ? `${type.plural}.${type.group}` : type.plural;
  return new KubeError(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.plural,
  });
}

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface ContainerScript {
  /** Lines logged at start, each with its offset from the container start. */
  startup: string[];
  /** Lines repeated while the container runs (long-running containers only). */
  repeat?: string[];
  /** For containers that end: lines logged at the end and the exit code. */
  finish?: { lines: string[]; exitCode: number };
}

/** Internal bookkeeping for a pod the sandbox "runs". */
interface PodRuntime {
  createdAt: number;
  startAt: number;
  readyAt: number;
  /** When set, the container exits after this long and is restarted (CrashLoopBackOff). */
  crash: boolean;
  /** For Job pods: when the container ends. */
  endAt?: number;
  succeeded?: boolean;
  script: ContainerScript;
}

export interface LabelRequirement {
  key: string;
  op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists';
  values: string[];
}

export function parseLabelSelector(selector: string): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    const neq = /^([^\s!=]+)\s*!=\s*(.*)$/.exec(part);
    const eq = /^([^\s!=]+)\s*==?\s*(.*)$/.exec(part);
    const not = /^!\s*(\S+)$/.exec(part);
    if (set) {
      reqs.push({
        key: set[1],
        op: set[2] as 'in' | 'notin',
        values: set[3]
          .split(',')
          .map(v => v.trim())
          .filter(Boolean),
      });
    } else if (neq) {
      reqs.push({ key: neq[1], op: 'neq', values: [neq[2].trim()] });
    } else if (eq) {
      reqs.push({ key: eq[1], op: 'eq', values: [eq[2].trim()] });
    } else if (not) {
      reqs.push({ key: not[1], op: 'notexists', values: [] });
    } else {
      reqs.push({ key: part, op: 'exists', values: [] });
    }
  }
  return reqs;
}

export function matchesLabels(
  labels: Record<string, string> | undefined,
  reqs: LabelRequirement[],
): boolean {
  const l = labels ?? {};
  return reqs.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.values[0];
      case 'neq':
        return !has || l[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}

function matchesFieldSelector(obj: any, selector: string): boolean {
  return selector
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .every(part => {
      const neq = part.includes('!=');
      const [path, value] = neq ? part.split('!=') : part.split(/==?/);
      const actual = getPath(obj, path.trim());
      const equal = String(actual ?? '') === (value ?? '').trim();
      return neq ? !equal : equal;
    });
}

function selectorToString(
  matchLabels: Record<string, string> | undefined,
): string {
  return Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Image reference → the digest it pins, if any. */
export function digestOf(image: string): string | undefined {
  return /@(sha256:[0-9a-f]{64})/.exec(image)?.[1];
}

const DATABASE_LOGS: Record<string, string[]> = {
  postgres: [
    'PostgreSQL Database directory appears to contain a database; Skipping initialization',
    'LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-gnu',
    'LOG:  listening on IPv4 address "0.0.0.0", port 5432',
    'LOG:  database system was shut down at {time}',
    'LOG:  database system is ready to accept connections',
  ],
  mysql: [
    '[System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.4.2) starting as process 1',
    '[System] [MY-013576] [InnoDB] InnoDB initialization has started.',
    '[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. port: 3306',
  ],
  mongo: [
    '{"t":{"$date":"{time}"},"s":"I","c":"NETWORK","msg":"Waiting for connections","attr":{"port":27017}}',
  ],
  redis: [
    '1:M {time} * Redis version=7.4.0, bits=64',
    '1:M {time} * Ready to accept connections tcp',
  ],
  cassandra: [
    'INFO  [main] Starting listening for CQL clients on /0.0.0.0:9042',
    'INFO  [main] Startup complete',
  ],
  oracle: ['Starting Oracle Net Listener.', 'DATABASE IS READY TO USE!'],
  mssql: [
    'SQL Server is now ready for client connections. This is an informational message; no user action is required.',
  ],
};

export class KubernetesState {
  private readonly ctx: SandboxContext;
  private resourceVersion = 1000;
  private ipCounter = 10;
  /** plural → key (`ns/name` or `name`) → object */
  private readonly store = new Map<string, Map<string, any>>();
  private readonly runtimes = new Map<string, PodRuntime>();
  /** Pods whose current container crashes (set by the control API). */
  readonly crashingPods = new Set<string>();
  /** Called when a Deployment/StatefulSet's pods should crash (e.g. a degraded application). */
  shouldCrash: (pod: any) => boolean = () => false;

  constructor(ctx: SandboxContext) {
    this.ctx = ctx;
    for (const t of RESOURCE_TYPES) this.store.set(t.plural, new Map());
    for (const ns of ['default', 'kube-system']) {
      this.create('namespaces', undefined, { metadata: { name: ns } });
    }
  }

  private key(type: ResourceType, ns: string | undefined, name: string) {
    return type.namespaced ? `${ns}/${name}` : name;
  }

  private nextVersion(): string {
    return String(++this.resourceVersion);
  }

  currentVersion(): string {
    return String(this.resourceVersion);
  }

  type(plural: string): ResourceType {
    const t = BY_PLURAL.get(plural);
    if (!t)
      throw new KubeError(
        404,
        'NotFound',
        `the server could not find the requested resource`,
      );
    return t;
  }

  typeOfKind(kind: string): ResourceType | undefined {
    return BY_KIND.get(kind);
  }

  get(plural: string, ns: string | undefined, name: string): any | undefined {
    const type = this.type(plural);
    return this.store.get(plural)!.get(this.key(type, ns, name));
  }

  mustGet(plural: string, ns: string | undefined, name: string): any {
    const obj = this.get(plural, ns, name);
    if (!obj) throw notFound(this.type(plural), name);
    return obj;
  }

  list(
    plural: string,
    ns?: string,
    labelSelector?: string,
    fieldSelector?: string,
  ): any[] {
    const reqs = labelSelector ? parseLabelSelector(labelSelector) : [];
    return [...this.store.get(plural)!.values()]
      .filter(o => !ns || o.metadata.namespace === ns)
      .filter(o => matchesLabels(o.metadata.labels, reqs))
      .filter(o => !fieldSelector || matchesFieldSelector(o, fieldSelector));
  }

  private validate(type: ResourceType, obj: any) {
    const name = obj?.metadata?.name;
    const causes: any[] = [];
    if (!name) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      });
    } else if (
      !(
        type.plural === 'namespaces' || type.plural === 'services'
          ? DNS1123_LABEL
          : DNS1123_SUBDOMAIN
      ).test(name) ||
      name.length > 253
    ) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${name}": a lowercase RFC 1123 ${
          type.plural === 'namespaces' || type.plural === 'services'
            ? 'label'
            : 'subdomain'
        } must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        field: 'metadata.name',
      });
    }
    if (
      type.plural === 'deployments' ||
      type.plural === 'statefulsets' ||
      type.plural === 'jobs'
    ) {
      const containers = obj?.spec?.template?.spec?.containers;
      if (!Array.isArray(containers) || containers.length === 0) {
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: 'spec.template.spec.containers',
        });
      }
      if (type.plural !== 'jobs' && !obj?.spec?.selector) {
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: 'spec.selector',
        });
      }
    }
    if (type.plural === 'pods') {
      if (
        !Array.isArray(obj?.spec?.containers) ||
        obj.spec.containers.length === 0
      ) {
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: 'spec.containers',
        });
      }
    }
    if (causes.length) {
      const qualified = type.group ? `${type.kind}.${type.group}` : type.kind;
      throw new KubeError(
        422,
        'Invalid',
        `${qualified} "${name ?? ''}" is invalid: ${causes
          .map(c => `${c.field}: ${c.message}`)
          .join(', ')}`,
        {
          name: name ?? '',
          ...(type.group ? { group: type.group } : {}),
          kind: type.kind,
          causes,
        },
      );
    }
  }

  create(
    plural: string,
    ns: string | undefined,
    body: any,
    internal = false,
  ): any {
    const type = this.type(plural);
    const obj = clone(body ?? {});
    obj.metadata = obj.metadata ?? {};
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${randomSuffix(5)}`;
    }
    if (type.namespaced) {
      if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) {
        throw new KubeError(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      obj.metadata.namespace = ns;
      if (!internal && !this.get('namespaces', undefined, ns!)) {
        throw new KubeError(404, 'NotFound', `namespaces "${ns}" not found`, {
          name: ns,
          kind: 'namespaces',
        });
      }
    }
    this.validate(type, obj);
    const k = this.key(type, ns, obj.metadata.name);
    if (this.store.get(plural)!.has(k)) {
      const qualified = type.group
        ? `${type.plural}.${type.group}`
        : type.plural;
      throw new KubeError(
        409,
        'AlreadyExists',
        `${qualified} "${obj.metadata.name}" already exists`,
        {
          name: obj.metadata.name,
          ...(type.group ? { group: type.group } : {}),
          kind: type.plural,
        },
      );
    }
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    obj.metadata.uid = uuid();
    obj.metadata.resourceVersion = this.nextVersion();
    obj.metadata.creationTimestamp = isoSeconds(this.ctx.now());
    if (
      ['deployments', 'statefulsets', 'replicasets', 'jobs'].includes(plural)
    ) {
      obj.metadata.generation = 1;
    }
    this.defaults(type, obj);
    this.store.get(plural)!.set(k, obj);
    this.afterWrite(type, obj, true);
    return obj;
  }

  private defaults(type: ResourceType, obj: any) {
    switch (type.plural) {
      case 'namespaces':
        obj.metadata.labels = {
          ...(obj.metadata.labels ?? {}),
          'kubernetes.io/metadata.name': obj.metadata.name,
        };
        obj.spec = { finalizers: ['kubernetes'] };
        obj.status = { phase: 'Active' };
        break;
      case 'secrets':
        obj.type = obj.type ?? 'Opaque';
        if (obj.stringData) {
          obj.data = obj.data ?? {};
          for (const [k, v] of Object.entries(obj.stringData)) {
            obj.data[k] = Buffer.from(String(v)).toString('base64');
          }
          delete obj.stringData;
        }
        break;
      case 'services':
        obj.spec = obj.spec ?? {};
        obj.spec.type = obj.spec.type ?? 'ClusterIP';
        obj.spec.clusterIP =
          obj.spec.clusterIP ??
          `10.96.${Math.floor(this.ipCounter / 250)}.${
            (this.ipCounter++ % 250) + 1
          }`;
        obj.spec.clusterIPs = [obj.spec.clusterIP];
        obj.spec.sessionAffinity = obj.spec.sessionAffinity ?? 'None';
        obj.spec.ports = (obj.spec.ports ?? []).map((p: any) => ({
          protocol: 'TCP',
          targetPort: p.port,
          ...p,
        }));
        obj.status = { loadBalancer: {} };
        break;
      case 'deployments':
        obj.spec.replicas = obj.spec.replicas ?? 1;
        obj.spec.revisionHistoryLimit = obj.spec.revisionHistoryLimit ?? 10;
        obj.spec.progressDeadlineSeconds =
          obj.spec.progressDeadlineSeconds ?? 600;
        obj.spec.strategy = obj.spec.strategy ?? {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        };
        obj.status = obj.status ?? {};
        break;
      case 'statefulsets':
        obj.spec.replicas = obj.spec.replicas ?? 1;
        obj.spec.podManagementPolicy =
          obj.spec.podManagementPolicy ?? 'OrderedReady';
        obj.status = obj.status ?? { replicas: 0, availableReplicas: 0 };
        break;
      case 'jobs':
        obj.spec.backoffLimit = obj.spec.backoffLimit ?? 6;
        obj.spec.completions = obj.spec.completions ?? 1;
        obj.spec.parallelism = obj.spec.parallelism ?? 1;
        obj.spec.completionMode = obj.spec.completionMode ?? 'NonIndexed';
        obj.spec.selector = obj.spec.selector ?? {
          matchLabels: {
            'batch.kubernetes.io/controller-uid': obj.metadata.uid,
          },
        };
        obj.spec.template.metadata = obj.spec.template.metadata ?? {};
        obj.spec.template.metadata.labels = {
          ...(obj.spec.template.metadata.labels ?? {}),
          'batch.kubernetes.io/controller-uid': obj.metadata.uid,
          'batch.kubernetes.io/job-name': obj.metadata.name,
          'controller-uid': obj.metadata.uid,
          'job-name': obj.metadata.name,
        };
        obj.status = { active: 0, startTime: isoSeconds(this.ctx.now()) };
        break;
      case 'persistentvolumeclaims':
        obj.spec = obj.spec ?? {};
        obj.spec.storageClassName = obj.spec.storageClassName ?? 'standard';
        obj.spec.volumeMode = obj.spec.volumeMode ?? 'Filesystem';
        obj.spec.volumeName = obj.spec.volumeName ?? `pvc-${obj.metadata.uid}`;
        obj.status = {
          phase: 'Bound',
          accessModes: obj.spec.accessModes ?? ['ReadWriteOnce'],
          capacity: { storage: obj.spec.resources?.requests?.storage ?? '8Gi' },
        };
        break;
      case 'ingresses':
        obj.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
        break;
      default:
        break;
    }
  }

  replace(
    plural: string,
    ns: string | undefined,
    name: string,
    body: any,
  ): any {
    const type = this.type(plural);
    const existing = this.mustGet(plural, ns, name);
    const obj = clone(body ?? {});
    obj.metadata = obj.metadata ?? {};
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw new KubeError(
        400,
        'BadRequest',
        'the name of the object does not match the name on the URL',
      );
    }
    if (
      obj.metadata.resourceVersion &&
      obj.metadata.resourceVersion !== existing.metadata.resourceVersion
    ) {
      const qualified = type.group
        ? `${type.plural}.${type.group}`
        : type.plural;
      throw new KubeError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, kind: type.plural },
      );
    }
    obj.metadata.name = name;
    return this.write(type, existing, obj);
  }

  patch(
    plural: string,
    ns: string | undefined,
    name: string,
    contentType: string,
    patch: any,
  ): any {
    const type = this.type(plural);
    const existing = this.mustGet(plural, ns, name);
    let next: any;
    try {
      if (contentType.includes('json-patch')) {
        if (!Array.isArray(patch))
          throw new Error('a JSON patch must be an array of operations');
        next = jsonPatch(existing, patch);
      } else if (contentType.includes('strategic-merge-patch')) {
        next = strategicMergePatch(existing, patch);
      } else if (
        contentType.includes('merge-patch') ||
        contentType.includes('apply-patch')
      ) {
        next = mergePatch(existing, patch);
      } else {
        throw new KubeError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      }
    } catch (e) {
      if (e instanceof KubeError) throw e;
      throw new KubeError(422, 'Invalid', String((e as Error).message));
    }
    return this.write(type, existing, next);
  }

  private write(type: ResourceType, existing: any, next: any): any {
    const obj = clone(next);
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    obj.metadata = {
      ...obj.metadata,
      name: existing.metadata.name,
      namespace: existing.metadata.namespace,
      uid: existing.metadata.uid,
      creationTimestamp: existing.metadata.creationTimestamp,
      resourceVersion: this.nextVersion(),
    };
    if (!type.namespaced) delete obj.metadata.namespace;
    this.validate(type, obj);
    if (existing.metadata.generation !== undefined) {
      const specChanged =
        JSON.stringify(existing.spec) !== JSON.stringify(obj.spec);
      obj.metadata.generation =
        existing.metadata.generation + (specChanged ? 1 : 0);
    }
    if (type.plural === 'secrets' && obj.stringData) {
      obj.data = obj.data ?? {};
      for (const [k, v] of Object.entries(obj.stringData)) {
        obj.data[k] = Buffer.from(String(v)).toString('base64');
      }
      delete obj.stringData;
    }
    if (obj.status === undefined && existing.status !== undefined)
      obj.status = existing.status;
    this.store
      .get(type.plural)!
      .set(this.key(type, obj.metadata.namespace, obj.metadata.name), obj);
    this.afterWrite(type, obj, false);
    return obj;
  }

  delete(plural: string, ns: string | undefined, name: string): any {
    const type = this.type(plural);
    const obj = this.mustGet(plural, ns, name);
    this.store.get(plural)!.delete(this.key(type, ns, name));
    this.resourceVersion++;
    if (plural === 'namespaces') {
      for (const t of RESOURCE_TYPES) {
        if (!t.namespaced) continue;
        for (const o of this.list(t.plural, name)) {
          this.store.get(t.plural)!.delete(this.key(t, name, o.metadata.name));
        }
      }
      return {
        ...obj,
        status: { phase: 'Terminating' },
        metadata: {
          ...obj.metadata,
          deletionTimestamp: isoSeconds(this.ctx.now()),
        },
      };
    }
    // Owned objects go with their owner (garbage collection, foreground for simplicity).
    for (const t of RESOURCE_TYPES) {
      if (!t.namespaced) continue;
      for (const o of this.list(t.plural, ns)) {
        if (
          (o.metadata.ownerReferences ?? []).some(
            (r: any) => r.uid === obj.metadata.uid,
          )
        ) {
          this.delete(t.plural, ns, o.metadata.name);
        }
      }
    }
    if (plural === 'pods') this.runtimes.delete(obj.metadata.uid);
    return obj;
  }

  event(
    obj: any,
    reason: string,
    message: string,
    type: 'Normal' | 'Warning' = 'Normal',
    component = 'kubelet',
  ) {
    const ns = obj.metadata.namespace ?? 'default';
    const now = isoSeconds(this.ctx.now());
    const existing = this.list('events', ns).find(
      e =>
        e.involvedObject.uid === obj.metadata.uid &&
        e.reason === reason &&
        e.message === message,
    );
    if (existing) {
      existing.count += 1;
      existing.lastTimestamp = now;
      existing.metadata.resourceVersion = this.nextVersion();
      return;
    }
    this.create(
      'events',
      ns,
      {
        metadata: { name: `${obj.metadata.name}.${randomHex(8)}` },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: ns,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component },
        reportingComponent: component,
        reportingInstance: '',
      },
      true,
    );
  }

  private afterWrite(type: ResourceType, obj: any, created: boolean) {
    switch (type.plural) {
      case 'deployments':
        this.reconcileDeployment(obj);
        break;
      case 'statefulsets':
        this.reconcileStatefulSet(obj);
        break;
      case 'jobs':
        if (created) this.startJob(obj);
        break;
      case 'pods':
        if (created && !this.runtimes.has(obj.metadata.uid)) this.adoptPod(obj);
        break;
      default:
        break;
    }
  }

  // ---- controllers --------------------------------------------------------------------------

  private podTemplateHash(template: any): string {
    return sha256Hex(JSON.stringify(template))
      .slice(0, 10)
      .replace(/[0-9a-f]/g, c => 'bcdfghjklm'[parseInt(c, 16) % 10] ?? c);
  }

  private ownerRef(owner: any) {
    return {
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name: owner.metadata.name,
      uid: owner.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
  }

  private reconcileDeployment(dep: any) {
    const ns = dep.metadata.namespace;
    const hash = this.podTemplateHash(dep.spec.template);
    const owned = this.list('replicasets', ns).filter(rs =>
      (rs.metadata.ownerReferences ?? []).some(
        (r: any) => r.uid === dep.metadata.uid,
      ),
    );
    let current = owned.find(
      rs => rs.metadata.labels?.['pod-template-hash'] === hash,
    );
    const revision = Math.max(
      0,
      ...owned.map(rs =>
        Number(
          rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0,
        ),
      ),
    );
    if (!current) {
      const labels = {
        ...(dep.spec.template.metadata?.labels ?? {}),
        'pod-template-hash': hash,
      };
      const template = clone(dep.spec.template);
      template.metadata = { ...(template.metadata ?? {}), labels };
      current = this.create(
        'replicasets',
        ns,
        {
          metadata: {
            name: `${dep.metadata.name}-${hash}`,
            labels,
            annotations: {
              'deployment.kubernetes.io/desired-replicas': String(
                dep.spec.replicas,
              ),
              'deployment.kubernetes.io/max-replicas': String(
                dep.spec.replicas + 1,
              ),
              'deployment.kubernetes.io/revision': String(revision + 1),
            },
            ownerReferences: [this.ownerRef(dep)],
          },
          spec: {
            replicas: dep.spec.replicas,
            selector: {
              matchLabels: {
                ...(dep.spec.selector?.matchLabels ?? {}),
                'pod-template-hash': hash,
              },
            },
            template,
          },
          status: { replicas: 0 },
        },
        true,
      );
      this.event(
        dep,
        'ScalingReplicaSet',
        `Scaled up replica set ${current.metadata.name} from 0 to ${dep.spec.replicas}`,
        'Normal',
        'deployment-controller',
      );
    } else {
      current.spec.replicas = dep.spec.replicas;
    }
    for (const rs of owned) {
      if (rs === current || rs.spec.replicas === 0) continue;
      const from = rs.spec.replicas;
      rs.spec.replicas = 0;
      rs.metadata.resourceVersion = this.nextVersion();
      this.event(
        dep,
        'ScalingReplicaSet',
        `Scaled down replica set ${rs.metadata.name} from ${from} to 0`,
        'Normal',
        'deployment-controller',
      );
    }
    this.reconcileReplicaSets(ns);
  }

  private reconcileReplicaSets(ns: string) {
    for (const rs of this.list('replicasets', ns)) {
      const pods = this.list('pods', ns).filter(p =>
        (p.metadata.ownerReferences ?? []).some(
          (r: any) => r.uid === rs.metadata.uid,
        ),
      );
      const desired = rs.spec.replicas ?? 1;
      for (let i = pods.length; i < desired; i++) {
        const pod = this.create(
          'pods',
          ns,
          {
            metadata: {
              name: `${rs.metadata.name}-${randomSuffix(5)}`,
              labels: clone(rs.spec.template.metadata?.labels ?? {}),
              annotations: clone(rs.spec.template.metadata?.annotations ?? {}),
              ownerReferences: [this.ownerRef(rs)],
            },
            spec: clone(rs.spec.template.spec),
          },
          true,
        );
        this.event(
          rs,
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name}`,
          'Normal',
          'replicaset-controller',
        );
      }
      for (const pod of pods.slice(desired)) {
        this.delete('pods', ns, pod.metadata.name);
        this.event(
          rs,
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          'Normal',
          'replicaset-controller',
        );
      }
    }
  }

  private reconcileStatefulSet(sts: any) {
    const ns = sts.metadata.namespace;
    const replicas = sts.spec.replicas ?? 1;
    const revision = `${sts.metadata.name}-${this.podTemplateHash(
      sts.spec.template,
    )}`;
    for (let i = 0; i < replicas; i++) {
      const podName = `${sts.metadata.name}-${i}`;
      for (const tpl of sts.spec.volumeClaimTemplates ?? []) {
        const pvcName = `${tpl.metadata?.name ?? 'data'}-${podName}`;
        if (!this.get('persistentvolumeclaims', ns, pvcName)) {
          this.create(
            'persistentvolumeclaims',
            ns,
            {
              metadata: {
                name: pvcName,
                labels: clone(sts.spec.selector?.matchLabels ?? {}),
              },
              spec: clone(
                tpl.spec ?? {
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: '8Gi' } },
                },
              ),
            },
            true,
          );
          this.event(
            sts,
            'SuccessfulCreate',
            `create Claim ${pvcName} Pod ${podName} in StatefulSet ${sts.metadata.name} success`,
            'Normal',
            'statefulset-controller',
          );
        }
      }
      const existing = this.get('pods', ns, podName);
      if (
        existing &&
        existing.metadata.labels?.['controller-revision-hash'] !== revision
      ) {
        this.delete('pods', ns, podName);
      }
      if (!this.get('pods', ns, podName)) {
        const spec = clone(sts.spec.template.spec);
        spec.hostname = podName;
        spec.subdomain = sts.spec.serviceName;
        spec.volumes = [
          ...(spec.volumes ?? []),
          ...(sts.spec.volumeClaimTemplates ?? []).map((tpl: any) => ({
            name: tpl.metadata?.name ?? 'data',
            persistentVolumeClaim: {
              claimName: `${tpl.metadata?.name ?? 'data'}-${podName}`,
            },
          })),
        ];
        this.create(
          'pods',
          ns,
          {
            metadata: {
              name: podName,
              labels: {
                ...clone(sts.spec.template.metadata?.labels ?? {}),
                'controller-revision-hash': revision,
                'statefulset.kubernetes.io/pod-name': podName,
                'apps.kubernetes.io/pod-index': String(i),
              },
              ownerReferences: [this.ownerRef(sts)],
            },
            spec,
          },
          true,
        );
        this.event(
          sts,
          'SuccessfulCreate',
          `create Pod ${podName} in StatefulSet ${sts.metadata.name} successful`,
          'Normal',
          'statefulset-controller',
        );
      }
    }
    for (const pod of this.list('pods', ns)) {
      const owner = (pod.metadata.ownerReferences ?? []).find(
        (r: any) => r.uid === sts.metadata.uid,
      );
      const index = Number(
        pod.metadata.labels?.['apps.kubernetes.io/pod-index'],
      );
      if (owner && index >= replicas)
        this.delete('pods', ns, pod.metadata.name);
    }
    sts.status.currentRevision = revision;
    sts.status.updateRevision = revision;
  }

  private startJob(job: any) {
    const ns = job.metadata.namespace;
    const pod = this.create(
      'pods',
      ns,
      {
        metadata: {
          name: `${job.metadata.name}-${randomSuffix(5)}`,
          labels: clone(job.spec.template.metadata?.labels ?? {}),
          ownerReferences: [this.ownerRef(job)],
        },
        spec: { restartPolicy: 'Never', ...clone(job.spec.template.spec) },
      },
      true,
    );
    this.event(
      job,
      'SuccessfulCreate',
      `Created pod: ${pod.metadata.name}`,
      'Normal',
      'job-controller',
    );
    job.status.active = 1;
  }

  private adoptPod(pod: any) {
    const now = this.ctx.now();
    const t = this.ctx.timings;
    const container = pod.spec.containers[0];
    const ownerKind = pod.metadata.ownerReferences?.[0]?.kind;
    const isJob =
      ownerKind === 'Job' ||
      pod.spec.restartPolicy === 'Never' ||
      pod.spec.restartPolicy === 'OnFailure';
    const image: string = container.image ?? '';
    const crash =
      !isJob &&
      (Boolean(digestOf(image) && this.ctx.badDigests.has(digestOf(image)!)) ||
        this.shouldCrash(pod));
    const runtime: PodRuntime = {
      createdAt: now,
      startAt: now + t.podStartMs,
      readyAt: now + t.podStartMs + t.podReadyMs,
      crash,
      script: this.scriptFor(pod, isJob),
    };
    if (isJob) {
      runtime.endAt = runtime.startAt + t.jobDurationMs;
      const env: any[] = container.env ?? [];
      const fail =
        pod.metadata.annotations?.['sandbox.autonomous.dev/fail'] === 'true' ||
        env.some(e => e.name === 'SANDBOX_FAIL' && e.value === 'true');
      runtime.succeeded = !fail;
      runtime.script.finish = fail
        ? {
            lines: [
              'error: the command failed: connection refused',
              'exit status 1',
            ],
            exitCode: 1,
          }
        : runtime.script.finish;
    }
    this.runtimes.set(pod.metadata.uid, runtime);
    pod.spec.nodeName = pod.spec.nodeName ?? 'sandbox-node-1';
    pod.spec.restartPolicy = pod.spec.restartPolicy ?? 'Always';
    pod.spec.serviceAccountName = pod.spec.serviceAccountName ?? 'default';
    pod.spec.dnsPolicy = pod.spec.dnsPolicy ?? 'ClusterFirst';
    pod.spec.terminationGracePeriodSeconds =
      pod.spec.terminationGracePeriodSeconds ?? 30;
    pod.status = {
      phase: 'Pending',
      qosClass: 'BestEffort',
      hostIP: '10.0.0.10',
      hostIPs: [{ ip: '10.0.0.10' }],
      startTime: isoSeconds(now),
    };
    this.event(
      pod,
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to sandbox-node-1`,
      'Normal',
      'default-scheduler',
    );
    this.event(pod, 'Pulling', `Pulling image "${image}"`);
    this.refreshPod(pod);
  }

  private scriptFor(pod: any, isJob: boolean): ContainerScript {
    const container = pod.spec.containers[0];
    const image: string = container.image ?? '';
    const name =
      pod.metadata.labels?.['app.kubernetes.io/name'] ?? container.name;
    if (isJob) {
      const command = [
        ...(container.command ?? []),
        ...(container.args ?? []),
      ].join(' ');
      const env: Record<string, string> = {};
      for (const e of container.env ?? [])
        if (typeof e.value === 'string') env[e.name] = e.value;
      const tool =
        /\b(pg_dump|pg_restore|pg_dumpall|psql|mysqldump|mysql|mongodump|mongorestore|redis-cli|cqlsh|nodetool|expdp|impdp|sqlcmd)\b/.exec(
          command,
        )?.[1];
      const target =
        env.BACKUP_PATH ||
        env.BACKUP_FILE ||
        env.TARGET ||
        /(?:-f|--file|>)\s*(\S+)/.exec(command)?.[1] ||
        `/backups/${pod.metadata.name}.dump`;
      const db =
        env.DATABASE ||
        env.PGDATABASE ||
        env.MYSQL_DATABASE ||
        env.DB_NAME ||
        'app';
      const restore =
        /restore|impdp/.test(tool ?? '') || /restore/i.test(pod.metadata.name);
      const bytes =
        1_000_000 +
        (parseInt(sha256Hex(pod.metadata.uid).slice(0, 6), 16) % 50_000_000);
      return {
        startup: [
          `job ${
            pod.metadata.labels?.['job-name'] ?? pod.metadata.name
          } started in namespace ${pod.metadata.namespace}`,
          `image: ${image}`,
          `+ ${command || '(image entrypoint)'}`,
          tool ? `${tool}: connecting to database "${db}"` : 'running the task',
        ],
        finish: {
          lines: restore
            ? [
                `${
                  tool ?? 'restore'
                }: restored database "${db}" from ${target} (${bytes} bytes)`,
                'restore completed',
              ]
            : [
                `${
                  tool ?? 'task'
                }: dumped database "${db}" to ${target} (${bytes} bytes)`,
                `sha256: ${sha256Hex(target + bytes)}`,
                'backup completed',
              ],
          exitCode: 0,
        },
      };
    }
    const engine = Object.keys(DATABASE_LOGS).find(
      e =>
        image.includes(e) || (e === 'postgres' && image.includes('postgresql')),
    );
    if (engine && pod.metadata.ownerReferences?.[0]?.kind === 'StatefulSet') {
      return {
        startup: DATABASE_LOGS[engine],
        repeat: [`checkpoint complete: wrote 3 buffers`],
      };
    }
    const port = container.ports?.[0]?.containerPort ?? 8080;
    return {
      startup: [
        `Starting ${name} (image ${image})`,
        `Loaded configuration for namespace ${pod.metadata.namespace}`,
        `Listening on http://0.0.0.0:${port}`,
      ],
      repeat: [
        'GET /healthz 200 1ms',
        'GET / 200 14ms',
        'GET /healthz 200 1ms',
        'GET /api/items 200 32ms',
      ],
    };
  }

  /** Brings a pod's status up to date with the clock. */
  private refreshPod(pod: any) {
    const rt = this.runtimes.get(pod.metadata.uid);
    if (!rt) return;
    const now = this.ctx.now();
    const container = pod.spec.containers[0];
    const image: string = container.image ?? '';
    const imageID = digestOf(image)
      ? image
      : `${image.split(':')[0]}@sha256:${sha256Hex(image)}`;
    const containerID = `containerd://${sha256Hex(pod.metadata.uid)}`;
    const cond = (type: string, status: boolean, at: number) => ({
      type,
      status: status ? 'True' : 'False',
      lastTransitionTime: isoSeconds(at),
    });
    const before = JSON.stringify(pod.status);
    const podIP = `10.244.0.${
      (parseInt(pod.metadata.uid.slice(0, 2), 16) % 250) + 2
    }`;
    if (now < rt.startAt) {
      pod.status = {
        ...pod.status,
        phase: 'Pending',
        conditions: [
          cond('PodReadyToStartContainers', false, rt.createdAt),
          cond('Initialized', true, rt.createdAt),
          cond('Ready', false, rt.createdAt),
          cond('ContainersReady', false, rt.createdAt),
          cond('PodScheduled', true, rt.createdAt),
        ],
        containerStatuses: [
          {
            name: container.name,
            image,
            imageID: '',
            ready: false,
            started: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
            lastState: {},
          },
        ],
      };
    } else if (rt.endAt !== undefined) {
      const done = now >= rt.endAt;
      pod.status = {
        ...pod.status,
        phase: this.jobPodPhase(done, rt),
        podIP,
        podIPs: [{ ip: podIP }],
        conditions: [
          cond('PodReadyToStartContainers', true, rt.startAt),
          cond('Initialized', true, rt.createdAt),
          cond('Ready', !done, done ? rt.endAt : rt.startAt),
          cond('ContainersReady', !done, done ? rt.endAt : rt.startAt),
          cond('PodScheduled', true, rt.createdAt),
        ],
        containerStatuses: [
          {
            name: container.name,
            image,
            imageID,
            containerID,
            ready: !done,
            started: !done,
            restartCount: 0,
            state: done
              ? {
                  terminated: {
                    exitCode: rt.script.finish?.exitCode ?? 0,
                    reason: rt.succeeded ? 'Completed' : 'Error',
                    startedAt: isoSeconds(rt.startAt),
                    finishedAt: isoSeconds(rt.endAt),
                    containerID,
                  },
                }
              : { running: { startedAt: isoSeconds(rt.startAt) } },
            lastState: {},
          },
        ],
      };
    } else if (rt.crash) {
      const restarts =
        Math.floor((now - rt.startAt) / this.ctx.timings.crashIntervalMs) + 1;
      const lastStart =
        rt.startAt + (restarts - 1) * this.ctx.timings.crashIntervalMs;
      pod.status = {
        ...pod.status,
        phase: 'Running',
        podIP,
        podIPs: [{ ip: podIP }],
        conditions: [
          cond('PodReadyToStartContainers', true, rt.startAt),
          cond('Initialized', true, rt.createdAt),
          cond('Ready', false, rt.startAt),
          cond('ContainersReady', false, rt.startAt),
          cond('PodScheduled', true, rt.createdAt),
        ],
        containerStatuses: [
          {
            name: container.name,
            image,
            imageID,
            containerID,
            ready: false,
            started: false,
            restartCount: restarts,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 10s restarting failed container=${container.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
              },
            },
            lastState: {
              terminated: {
                exitCode: 1,
                reason: 'Error',
                startedAt: isoSeconds(lastStart),
                finishedAt: isoSeconds(lastStart + 200),
                containerID,
              },
            },
          },
        ],
      };
    } else {
      const ready = now >= rt.readyAt;
      pod.status = {
        ...pod.status,
        phase: 'Running',
        podIP,
        podIPs: [{ ip: podIP }],
        conditions: [
          cond('PodReadyToStartContainers', true, rt.startAt),
          cond('Initialized', true, rt.createdAt),
          cond('Ready', ready, ready ? rt.readyAt : rt.startAt),
          cond('ContainersReady', ready, ready ? rt.readyAt : rt.startAt),
          cond('PodScheduled', true, rt.createdAt),
        ],
        containerStatuses: [
          {
            name: container.name,
            image,
            imageID,
            containerID,
            ready,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: isoSeconds(rt.startAt) } },
            lastState: {},
          },
        ],
      };
    }
    if (JSON.stringify(pod.status) !== before) {
      const wasPending = before.includes('ContainerCreating');
      if (wasPending && now >= rt.startAt) {
        this.event(
          pod,
          'Pulled',
          `Successfully pulled image "${image}" in 812ms (812ms including waiting). Image size: 48213455 bytes.`,
        );
        this.event(pod, 'Created', `Created container: ${container.name}`);
        this.event(pod, 'Started', `Started container ${container.name}`);
      }
      if (rt.crash && now >= rt.startAt) {
        this.event(
          pod,
          'BackOff',
          'Back-off restarting failed container',
          'Warning',
        );
      }
      pod.metadata.resourceVersion = this.nextVersion();
    }
  }

  private jobPodPhase(done: boolean, rt: PodRuntime): string {
    if (!done) return 'Running';
    return rt.succeeded ? 'Succeeded' : 'Failed';
  }

  /** Marks a pod's current container as crashing (used to degrade an application). */
  crashPod(pod: any) {
    const rt = this.runtimes.get(pod.metadata.uid);
    if (!rt || rt.endAt !== undefined || rt.crash) return;
    rt.crash = true;
    const now = this.ctx.now();
    if (rt.startAt < now) rt.startAt = now;
  }

  isCrashing(pod: any): boolean {
    return Boolean(this.runtimes.get(pod.metadata.uid)?.crash);
  }

  /** Advances every controller to the current time. */
  advance() {
    const now = this.ctx.now();
    for (const pod of this.list('pods')) this.refreshPod(pod);
    for (const dep of this.list('deployments')) {
      const ns = dep.metadata.namespace;
      const rss = this.list('replicasets', ns).filter(rs =>
        (rs.metadata.ownerReferences ?? []).some(
          (r: any) => r.uid === dep.metadata.uid,
        ),
      );
      let replicas = 0;
      let ready = 0;
      let updated = 0;
      const hash = this.podTemplateHash(dep.spec.template);
      for (const rs of rss) {
        const pods = this.podsOf(rs);
        const rsReady = pods.filter(p => this.podReady(p)).length;
        const status = {
          replicas: pods.length,
          fullyLabeledReplicas: pods.length,
          readyReplicas: rsReady,
          availableReplicas: rsReady,
          observedGeneration: rs.metadata.generation,
        };
        if (JSON.stringify(rs.status) !== JSON.stringify(status)) {
          rs.status = status;
          rs.metadata.resourceVersion = this.nextVersion();
        }
        replicas += pods.length;
        ready += rsReady;
        if (rs.metadata.labels?.['pod-template-hash'] === hash)
          updated += pods.length;
      }
      const complete =
        updated === dep.spec.replicas &&
        ready >= dep.spec.replicas &&
        replicas === dep.spec.replicas;
      const current = rss.find(
        rs => rs.metadata.labels?.['pod-template-hash'] === hash,
      );
      const status: any = {
        observedGeneration: dep.metadata.generation,
        replicas,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(dep.spec.replicas - ready > 0
          ? { unavailableReplicas: dep.spec.replicas - ready }
          : {}),
        conditions: [
          {
            type: 'Available',
            status: ready >= dep.spec.replicas ? 'True' : 'False',
            reason:
              ready >= dep.spec.replicas
                ? 'MinimumReplicasAvailable'
                : 'MinimumReplicasUnavailable',
            message:
              ready >= dep.spec.replicas
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
            lastUpdateTime: dep.metadata.creationTimestamp,
            lastTransitionTime: dep.metadata.creationTimestamp,
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
            message: complete
              ? `ReplicaSet "${current?.metadata.name}" has successfully progressed.`
              : `ReplicaSet "${current?.metadata.name}" is progressing.`,
            lastUpdateTime: dep.metadata.creationTimestamp,
            lastTransitionTime: dep.metadata.creationTimestamp,
          },
        ],
      };
      if (JSON.stringify(dep.status) !== JSON.stringify(status)) {
        dep.status = status;
        dep.metadata.resourceVersion = this.nextVersion();
      }
    }
    for (const sts of this.list('statefulsets')) {
      const pods = this.podsOf(sts);
      const ready = pods.filter(p => this.podReady(p)).length;
      const status = {
        ...sts.status,
        observedGeneration: sts.metadata.generation,
        replicas: pods.length,
        readyReplicas: ready,
        currentReplicas: pods.length,
        updatedReplicas: pods.length,
        availableReplicas: ready,
        collisionCount: 0,
      };
      if (JSON.stringify(sts.status) !== JSON.stringify(status)) {
        sts.status = status;
        sts.metadata.resourceVersion = this.nextVersion();
      }
    }
    for (const job of this.list('jobs')) {
      if (job.status.completionTime || job.status.failed) continue;
      const pod = this.podsOf(job)[0];
      const rt = pod && this.runtimes.get(pod.metadata.uid);
      if (!rt || rt.endAt === undefined || now < rt.endAt) continue;
      const at = isoSeconds(rt.endAt);
      if (rt.succeeded) {
        job.status = {
          startTime: job.status.startTime,
          completionTime: at,
          succeeded: 1,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            {
              type: 'SuccessCriteriaMet',
              status: 'True',
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
              lastProbeTime: at,
              lastTransitionTime: at,
            },
            {
              type: 'Complete',
              status: 'True',
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
              lastProbeTime: at,
              lastTransitionTime: at,
            },
          ],
        };
        this.event(
          job,
          'Completed',
          'Job completed',
          'Normal',
          'job-controller',
        );
      } else {
        job.status = {
          startTime: job.status.startTime,
          failed: 1,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            {
              type: 'FailureTarget',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
              lastProbeTime: at,
              lastTransitionTime: at,
            },
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
              lastProbeTime: at,
              lastTransitionTime: at,
            },
          ],
        };
        this.event(
          job,
          'BackoffLimitExceeded',
          'Job has reached the specified backoff limit',
          'Warning',
          'job-controller',
        );
      }
      job.metadata.resourceVersion = this.nextVersion();
    }
    // Endpoints follow the services' selectors.
    for (const svc of this.list('services')) {
      if (!svc.spec.selector) continue;
      const ns = svc.metadata.namespace;
      const pods = this.list('pods', ns, selectorToString(svc.spec.selector));
      const address = (p: any) => ({
        ip: p.status?.podIP ?? '0.0.0.0',
        nodeName: p.spec.nodeName,
        targetRef: {
          kind: 'Pod',
          namespace: ns,
          name: p.metadata.name,
          uid: p.metadata.uid,
        },
      });
      const running = pods.filter(
        p => p.status?.podIP && p.status.phase === 'Running',
      );
      const ready = running.filter(p => this.podReady(p)).map(address);
      const notReady = running.filter(p => !this.podReady(p)).map(address);
      const subsets =
        running.length === 0
          ? []
          : [
              {
                ...(ready.length ? { addresses: ready } : {}),
                ...(notReady.length ? { notReadyAddresses: notReady } : {}),
                ports: (svc.spec.ports ?? []).map((p: any) => ({
                  ...(p.name ? { name: p.name } : {}),
                  port:
                    typeof p.targetPort === 'number' ? p.targetPort : p.port,
                  protocol: p.protocol ?? 'TCP',
                })),
              },
            ];
      const existing = this.get('endpoints', ns, svc.metadata.name);
      if (!existing) {
        this.create(
          'endpoints',
          ns,
          {
            metadata: {
              name: svc.metadata.name,
              labels: clone(svc.metadata.labels ?? {}),
            },
            subsets,
          },
          true,
        );
      } else if (JSON.stringify(existing.subsets) !== JSON.stringify(subsets)) {
        existing.subsets = subsets;
        existing.metadata.resourceVersion = this.nextVersion();
      }
    }
  }

  podsOf(owner: any): any[] {
    return this.list('pods', owner.metadata.namespace).filter(p =>
      (p.metadata.ownerReferences ?? []).some(
        (r: any) => r.uid === owner.metadata.uid,
      ),
    );
  }

  podReady(pod: any): boolean {
    return (pod.status?.conditions ?? []).some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    );
  }

  // ---- logs ---------------------------------------------------------------------------------

  /**
   * The log lines a pod's container has written by now, with their times. `previous` gives the
   * previous (crashed) container's lines.
   */
  podLog(pod: any, previous = false): { at: number; line: string }[] {
    const rt = this.runtimes.get(pod.metadata.uid);
    const now = this.ctx.now();
    if (!rt) return [];
    const t = this.ctx.timings;
    const startup = rt.script.startup.map(l =>
      l.replace('{time}', isoSeconds(rt.startAt)),
    );
    const lines: { at: number; line: string }[] = [];
    if (rt.crash) {
      const restarts = Math.max(
        0,
        Math.floor((now - rt.startAt) / t.crashIntervalMs) + 1,
      );
      const lastStart =
        rt.startAt +
        Math.max(0, restarts - (previous ? 1 : 0) - 1) * t.crashIntervalMs;
      const crash = [
        ...startup.slice(0, 2),
        `Error: failed to start: dependency check failed (exit code 1)`,
        `    at main (/app/server.js:42:11)`,
      ];
      // Each crashed container wrote these lines and exited right after it started.
      crash.forEach((line, i) => lines.push({ at: lastStart + i, line }));
      return lines;
    }
    startup.forEach((line, i) => lines.push({ at: rt.startAt + i * 20, line }));
    if (rt.endAt !== undefined) {
      const middle = rt.startAt + (rt.endAt - rt.startAt) / 2;
      if (rt.script.finish) {
        rt.script.finish.lines.forEach((line, i) =>
          lines.push({ at: Math.max(middle, rt.endAt! - 10 + i), line }),
        );
      }
    } else if (rt.script.repeat) {
      const from = rt.startAt + startup.length * 20;
      const count = Math.min(
        2000,
        Math.max(0, Math.floor((now - from) / t.logIntervalMs)),
      );
      const first = Math.max(0, count - 1000);
      for (let i = first; i < count; i++) {
        lines.push({
          at: from + (i + 1) * t.logIntervalMs,
          line: rt.script.repeat[i % rt.script.repeat.length],
        });
      }
    }
    return lines.filter(l => l.at <= now);
  }

  hasPrevious(pod: any): boolean {
    const rt = this.runtimes.get(pod.metadata.uid);
    return Boolean(rt?.crash && this.ctx.now() >= rt.startAt);
  }

  isTerminated(pod: any): boolean {
    const rt = this.runtimes.get(pod.metadata.uid);
    return !rt || (rt.endAt !== undefined && this.ctx.now() >= rt.endAt);
  }

  waitingReason(pod: any): string | undefined {
    const rt = this.runtimes.get(pod.metadata.uid);
    if (rt && this.ctx.now() < rt.startAt) return 'ContainerCreating';
    return undefined;
  }

  dump() {
    const out: Record<string, any[]> = {};
    for (const t of RESOURCE_TYPES) {
      out[t.plural] = [...this.store.get(t.plural)!.values()].map(
        o =>
          `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${
            o.metadata.name
          }`,
      );
    }
    return out;
  }
}

// ---- HTTP ----------------------------------------------------------------------------------

function sendError(res: Response, e: unknown) {
  if (e instanceof KubeError) {
    res.status(e.code).json(e.toStatus());
    return;
  }
  res
    .status(500)
    .json(
      new KubeError(
        500,
        'InternalError',
        String((e as Error)?.message ?? e),
      ).toStatus(),
    );
}

function listKind(type: ResourceType) {
  return `${type.kind}List`;
}

export function kubernetesRouter(
  ctx: SandboxContext,
  state: KubernetesState,
): Router {
  const router = express.Router();
  router.use(
    express.json({
      type: [
        'application/json',
        'application/*+json',
        'application/apply-patch+yaml',
      ],
      limit: '5mb',
    }),
  );
  router.use((req, res, next) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token || !ctx.credentials.kubernetesTokens.includes(token)) {
      res
        .status(401)
        .json(new KubeError(401, 'Unauthorized', 'Unauthorized').toStatus());
      return;
    }
    next();
  });

  router.get('/version', (_req, res) => {
    res.json({
      major: '1',
      minor: '35',
      gitVersion: 'v1.35.0',
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2025-12-17T00:00:00Z',
      goVersion: 'go1.25.5',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
  });

  podMetricsRoutes(router, state);

  const paramsOf = (req: Request) => {
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    // /api/v1/... or /apis/{group}/{version}/...
    let group = '';
    let version: string;
    let rest: string[];
    if (parts[0] === 'api') {
      version = parts[1];
      rest = parts.slice(2);
    } else if (parts[0] === 'apis') {
      group = parts[1];
      version = parts[2];
      rest = parts.slice(3);
    } else {
      return undefined;
    }
    let ns: string | undefined;
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      plural = rest[2];
      name = rest[3];
      sub = rest[4];
    } else {
      plural = rest[0];
      name = rest[1];
      sub = rest[2];
    }
    const prefix =
      parts[0] === 'api' ? `/api/${version}` : `/apis/${group}/${version}`;
    const templ = `${prefix}${
      ns !== undefined ? '/namespaces/{namespace}' : ''
    }/${plural}${name !== undefined ? `/{name}` : ''}${sub ? `/${sub}` : ''}`;
    return {
      group,
      version,
      ns,
      plural,
      name,
      sub,
      templ:
        plural === 'namespaces' && name ? `${prefix}/namespaces/{name}` : templ,
    };
  };

  router.use(async (req, res) => {
    const p = paramsOf(req);
    if (!p || !p.plural) {
      res
        .status(404)
        .json(
          new KubeError(
            404,
            'NotFound',
            'the server could not find the requested resource',
          ).toStatus(),
        );
      return;
    }
    res.locals.template = p.templ;
    try {
      const type = state.type(p.plural);
      if (type.group !== p.group || type.version !== p.version) {
        throw new KubeError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      }
      const ns = type.namespaced ? p.ns : undefined;
      if (p.sub === 'log' && type.plural === 'pods' && req.method === 'GET') {
        await podLog(ctx, state, req, res, ns!, p.name!);
        return;
      }
      if (p.sub && p.sub !== 'status') {
        throw new KubeError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      }
      if (p.name === undefined) {
        if (req.method === 'GET') {
          const items = state.list(
            type.plural,
            ns,
            typeof req.query.labelSelector === 'string'
              ? req.query.labelSelector
              : undefined,
            typeof req.query.fieldSelector === 'string'
              ? req.query.fieldSelector
              : undefined,
          );
          const limit = Number(req.query.limit ?? 0);
          res.json({
            kind: listKind(type),
            apiVersion: apiVersionOf(type),
            metadata: { resourceVersion: state.currentVersion() },
            items: limit > 0 ? items.slice(0, limit) : items,
          });
          return;
        }
        if (req.method === 'POST') {
          if (type.namespaced && !ns)
            throw new KubeError(
              405,
              'MethodNotAllowed',
              'the server does not allow this method on the requested resource',
            );
          const obj = state.create(type.plural, ns, req.body);
          res.status(201).json(obj);
          return;
        }
        throw new KubeError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
      }
      switch (req.method) {
        case 'GET':
          res.json(state.mustGet(type.plural, ns, p.name));
          return;
        case 'PUT':
          res.json(state.replace(type.plural, ns, p.name, req.body));
          return;
        case 'PATCH':
          res.json(
            state.patch(
              type.plural,
              ns,
              p.name,
              String(req.headers['content-type'] ?? ''),
              req.body,
            ),
          );
          return;
        case 'DELETE': {
          const obj = state.delete(type.plural, ns, p.name);
          if (
            ['pods', 'namespaces', 'persistentvolumeclaims'].includes(
              type.plural,
            )
          ) {
            res.json(obj);
          } else {
            res.json({
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Success',
              details: {
                name: p.name,
                ...(type.group ? { group: type.group } : {}),
                kind: type.plural,
                uid: obj.metadata.uid,
              },
            });
          }
          return;
        }
        default:
          throw new KubeError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
      }
    } catch (e) {
      sendError(res, e);
    }
  });
  return router;
}

async function podLog(
  ctx: SandboxContext,
  state: KubernetesState,
  req: Request,
  res: Response,
  ns: string,
  name: string,
) {
  const pod = state.mustGet('pods', ns, name);
  const containers: string[] = pod.spec.containers.map((c: any) => c.name);
  const container =
    typeof req.query.container === 'string' ? req.query.container : undefined;
  if (!container && containers.length > 1) {
    throw new KubeError(
      400,
      'BadRequest',
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(
        ' ',
      )}]`,
    );
  }
  if (container && !containers.includes(container)) {
    throw new KubeError(
      400,
      'BadRequest',
      `container ${container} is not valid for pod ${name}`,
    );
  }
  const cname = container ?? containers[0];
  const previous = req.query.previous === 'true';
  if (previous && !state.hasPrevious(pod)) {
    throw new KubeError(
      400,
      'BadRequest',
      `previous terminated container "${cname}" in pod "${name}" not found`,
    );
  }
  const waiting = state.waitingReason(pod);
  if (waiting) {
    throw new KubeError(
      400,
      'BadRequest',
      `container "${cname}" in pod "${name}" is waiting to start: ${waiting}`,
    );
  }
  const timestamps = req.query.timestamps === 'true';
  const format = (l: { at: number; line: string }) =>
    `${
      timestamps
        ? `${new Date(l.at)
            .toISOString()
            .replace(/\.(\d{3})Z$/, '.$1000000Z')} `
        : ''
    }${l.line}\n`;
  let lines = state.podLog(pod, previous);
  const sinceSeconds = Number(req.query.sinceSeconds ?? 0);
  if (sinceSeconds > 0)
    lines = lines.filter(l => l.at >= ctx.now() - sinceSeconds * 1000);
  if (typeof req.query.sinceTime === 'string') {
    const since = Date.parse(req.query.sinceTime);
    if (!Number.isNaN(since)) lines = lines.filter(l => l.at >= since);
  }
  const tail =
    req.query.tailLines !== undefined ? Number(req.query.tailLines) : -1;
  if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
  let text = lines.map(format).join('');
  const limitBytes = Number(req.query.limitBytes ?? 0);
  if (limitBytes > 0)
    text = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
  res.status(200).type('text/plain');
  if (req.query.follow !== 'true' || previous) {
    res.send(text);
    return;
  }
  res.setHeader('Transfer-Encoding', 'chunked');
  res.write(text);
  let sent = state.podLog(pod).length;
  let closed = false;
  req.on('close', () => {
    closed = true;
  });
  const interval = Math.max(20, Math.min(500, ctx.timings.logIntervalMs));
  while (!closed) {
    await new Promise(r => setTimeout(r, interval));
    state.advance();
    const current = state.get('pods', ns, name);
    if (!current) break;
    const all = state.podLog(current);
    if (all.length > sent) {
      res.write(all.slice(sent).map(format).join(''));
      sent = all.length;
    }
    if (state.isTerminated(current) || state.isCrashing(current)) break;
  }
  res.end();
}
