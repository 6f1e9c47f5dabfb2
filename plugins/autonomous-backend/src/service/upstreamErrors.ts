import { isUpstreamError } from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * An upstream failure as the caller's error. The backend's error handler answers with any
 * error's own `status`, so an UpstreamError would pass Jenkins', ArgoCD's or Kubernetes'
 * status through: a 401 from a misconfigured token would read as "you are signed out".
 * 404 stays 404; 400 and 409 (the upstream refused in its current state) become 409;
 * anything else is a 503 that names the upstream and its reason.
 */
export function asCallerError(error: unknown): unknown {
  if (!isUpstreamError(error)) return error;
  if (error.status === 404) return new NotFoundError(error.message);
  if (error.status === 400 || error.status === 409) {
    return new ConflictError(error.message);
  }
  return new ServiceUnavailableError(error.message);
}
