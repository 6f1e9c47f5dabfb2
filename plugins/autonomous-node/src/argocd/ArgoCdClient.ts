import { ArgoCdInstanceConfig } from '../config';
import {
  UpstreamClientOptions,
  cachedRead,
  httpOptions,
} from '../clientOptions';
import { UpstreamHttp } from '../http';
import { readCacheKey } from '../cache/ReadCache';
import { encodePathSegment } from '../pathSegment';
import { operationInProgressOr } from './errors';
import {
  ArgoCdApplication,
  ArgoCdApplicationSpecInput,
  ArgoCdHelmParameter,
  ArgoCdManagedResource,
  ArgoCdResourceTree,
  ArgoCdSyncOptions,
} from './types';

const enc = (name: string) =>
  encodePathSegment(name, 'the ArgoCD application name');

/**
 * ArgoCD over its REST API (`/api/v1`) with a bearer token. Reads go through the shared read
 * cache; writes invalidate the application they touch.
 *
 * @public
 */
export class ArgoCdClient {
  private readonly http: UpstreamHttp;

  constructor(
    private readonly instance: ArgoCdInstanceConfig,
    private readonly options: UpstreamClientOptions = {},
  ) {
    this.http = new UpstreamHttp({
      system: 'argocd',
      baseUrl: instance.url,
      secrets: [instance.token],
      authHeaders: (): Record<string, string> =>
        instance.token ? { Authorization: `Bearer ${instance.token}` } : {},
      ...httpOptions(options),
    });
  }

  get instanceName(): string {
    return this.instance.name;
  }

  private key(app: string, operation: string) {
    return readCacheKey('argocd', this.instance.name, `app/${app}`, operation);
  }

  private async invalidate(app: string) {
    await this.options.cache?.invalidate(
      readCacheKey('argocd', this.instance.name, `app/${app}`, ''),
    );
  }

  /** Creates the Application, or updates its spec when it exists (`upsert=true`). */
  async upsertApplication(
    input: ArgoCdApplicationSpecInput,
  ): Promise<ArgoCdApplication> {
    const automated =
      input.automatedSync === true
        ? { prune: true, selfHeal: true }
        : input.automatedSync || undefined;
    const body = {
      metadata: {
        name: input.name,
        ...(input.appNamespace ? { namespace: input.appNamespace } : {}),
        ...(input.labels ? { labels: input.labels } : {}),
      },
      spec: {
        project: input.project ?? 'default',
        source: {
          repoURL: input.repoURL,
          targetRevision: input.targetRevision,
          ...(input.chart ? { chart: input.chart } : {}),
          ...(input.path ? { path: input.path } : {}),
          helm: {
            ...(input.releaseName ? { releaseName: input.releaseName } : {}),
            ...(input.helmValues ? { values: input.helmValues } : {}),
            parameters: input.helmParameters ?? [],
          },
        },
        destination: {
          namespace: input.destinationNamespace,
          ...(input.destinationName
            ? { name: input.destinationName }
            : {
                server:
                  input.destinationServer ?? 'https://kubernetes.default.svc',
              }),
        },
        syncPolicy: {
          ...(automated ? { automated } : {}),
          syncOptions: ['CreateNamespace=true'],
        },
      },
    };
    // Upsert is a full replace of the spec: repeating it converges to the same state.
    const res = await this.http.request({
      method: 'POST',
      path: '/api/v1/applications',
      query: { upsert: true },
      body,
      idempotent: true,
      operation: `create or update of application "${input.name}"`,
    });
    await this.invalidate(input.name);
    return res.json<ArgoCdApplication>();
  }

