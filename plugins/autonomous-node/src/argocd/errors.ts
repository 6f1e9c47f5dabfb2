import { UpstreamError } from '../errors';

/*
 * ArgoCD's API server (util/argo SetAppOperation) refuses an operation while the application
 * has one: gRPC FailedPrecondition (code 9), which its REST gateway answers as 400 with
 * `{"error": …, "code": 9, "message": …}`; since 2.x the server wraps the text as
 * "error setting app operation: another operation is already in progress". Some proxies and
 * older servers answer 409. The text is the one thing every version shares.
 */
const IN_PROGRESS = /another operation is already in progress/i;

/**
 * ArgoCD refused a sync because another operation (a sync, a rollback) is running on the
 * application. It ends by itself: wait for it, or tell the person to try again when it ends.
 * Its `name` stays `UpstreamError`, so whatever handles upstream failures handles it too.
 *
 * @public
 */
export class ArgoCdOperationInProgressError extends UpstreamError {
  /** The application that is busy. */
  readonly application: string;

  constructor(application: string, refused: UpstreamError) {
    super({
      system: 'argocd',
      operation: refused.operation,
      status: refused.status,
      reason: refused.reason,
      retryable: false,
    });
    this.application = application;
  }

  override get isOperationInProgress(): boolean {
    return true;
  }
}

/** The typed error when ArgoCD's refusal says an operation is running, else the error as is. */
export function operationInProgressOr(
  application: string,
  error: unknown,
): unknown {
  if (
    error instanceof UpstreamError &&
    error.system === 'argocd' &&
    error.status !== undefined &&
    error.status < 500 &&
    IN_PROGRESS.test(error.reason)
  ) {
    return new ArgoCdOperationInProgressError(application, error);
  }
  return error;
}
