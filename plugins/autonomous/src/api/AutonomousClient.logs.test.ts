import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ResponseError } from '@backstage/errors';
import { PodSummary } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousClient } from './AutonomousClient';

const baseUrl = 'http://localhost:7007/api/autonomous';
const envUrl = `${baseUrl}/projects/component/default/shop/environments/staging`;
const encoder = new TextEncoder();

/** A body whose second chunk is only written when the test says so. */
function controlledBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    body,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

describe('AutonomousClient logs', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new AutonomousClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'jane-token' } }),
  });

  it('reads a build log piece from a byte offset', async () => {
    let start: string | null = null;
    server.use(
      http.get(`${baseUrl}/releases/rel-1/build-log`, ({ request }) => {
        start = new URL(request.url).searchParams.get('start');
        return HttpResponse.json({
          text: 'npm ci\n',
          nextStart: 107,
          more: true,
        });
      }),
    );

    await expect(client.getBuildLog('rel-1', 100)).resolves.toEqual({
      text: 'npm ci\n',
      nextStart: 107,
      more: true,
    });
    expect(start).toBe('100');
  });

  it('yields build log chunks as the backend writes them, before the build ends', async () => {
    const stream = controlledBody();
    let auth: string | null = null;
    server.use(
      http.get(`${baseUrl}/releases/rel-1/build-log/stream`, ({ request }) => {
        auth = request.headers.get('authorization');
        return new HttpResponse(stream.body, {
          headers: { 'Content-Type': 'text/plain' },
        });
      }),
    );

    const seen: string[] = [];
    stream.write('Step 1/3 : FROM node\n');
    for await (const chunk of client.streamBuildLog('rel-1')) {
      seen.push(chunk);
      if (seen.length === 1) {
        // Only now is the rest written: the first chunk arrived while the build ran.
        stream.write('Step 2/3 : RUN yarn\n');
        stream.end();
      }
    }

    expect(seen.join('')).toBe('Step 1/3 : FROM node\nStep 2/3 : RUN yarn\n');
    expect(seen[0]).toBe('Step 1/3 : FROM node\n');
    expect(auth).toBe('Bearer jane-token');
  });

  it('stops reading quietly when the stream is aborted', async () => {
    const stream = controlledBody();
    server.use(
      http.get(
        `${baseUrl}/releases/rel-1/build-log/stream`,
        () => new HttpResponse(stream.body),
      ),
    );
    const abort = new AbortController();
    const seen: string[] = [];

    stream.write('still building\n');
    for await (const chunk of client.streamBuildLog('rel-1', {
      signal: abort.signal,
    })) {
      seen.push(chunk);
      abort.abort();
    }

    expect(seen).toEqual(['still building\n']);
  });

  it('throws the backend refusal before the first chunk', async () => {
    server.use(
      http.get(`${envUrl}/pods/web-1/logs`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'You may not read logs of component:default/shop',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );

    const iterator = client
      .streamPodLogs('component:default/shop', 'staging', 'web-1')
      [Symbol.asyncIterator]();
    const error = await iterator.next().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).cause.message).toBe(
      'You may not read logs of component:default/shop',
    );
  });

  it('downloads the build log with the name the backend suggests', async () => {
    server.use(
      http.get(
        `${baseUrl}/releases/rel-1/build-log/download`,
        () =>
          new HttpResponse('the whole log\n', {
            headers: {
              'Content-Type': 'text/plain',
              'Content-Disposition': 'attachment; filename="shop-v2-build.log"',
            },
          }),
      ),
    );

    const file = await client.downloadBuildLog('rel-1');

    expect(file.filename).toBe('shop-v2-build.log');
    expect(await file.blob.text()).toBe('the whole log\n');
  });

  it('lists pods and reads, follows and downloads their logs with the chosen options', async () => {
    const pods: PodSummary[] = [
      {
        name: 'web-1',
        phase: 'Running',
        ready: true,
        restarts: 1,
        containers: ['web'],
        images: ['harbor/shop/web@sha256:abc'],
        hasPreviousLogs: true,
      },
    ];
    const queries: Record<string, string>[] = [];
    server.use(
      http.get(`${envUrl}/pods`, () => HttpResponse.json(pods)),
      http.get(`${envUrl}/pods/web-1/logs`, ({ request }) => {
        queries.push(
          Object.fromEntries(new URL(request.url).searchParams.entries()),
        );
        return new HttpResponse('listening on 8080\n');
      }),
    );

    await expect(
      client.listPods('component:default/shop', 'staging'),
    ).resolves.toEqual(pods);
    await expect(
      client.podLogs('component:default/shop', 'staging', 'web-1', {
        container: 'web',
        previous: true,
        tailLines: 500,
      }),
    ).resolves.toBe('listening on 8080\n');
    const followed: string[] = [];
    for await (const chunk of client.streamPodLogs(
      'component:default/shop',
      'staging',
      'web-1',
    )) {
      followed.push(chunk);
    }
    const file = await client.downloadPodLogs(
      'component:default/shop',
      'staging',
      'web-1',
      { previous: true },
    );

    expect(followed.join('')).toBe('listening on 8080\n');
    expect(file.filename).toBe('web-1-previous.log');
    expect(queries).toEqual([
      { container: 'web', previous: 'true', tailLines: '500' },
      { follow: 'true' },
      { previous: 'true', download: 'true' },
    ]);
  });
});
