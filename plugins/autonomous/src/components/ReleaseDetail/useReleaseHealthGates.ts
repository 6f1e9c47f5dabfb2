import { useEffect, useRef } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { autonomousApiRef } from '../../api';
import { useLiveAsync, useLiveReleaseUpdates } from '../../hooks';

/** The longest a chart waits for the next sample while a gate is still being evaluated. */
const MAX_POLL_MS = 15_000;

/**
 * A release's health gates with what they observed. Read again whenever the release moved
 * (`moves` changes) and on the release signal of its entity, which the backend sends for each
 * gate sample and verdict; without signals, every interval of the fastest gate while a gate is
 * still evaluated.
 */
export function useReleaseHealthGates(
  entityRef: string,
  releaseId: string,
  moves: number,
) {
  const api = useApi(autonomousApiRef);
  const state = useLiveAsync(
    () => api.getReleaseHealthGates(releaseId),
    [api, releaseId],
  );
  const { refresh } = state;
  const seenMoves = useRef(moves);
  useEffect(() => {
    if (moves === seenMoves.current) return;
    seenMoves.current = moves;
    refresh();
  }, [moves, refresh]);
  const pending = [
    ...(state.value?.gates ?? []),
    ...(state.value?.steps ?? []).flatMap(step => step.gates),
  ].filter(g => g.verdict === 'pending');
  const pollMs = pending.length
    ? Math.min(
        MAX_POLL_MS,
        Math.max(1_000, ...pending.map(g => g.intervalSeconds * 1000)),
      )
    : undefined;
  const signalled = useLiveReleaseUpdates({
    entityRef,
    releaseId,
    // The interval below is the fallback: it follows the gates' own pace.
    inFlight: false,
    onUpdate: () => refresh(),
  });
  useEffect(() => {
    if (!pollMs || signalled) return undefined;
    const timer = setInterval(refresh, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, signalled, refresh]);
  return state;
}
