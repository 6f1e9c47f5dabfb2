import { DependencyList, useEffect, useState } from 'react';

/** Where log text comes from: all at once, or chunk by chunk until the source ends. */
export type LogSource = (
  signal: AbortSignal,
) => AsyncIterable<string> | Promise<string>;

/** A followed log keeps at most this many characters; the download has all of it. */
export const MAX_SHOWN_LOG_CHARS = 2_000_000;
const DROPPED_NOTICE =
  '… earlier output is not shown here; download the log to read all of it.\n';

export interface LogTextState {
  text: string;
  /** Nothing has arrived yet. */
  loading: boolean;
  /** The source is still open and may add more. */
  live: boolean;
  error?: Error;
  retry: () => void;
}

function keepTail(text: string): string {
  if (text.length <= MAX_SHOWN_LOG_CHARS) {
    return text;
  }
  const tail = text.slice(text.length - MAX_SHOWN_LOG_CHARS);
  const lineStart = tail.indexOf('\n') + 1;
  return DROPPED_NOTICE + tail.slice(lineStart);
}

function isIterable(value: unknown): value is AsyncIterable<string> {
  return Boolean(
    value && typeof (value as any)[Symbol.asyncIterator] === 'function',
  );
}

/**
 * Reads a log into text for a LogViewer. Streams are appended as chunks arrive, and the
 * stream is aborted when the inputs change or the viewer goes away, so a closed panel never
 * keeps a connection to the cluster open.
 */
export function useLogText(
  source: LogSource | undefined,
  deps: DependencyList,
): LogTextState {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Omit<LogTextState, 'retry'>>({
    text: '',
    loading: Boolean(source),
    live: false,
  });

  useEffect(() => {
    if (!source) {
      setState({ text: '', loading: false, live: false });
      return undefined;
    }
    const abort = new AbortController();
    setState({ text: '', loading: true, live: false });
    (async () => {
      const result = source(abort.signal);
      if (!isIterable(result)) {
        const text = await result;
        if (!abort.signal.aborted) {
          setState({ text: keepTail(text), loading: false, live: false });
        }
        return;
      }
      setState(previous => ({ ...previous, live: true }));
      for await (const chunk of result) {
        if (abort.signal.aborted) {
          return;
        }
        setState(previous => ({
          text: keepTail(previous.text + chunk),
          loading: false,
          live: true,
        }));
      }
      if (!abort.signal.aborted) {
        setState(previous => ({ ...previous, loading: false, live: false }));
      }
    })().catch((error: Error) => {
      if (!abort.signal.aborted) {
        setState(previous => ({
          ...previous,
          loading: false,
          live: false,
          error,
        }));
      }
    });
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt, Boolean(source)]);

  return { ...state, retry: () => setAttempt(n => n + 1) };
}
