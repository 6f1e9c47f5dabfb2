import { ApiException } from '@kubernetes/client-node';
import { UpstreamError, reasonFromBody, scrubSecrets } from '../errors';

/** Turns what the generated API or the transport threw into an {@link UpstreamError}. */
export function toKubernetesError(
  operation: string,
  error: unknown,
  options: { secrets: Array<string | undefined>; timeoutMs: number },
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof ApiException) {
    const body =
      typeof error.body === 'string'
        ? error.body
        : JSON.stringify(error.body ?? '');
    // For statuses its spec declares (401, and 201/200 variants) the generated code
    // drops the Status body and keeps only a word in its message.
    const fallback =
      /\nMessage: (.*)\n/.exec(error.message)?.[1] ?? 'no reason given';
    return new UpstreamError({
      system: 'kubernetes',
      operation,
      status: error.code,
      reason: scrubSecrets(
        reasonFromBody(body === '""' ? '' : body, fallback),
        options.secrets,
      ),
    });
  }
  const err = error as {
    name?: string;
    message?: string;
    cause?: { code?: string };
  };
  const timedOut = err?.name === 'TimeoutError' || err?.name === 'AbortError';
  // Never keep the original error as a cause: it may carry the request headers.
  return new UpstreamError({
    system: 'kubernetes',
    operation,
    reason: timedOut
      ? `no answer within ${options.timeoutMs} ms`
      : `could not reach the API server: ${scrubSecrets(
          String(err?.cause?.code ?? err?.message ?? 'network error'),
          options.secrets,
        )}`,
    retryable: true,
  });
}
