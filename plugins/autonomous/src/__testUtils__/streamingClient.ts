import { mockApis } from '@backstage/test-utils';
import { AutonomousClient } from '../api';

const encoder = new TextEncoder();

/** A response body the test writes into, chunk by chunk, while the page reads it. */
export function writableBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    body,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    isCancelled: () => cancelled,
  };
}

/**
 * The real client over a fetch that answers each request with `answer(url)`: the page's
 * streaming code runs exactly as in a browser, minus the network.
 */
export function clientAnswering(answer: (url: URL) => Response) {
  const requests: URL[] = [];
  const client = new AutonomousClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: {
      fetch: async (input: RequestInfo | URL) => {
        const url = new URL(String(input));
        requests.push(url);
        return answer(url);
      },
    },
  });
  return { client, requests };
}
