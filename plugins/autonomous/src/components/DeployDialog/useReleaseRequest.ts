import { useCallback, useState } from 'react';
import { ResponseError } from '@backstage/errors';
import {
  Release,
  ReleaseConflictPolicy,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { errorMessage } from '../../errorMessage';

export interface ReleaseRequestState {
  busy: boolean;
  /** Why the last attempt failed. */
  error?: string;
  /** The backend's 409 message: a release is in flight for the environment. */
  conflict?: string;
}

function isConflict(error: unknown): boolean {
  return (
    (error instanceof ResponseError ||
      (error as Error)?.name === 'ResponseError') &&
    (error as ResponseError).statusCode === 409
  );
}

/**
 * Sends a request that starts a release. A first 409 is not a failure to the user: the
 * backend names the release in flight, and the dialog offers to queue after it or to cancel
 * it, resending the same request with that choice.
 */
export function useReleaseRequest(
  send: (onConflict?: ReleaseConflictPolicy) => Promise<Release>,
  onStarted: (release: Release) => void,
) {
  const [state, setState] = useState<ReleaseRequestState>({ busy: false });

  const submit = useCallback(
    async (onConflict?: ReleaseConflictPolicy) => {
      setState(previous => ({
        busy: true,
        conflict: onConflict ? previous.conflict : undefined,
      }));
      try {
        const release = await send(onConflict);
        setState({ busy: false });
        onStarted(release);
      } catch (error) {
        if (!onConflict && isConflict(error)) {
          setState({ busy: false, conflict: errorMessage(error as Error) });
        } else {
          setState(previous => ({
            busy: false,
            conflict: previous.conflict,
            error: errorMessage(error as Error),
          }));
        }
      }
    },
    [send, onStarted],
  );

  const reset = useCallback(() => setState({ busy: false }), []);

  return { ...state, submit, reset };
}
