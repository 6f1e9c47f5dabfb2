import type { SandboxContext } from '../context.ts';
import {
  clone,
  isoSeconds,
  jsonPatch,
  mergePatch,
  randomSuffix,
  strategicMergePatch,
  uuid,
} from '../util.ts';
import { applyDefaults } from './defaults.ts';
import { KubeError, notFound } from './errors.ts';
import {
  matchesFieldSelector,
  matchesLabels,
  parseLabelSelector,
} from './selectors.ts';
import { apiVersionOf, BY_KIND, BY_PLURAL, RESOURCE_TYPES } from './types.ts';
import type { ResourceType } from './types.ts';
import { validate } from './validation.ts';

/** What the controllers do when an object changes. */
export interface StoreHooks {
  /** After an object is created (`created`) or written. */
  written(type: ResourceType, obj: any, created: boolean): void;
  /** After an object is deleted by name (and its owned objects with it). */
  deleted(type: ResourceType, obj: any): void;
}

/**
 * The API server's objects: create, read, replace, patch and delete with the API server's
 * validation, defaults, resource versions, generations and owner garbage collection.
 */
export class KubeStore {
  readonly ctx: SandboxContext;
  private readonly hooks: StoreHooks;
  private resourceVersion = 1000;
  private ipCounter = 10;
  /** plural → key (`ns/name` or `name`) → object */
  private readonly objects = new Map<string, Map<string, any>>();

  constructor(ctx: SandboxContext, hooks: StoreHooks) {
    this.ctx = ctx;
    this.hooks = hooks;
    for (const t of RESOURCE_TYPES) this.objects.set(t.plural, new Map());
  }

  private allocateClusterIP(): string {
    return `10.96.${Math.floor(this.ipCounter / 250)}.${
      (this.ipCounter++ % 250) + 1
    }`;
  }

  private key(type: ResourceType, ns: string | undefined, name: string) {
    return type.namespaced ? `${ns}/${name}` : name;
  }

  nextVersion(): string {
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
    return this.objects.get(plural)!.get(this.key(type, ns, name));
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
    return [...this.objects.get(plural)!.values()]
      .filter(o => !ns || o.metadata.namespace === ns)
      .filter(o => matchesLabels(o.metadata.labels, reqs))
      .filter(o => !fieldSelector || matchesFieldSelector(o, fieldSelector));
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
    validate(type, obj);
    const k = this.key(type, ns, obj.metadata.name);
    if (this.objects.get(plural)!.has(k)) {
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
      [
        'deployments',
        'statefulsets',
        'replicasets',
        'jobs',
        'cronjobs',
      ].includes(plural)
    ) {
      obj.metadata.generation = 1;
    }
    applyDefaults(this.ctx, type, obj, () => this.allocateClusterIP());
    this.objects.get(plural)!.set(k, obj);
    this.hooks.written(type, obj, true);
    return obj;
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
    validate(type, obj);
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
    this.objects
      .get(type.plural)!
      .set(this.key(type, obj.metadata.namespace, obj.metadata.name), obj);
    this.hooks.written(type, obj, false);
    return obj;
  }

  delete(plural: string, ns: string | undefined, name: string): any {
    const type = this.type(plural);
    const obj = this.mustGet(plural, ns, name);
    this.objects.get(plural)!.delete(this.key(type, ns, name));
    this.resourceVersion++;
    if (plural === 'namespaces') {
      for (const t of RESOURCE_TYPES) {
        if (!t.namespaced) continue;
        for (const o of this.list(t.plural, name)) {
          this.objects
            .get(t.plural)!
            .delete(this.key(t, name, o.metadata.name));
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
    this.hooks.deleted(type, obj);
    return obj;
  }

  dump() {
    const out: Record<string, any[]> = {};
    for (const t of RESOURCE_TYPES) {
      out[t.plural] = [...this.objects.get(t.plural)!.values()].map(
        o =>
          `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${
            o.metadata.name
          }`,
      );
    }
    return out;
  }
}
