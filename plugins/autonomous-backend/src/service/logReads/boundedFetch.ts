import { FetchFunction } from '@autonomous-dev/backstage-plugin-autonomous-node';

/**
 * A fetch whose response bodies end after at most `maxBytes` (cut back to the last whole
 * UTF-8 character), the rest never read: a client reading `response.text()` through it holds
 * no more than that in memory, however much the upstream would send.
 */
export function boundedFetch(
  maxBytes: number,
  fetchFn: FetchFunction = (input, init) => fetch(input, init),
): FetchFunction {
  return async (input, init) => {
    const response = await fetchFn(input, init);
    if (!response.body) return response;
    return new Response(bounded(response.body, maxBytes), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function bounded(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      const room = maxBytes - sent;
      if (value.byteLength <= room) {
        sent += value.byteLength;
        controller.enqueue(value);
        return;
      }
      const cut = wholeCharacters(value, room);
      if (cut > 0) controller.enqueue(value.subarray(0, cut));
      sent += cut;
      controller.close();
      await reader.cancel().catch(() => {});
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
    },
  });
}

/** How many of the first `limit` bytes end on a whole UTF-8 character. */
function wholeCharacters(bytes: Uint8Array, limit: number): number {
  let end = Math.min(limit, bytes.byteLength);
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character...
  let i = end;
  while (i > 0 && (bytes[i - 1] & 0xc0) === 0x80) i--;
  if (i === 0) return end;
  const lead = bytes[i - 1];
  // ...and keep it only if all its bytes fit.
  if (i - 1 + sequenceLength(lead) > end) end = i - 1;
  return end;
}

/** How many bytes the UTF-8 sequence starting with `lead` has. */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}
