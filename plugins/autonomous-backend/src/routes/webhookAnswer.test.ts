import express from 'express';
import request from 'supertest';
import { githubSignature } from '../webhooks/signature';
import { WebhookReceiver } from '../webhooks/WebhookReceiver';
import { createWebhookReceiveRouter } from './webhooks';

describe('the webhook answer', () => {
  it('goes out in time while a slow release is still being created, which then finishes', async () => {
    let finished = false;
    const receiver = {
      verify: async () => [],
      receive: () =>
        new Promise(resolve =>
          setTimeout(() => {
            finished = true;
            resolve([]);
          }, 400),
        ),
    } as unknown as WebhookReceiver;
    const app = express().use(
      createWebhookReceiveRouter({ receiver, answerWithinMs: 50 }),
    );
    const body = JSON.stringify({
      repository: { full_name: 'acme/storefront' },
      zen: 'Keep it logically awesome.',
    });
    const started = Date.now();
    const res = await request(app)
      .post('/webhooks/github')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'ping')
      .set('X-GitHub-Delivery', 'd1')
      .set('X-Hub-Signature-256', githubSignature(Buffer.from(body), 's'))
      .send(body);
    expect(Date.now() - started).toBeLessThan(350);
    expect(res.status).toBe(202);
    expect(res.body.message).toMatch(/still being handled/);
    expect(finished).toBe(false);
    await new Promise(r => setTimeout(r, 450));
    expect(finished).toBe(true);
  });
});
