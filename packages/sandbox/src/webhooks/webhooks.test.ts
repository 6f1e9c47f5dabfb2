import express from 'express';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { sendPushWebhooks, webhookControlRoutes } from './index.ts';

const schema = JSON.parse(
  readFileSync(
    join(
      dirname(
        require.resolve('@autonomous-dev/upstream-contracts/package.json'),
      ),
      'specs/github/push.bundled.schema.json',
    ),
    'utf8',
  ),
);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let url: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'received' }));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise(r => server.close(r)));
beforeEach(() => {
  received.length = 0;
});

const keysMissing = (value: object, required: string[]) =>
  required.filter(k => !(k in value));

describe('push webhooks from the sandbox', () => {
  it("sends a GitHub push with GitHub's headers, both signatures and a payload with every key the schema requires", async () => {
    const sent = await sendPushWebhooks(
      {
        provider: 'github',
        repository: 'acme/storefront',
        branch: 'main',
        message: 'Fix the cart total',
      },
      [{ url, secret: 'hook-secret', hookId: '42' }],
    );
    expect(sent).toEqual([
      expect.objectContaining({ status: 202, hookId: '42' }),
    ]);
    const [{ headers, body }] = received;
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': sent[0].deliveryId,
      'x-github-hook-id': '42',
      'user-agent': expect.stringMatching(/^GitHub-Hookshot\//),
      'x-hub-signature-256': `sha256=${createHmac('sha256', 'hook-secret')
        .update(body)
        .digest('hex')}`,
      'x-hub-signature': `sha1=${createHmac('sha1', 'hook-secret')
        .update(body)
        .digest('hex')}`,
    });
    const payload = JSON.parse(body);
    expect(keysMissing(payload, schema.required)).toEqual([]);
    expect(Object.keys(payload).filter(k => !(k in schema.properties))).toEqual(
      [],
    );
    expect(
      keysMissing(payload.head_commit, schema.definitions.commit.required),
    ).toEqual([]);
    expect(
      keysMissing(payload.repository, schema.definitions.repository.required),
    ).toEqual([]);
    expect(payload).toMatchObject({
      ref: 'refs/heads/main',
      head_commit: { id: payload.after, message: 'Fix the cart total' },
      repository: { full_name: 'acme/storefront' },
    });
  });

  it('sends a GitLab Push Hook with its token and event UUID, the same delivery as often as asked', async () => {
    const sent = await sendPushWebhooks(
      { provider: 'gitlab', repository: 'acme/checkout', times: 3 },
      [{ url, secret: 'gitlab-token' }],
    );
    expect(new Set(sent.map(s => s.deliveryId)).size).toBe(1);
    expect(received).toHaveLength(3);
    expect(received[0].headers).toMatchObject({
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-token': 'gitlab-token',
      'x-gitlab-event-uuid': sent[0].deliveryId,
      'user-agent': expect.stringMatching(/^GitLab\//),
    });
    const payload = JSON.parse(received[0].body);
    expect(payload).toMatchObject({
      object_kind: 'push',
      project: { path_with_namespace: 'acme/checkout' },
      checkout_sha: payload.after,
      commits: [{ id: payload.after }],
    });
  });

  it("delivers a control request to every push hook of the GitHub double's repository, and says what is missing", async () => {
    const app = express();
    app.use(express.json());
    webhookControlRoutes(app as unknown as express.Router, {
      githubHooks: () => [
        { id: 7, active: true, events: ['push'], config: { url, secret: 'a' } },
        { id: 8, active: true, events: ['push'], config: { url, secret: 'b' } },
        { id: 9, active: false, events: ['push'], config: { url } },
      ],
    });
    const control = createServer(app);
    await new Promise<void>(r => control.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
    const post = (body: object) =>
      fetch(`${base}/webhooks/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await post({
      provider: 'github',
      repository: 'acme/storefront',
    });
    expect(res.status).toBe(200);
    const { deliveries } = await res.json();
    expect(deliveries.map((d: any) => d.hookId)).toEqual(['7', '8']);
    expect(deliveries[0].deliveryId).not.toBe(deliveries[1].deliveryId);
    const bad = await post({ provider: 'bitbucket', repository: 'a/b' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toBe(
      'provider must be github or gitlab',
    );
    const none = await post({
      provider: 'gitlab',
      repository: 'acme/checkout',
    });
    expect((await none.json()).message).toMatch(/^no push webhook to send to/);
    await new Promise(r => control.close(r));
  });
});
