/**
 * Reads a response body as text, chunk by chunk, as the server writes it.
 *
 * Ends quietly when `signal` is aborted: the reader asked to stop, so there is nothing to
 * report. When the caller stops iterating early, the body is cancelled so the connection is
 * released at once instead of staying open until the server ends it.
 */
export async function* readTextChunks(
  body: ReadableStream<Uint8Array> | null,
  signal?: AbortSignal,
): AsyncGenerator<string, void, undefined> {
  if (!body) {
    return;
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  // Not every fetch errors an open body when its request is aborted; cancelling the reader
  // ends a pending read on every one.
  const onAbort = () => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted) {
    onAbort();
  }
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        if (signal?.aborted) {
          finished = true;
          return;
        }
        throw error;
      }
      if (result.done || signal?.aborted) {
        finished = true;
        if (signal?.aborted) {
          return;
        }
        // A multi-byte character split across the last chunk boundary.
        const rest = decoder.decode();
        if (rest) {
          yield rest;
        }
        return;
      }
      const text = decoder.decode(result.value, { stream: true });
      if (text) {
        yield text;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) {
      await reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}

/** The file name of a `Content-Disposition: attachment; filename=…` header, if any. */
export function attachmentFilename(header: string | null): string | undefined {
  if (!header) {
    return undefined;
  }
  const encoded = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  const name = (plain?.[2] ?? plain?.[1])?.trim();
  return name || undefined;
}
