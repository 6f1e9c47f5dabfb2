import { mockApis } from '@backstage/test-utils';
import { AutonomousClient } from './AutonomousClient';
import { ConsoleStreamEvent } from './consoleTypes';

/** A response body that arrives in the given pieces, as a slow network delivers it. */
function chunked(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) {
        controller.enqueue(encoder.encode(piece));
      }
      controller.close();
    },
  });
}

function clientAnswering(response: () => Response) {
  const requests: Array<{ url: string; init?: RequestInit }> = [];
  const client = new AutonomousClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        requests.push({ url: String(input), init });
        return response();
      },
    },
  });
  return { client, requests };
}

describe('the console client', () => {
  it('posts the statement for NDJSON and yields each line as it completes, across chunks', async () => {
    const { client, requests } = clientAnswering(
      () =>
        new Response(
          chunked([
            '{"type":"columns","columns":[{"name":"id","type":"int4"}]}\n{"type":"ro',
            'w","values":[1]}\n{"type":"row","values":["é',
            '"]}\n',
            '{"type":"end","rowCount":2,"truncated":false,"durationMs":5}',
          ]),
          { status: 200 },
        ),
    );
    const events: ConsoleStreamEvent[] = [];
    for await (const event of client.runConsoleStatement('db 1', {
      statement: 'select id from t',
      mode: 'read',
      runId: 'r-1',
    })) {
      events.push(event);
    }
    expect(events).toEqual([
      { type: 'columns', columns: [{ name: 'id', type: 'int4' }] },
      { type: 'row', values: [1] },
      { type: 'row', values: ['é'] },
      { type: 'end', rowCount: 2, truncated: false, durationMs: 5 },
    ]);
    expect(requests[0].url).toBe(
      'http://localhost:7007/api/autonomous/databases/db%201/console/statements',
    );
    expect(requests[0].init?.method).toBe('POST');
    expect(JSON.parse(String(requests[0].init?.body))).toEqual({
      statement: 'select id from t',
      mode: 'read',
      runId: 'r-1',
      format: 'ndjson',
    });
  });

  it("throws the database's refusal that came before the stream started", async () => {
    const { client } = clientAnswering(
      () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'cannot execute INSERT in a read-only transaction',
            },
            request: { method: 'POST', url: '/' },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    const run = async () => {
      for await (const _ of client.runConsoleStatement('db-1', {
        statement: 'insert into t values (1)',
      })) {
        // nothing arrives
      }
    };
    await expect(run()).rejects.toMatchObject({
      cause: { message: 'cannot execute INSERT in a read-only transaction' },
    });
  });

  it('downloads an export under the name the backend gave', async () => {
    const { client, requests } = clientAnswering(
      () =>
        new Response('id\n1\n', {
          status: 200,
          headers: {
            'Content-Disposition': 'attachment; filename="orders-db.csv"',
          },
        }),
    );
    const file = await client.exportConsoleResult('db-1', {
      statement: 'select 1 as id',
      mode: 'read',
      format: 'csv',
    });
    expect(file.filename).toBe('orders-db.csv');
    expect(await file.blob.text()).toBe('id\n1\n');
    expect(JSON.parse(String(requests[0].init?.body)).format).toBe('csv');
  });
});
