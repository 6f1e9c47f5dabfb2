import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** The state of data that is loaded once and then kept current in the background. */
export interface LiveAsyncState<T> {
  value?: T;
  /** Why the last load the user waited for failed; cleared by the next success. */
  error?: Error;
  /** A load the user waits for is running (the first one, or one after the inputs changed). */
  loading: boolean;
  /** Why the last background refresh failed while the previous value stays shown. */
  staleError?: Error;
  /** Load again in the background: the shown value stays until the new one is there. */
  refresh: () => void;
  /** Load again as the user asked to, showing progress. */
  retry: () => void;
}

/**
 * Like react-use's useAsyncRetry, but with a quiet `refresh` for live updates: a signal or a
 * poll must not blank the page or flash a spinner, and an answer that arrives after a newer
 * request was sent is dropped so the page never goes back in time.
 */
export function useLiveAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): LiveAsyncState<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    staleError?: Error;
    loading: boolean;
  }>({ loading: true });
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback((background: boolean) => {
    const request = ++latest.current;
    if (!background) {
      setState(previous => ({ ...previous, loading: true }));
    }
    loadRef.current().then(
      value => {
        if (request === latest.current) {
          setState({ value, loading: false });
        }
      },
      (error: Error) => {
        if (request !== latest.current) {
          return;
        }
        setState(previous =>
          background && previous.value !== undefined
            ? { ...previous, staleError: error }
            : { ...previous, error, loading: false },
        );
      },
    );
  }, []);

  useEffect(() => {
    run(false);
    // Drop answers to requests made for the previous inputs.
    const requests = latest;
    return () => {
      requests.current++;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const refresh = useCallback(() => run(true), [run]);
  const retry = useCallback(() => run(false), [run]);
  return { ...state, refresh, retry };
}
