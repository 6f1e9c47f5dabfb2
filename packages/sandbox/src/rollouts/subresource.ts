import type { KubernetesState } from '../kubernetes/state.ts';
import { KubeError } from '../kubernetes/errors.ts';
import { clone, jsonPatch, mergePatch } from '../util.ts';

/**
 * A PATCH of a Rollout, with the status subresource the CRD declares: through `/status` only
 * `status` changes, through the object itself everything but `status` (the API server's rule
 * for a custom resource with `subresources.status`). `kubectl argo rollouts promote` and `abort`
 * depend on it: they patch `status` through `/status` and `spec.paused` through the object.
 */
export function patchRollout(
  state: KubernetesState,
  ns: string | undefined,
  name: string,
  sub: string | undefined,
  contentType: string,
  patch: any,
): any {
  const existing = state.mustGet('rollouts', ns, name);
  let patched: any;
  try {
    if (contentType.includes('json-patch')) {
      if (!Array.isArray(patch)) {
        throw new Error('a JSON patch must be an array of operations');
      }
      patched = jsonPatch(existing, patch);
    } else if (
      contentType.includes('merge-patch') ||
      contentType.includes('apply-patch')
    ) {
      patched = mergePatch(existing, patch);
    } else {
      // Custom resources take no strategic merge patch.
      throw new KubeError(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
    }
  } catch (e) {
    if (e instanceof KubeError) throw e;
    throw new KubeError(422, 'Invalid', String((e as Error).message));
  }
  const next =
    sub === 'status'
      ? { ...clone(existing), status: patched.status ?? {} }
      : { ...patched, status: clone(existing.status) };
  next.metadata = { ...next.metadata, resourceVersion: undefined };
  return state.replace('rollouts', ns, name, next);
}