  /** The application with its sync status, health, operation state, history and images. */
  async getApplication(
    name: string,
    options: { appNamespace?: string } = {},
  ): Promise<ArgoCdApplication> {
    const operation = options.appNamespace
      ? `get/${options.appNamespace}`
      : 'get';
    return cachedRead(
      this.options.cache,
      this.key(name, operation),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: `/api/v1/applications/${enc(name)}`,
          query: { appNamespace: options.appNamespace },
          operation: `read of application "${name}"`,
        });
        return res.json<ArgoCdApplication>();
      },
    );
  }

  /** Asks ArgoCD to compare with Git again (`hard` also drops its manifest cache). */
  async refreshApplication(
    name: string,
    mode: 'normal' | 'hard' = 'normal',
  ): Promise<ArgoCdApplication> {
    const res = await this.http.request({
      method: 'GET',
      path: `/api/v1/applications/${enc(name)}`,
      query: { refresh: mode },
      operation: `${mode} refresh of application "${name}"`,
    });
    await this.invalidate(name);
    return res.json<ArgoCdApplication>();
  }

  /**
   * Asks ArgoCD to sync. While another operation runs on the application it throws
   * {@link ArgoCdOperationInProgressError} (`isOperationInProgress`), which callers may wait out.
   */
  async sync(
    name: string,
    options: ArgoCdSyncOptions = {},
  ): Promise<ArgoCdApplication> {
    try {
      const res = await this.http.request({
        method: 'POST',
        path: `/api/v1/applications/${enc(name)}/sync`,
        body: {
          name,
          ...(options.prune !== undefined ? { prune: options.prune } : {}),
          ...(options.revision ? { revision: options.revision } : {}),
          ...(options.dryRun ? { dryRun: true } : {}),
        },
        operation: `sync of application "${name}"`,
      });
      return res.json<ArgoCdApplication>();
    } catch (e) {
      throw operationInProgressOr(name, e);
    } finally {
      await this.invalidate(name);
    }
  }

  /**
   * Sets Helm parameters by name, keeping the others. A JSON merge patch replaces arrays
   * whole, so the current list is read first and the merged list is sent.
   */
  async setHelmParameters(
    name: string,
    parameters: ArgoCdHelmParameter[],
  ): Promise<ArgoCdApplication> {
    const res = await this.http.request({
      method: 'GET',
      path: `/api/v1/applications/${enc(name)}`,
      operation: `read of application "${name}"`,
    });
    const current =
      res.json<ArgoCdApplication>().spec.source?.helm?.parameters ?? [];
    const merged = [...current];
    for (const parameter of parameters) {
      const index = merged.findIndex(p => p.name === parameter.name);
      if (index >= 0) merged[index] = parameter;
      else merged.push(parameter);
    }
    return this.patchApplication(
      name,
      { spec: { source: { helm: { parameters: merged } } } },
      `update of Helm parameters of application "${name}"`,
    );
  }

  /** Turns automated sync on (with prune and self-heal) or off. */
  async setAutomatedSync(
    name: string,
    enabled: boolean,
  ): Promise<ArgoCdApplication> {
    return this.patchApplication(
      name,
      {
        spec: {
          syncPolicy: {
            automated: enabled ? { prune: true, selfHeal: true } : null,
          },
        },
      },
      `${
        enabled ? 'enabling' : 'disabling'
      } automated sync of application "${name}"`,
    );
  }

  /** `PATCH /api/v1/applications/{name}` with `{ patch: <JSON text>, patchType: 'merge' }`. */
  async patchApplication(
    name: string,
    mergePatch: object,
    operation = `update of application "${name}"`,
  ): Promise<ArgoCdApplication> {
    try {
      const res = await this.http.request({
        method: 'PATCH',
        path: `/api/v1/applications/${enc(name)}`,
        body: { name, patch: JSON.stringify(mergePatch), patchType: 'merge' },
        // A merge patch with absolute values is safe to repeat.
        idempotent: true,
        operation,
      });
      return res.json<ArgoCdApplication>();
    } finally {
      await this.invalidate(name);
    }
  }

  async getResourceTree(name: string): Promise<ArgoCdResourceTree> {
    return cachedRead(
      this.options.cache,
      this.key(name, 'resource-tree'),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: `/api/v1/applications/${enc(name)}/resource-tree`,
          operation: `read of the resource tree of application "${name}"`,
        });
        return res.json<ArgoCdResourceTree>();
      },
    );
  }

  /**
   * Every resource the application manages, with its live and desired state as ArgoCD compares
   * them (`modified` marks the ones that differ). The states are JSON text.
   */
  async getManagedResources(name: string): Promise<ArgoCdManagedResource[]> {
    return cachedRead(
      this.options.cache,
      this.key(name, 'managed-resources'),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: `/api/v1/applications/${enc(name)}/managed-resources`,
          operation: `read of the managed resources of application "${name}"`,
        });
        return res.json<{ items?: ArgoCdManagedResource[] }>().items ?? [];
      },
    );
  }

  /** Stops the running sync operation. */
  async terminateOperation(name: string): Promise<void> {
    try {
      await this.http.request({
        method: 'DELETE',
        path: `/api/v1/applications/${enc(name)}/operation`,
        operation: `termination of the operation of application "${name}"`,
      });
    } finally {
      await this.invalidate(name);
    }
  }

  /** Deletes the application; with `cascade` (the default) its resources go too. */
  async deleteApplication(
    name: string,
    options: { cascade?: boolean } = {},
  ): Promise<void> {
    try {
      await this.http.request({
        method: 'DELETE',
        path: `/api/v1/applications/${enc(name)}`,
        query: { cascade: options.cascade ?? true },
        operation: `deletion of application "${name}"`,
        acceptStatus: [404],
      });
    } finally {
      await this.invalidate(name);
    }
  }
}
