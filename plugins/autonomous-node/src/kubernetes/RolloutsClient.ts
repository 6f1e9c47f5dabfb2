import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { KubernetesInstanceConfig } from '../config';
import {
  UpstreamClientOptions,
  cachedRead,
  httpOptions,
} from '../clientOptions';
import { UpstreamError } from '../errors';
import { callWithRetries } from '../http';
import { readCacheKey } from '../cache/ReadCache';
import { toKubernetesError } from './errors';
import { KubernetesTransport, kubeConfigFor } from './transport';
import { ArgoRollout } from './rolloutTypes';

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';
const PLURAL = 'rollouts';

/**
 * Argo Rollouts' `Rollout` resources on one cluster: read, promote, abort and pause, with the
 * patches `kubectl argo rollouts` sends (argo-rollouts v1.9 `cmd/promote/promote.go`,
 * `cmd/abort/abort.go`, `cmd/pause/pause.go`): the status through the `/status` subresource, `spec.paused` through
 * the object, both as JSON merge patches.
 *
 * @public
 */
export class RolloutsClient {
  private readonly custom: CustomObjectsApi;

  constructor(
    private readonly instance: KubernetesInstanceConfig,
    private readonly options: UpstreamClientOptions = {},
    transport?: KubernetesTransport,
  ) {
    const shared =
      transport ??
      new KubernetesTransport(
        instance,
        kubeConfigFor(instance),
        httpOptions(options).timeoutMs,
        options.fetch,
      );
    this.custom = new CustomObjectsApi(shared.configuration());
  }

  /** The Rollout, or undefined when there is none (cached like every read). */
  async getRollout(
    namespace: string,
    name: string,
  ): Promise<ArgoRollout | undefined> {
    return this.notFoundAsUndefined(
      cachedRead(
        this.options.cache,
        readCacheKey(
          'kubernetes',
          this.instance.name,
          this.object(namespace, name),
          'get',
        ),
        () => this.fetchRollout(namespace, name),
      ),
    );
  }

  /**
   * `kubectl argo rollouts promote [--full]`: without `full`, clears the pause conditions (and
   * `spec.paused`), or, when nothing pauses a canary, moves it past its current step; with
   * `full`, sets `status.promoteFull` unless the rollout is already fully promoted. Reads the
   * Rollout fresh first and answers it as it is after the patches.
   */
  async promote(
    namespace: string,
    name: string,
    options: { full?: boolean } = {},
  ): Promise<ArgoRollout> {
    const current = await this.fetchRollout(namespace, name);
    const { specPatch, statusPatch } = promotePatches(
      current,
      Boolean(options.full),
    );
    let result = current;
    try {
      if (statusPatch) {
        result = await this.patch(
          namespace,
          name,
          'status',
          statusPatch,
          'promotion',
        );
      }
      if (specPatch) {
        result = await this.patch(
          namespace,
          name,
          'object',
          specPatch,
          'promotion',
        );
      }
    } finally {
      await this.invalidate(namespace, name);
    }
    return result;
  }

  /** `kubectl argo rollouts abort`: `status.abort=true`, back to the stable version. */
  async abort(namespace: string, name: string): Promise<ArgoRollout> {
    try {
      return await this.patch(
        namespace,
        name,
        'status',
        { status: { abort: true } },
        'abort',
      );
    } finally {
      await this.invalidate(namespace, name);
    }
  }

  /**
   * `kubectl argo rollouts pause` (`spec.paused=true`), or its undoing: while paused the
   * controller completes no step, so a timed canary pause does not end on its own. With
   * `annotations`, the same patch says on the Rollout who paused it and why.
   */
  async setPaused(
    namespace: string,
    name: string,
    paused: boolean,
    annotations?: Record<string, string>,
  ): Promise<ArgoRollout> {
    try {
      return await this.patch(
        namespace,
        name,
        'object',
        { spec: { paused }, ...(annotations && { metadata: { annotations } }) },
        paused ? 'pause' : 'unpause',
      );
    } finally {
      await this.invalidate(namespace, name);
    }
  }

  private object(namespace: string, name: string) {
    return `argo-rollout/${namespace}/${name}`;
  }

  private fetchRollout(namespace: string, name: string): Promise<ArgoRollout> {
    return this.call(
      `read of rollout "${namespace}/${name}"`,
      async () =>
        (await this.custom.getNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: PLURAL,
          name,
        })) as ArgoRollout,
    );
  }

  private patch(
    namespace: string,
    name: string,
    target: 'status' | 'object',
    body: object,
    what: string,
  ): Promise<ArgoRollout> {
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const request = {
      group: GROUP,
      version: VERSION,
      namespace,
      plural: PLURAL,
      name,
      body,
    };
    // Absolute values (a cleared list, a flag, a step index): sending one twice does no harm.
    return this.call(
      `${what} of rollout "${namespace}/${name}"`,
      async () =>
        (target === 'status'
          ? await this.custom.patchNamespacedCustomObjectStatus(request, merge)
          : await this.custom.patchNamespacedCustomObject(
              request,
              merge,
            )) as ArgoRollout,
    );
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return callWithRetries(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw toKubernetesError(operation, error, {
            secrets: [this.instance.token],
            timeoutMs: httpOptions(this.options).timeoutMs,
          });
        }
      },
      { ...httpOptions(this.options), idempotent: true },
    );
  }

  private async invalidate(namespace: string, name: string) {
    await this.options.cache?.invalidate(
      readCacheKey(
        'kubernetes',
        this.instance.name,
        this.object(namespace, name),
        '',
      ),
    );
  }

  private async notFoundAsUndefined<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (error) {
      if ((error as UpstreamError).status === 404) return undefined;
      throw error;
    }
  }
}

/** The patches `kubectl argo rollouts promote` sends for this Rollout (getPatches). */
export function promotePatches(
  rollout: ArgoRollout,
  full: boolean,
): { specPatch?: object; statusPatch?: object } {
  if (full) {
    return rollout.status?.currentPodHash !== rollout.status?.stableRS
      ? { statusPatch: { status: { promoteFull: true } } }
      : {};
  }
  const specPatch = rollout.spec.paused
    ? { spec: { paused: false } }
    : undefined;
  if (rollout.status?.pauseConditions?.length) {
    return { specPatch, statusPatch: { status: { pauseConditions: null } } };
  }
  const steps = rollout.spec.strategy.canary?.steps;
  if (rollout.spec.strategy.canary && steps?.length) {
    let index = rollout.status?.currentStepIndex ?? 0;
    if (index < steps.length) index++;
    return {
      specPatch,
      statusPatch: {
        status: { pauseConditions: null, currentStepIndex: index },
      },
    };
  }
  return { specPatch };
}
