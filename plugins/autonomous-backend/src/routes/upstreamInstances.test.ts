import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { NotAllowedError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { createUpstreamInstancesRouter } from './upstreamInstances';

const SECRETS = ['jenkins-token', 'harbor-password', 'vault-token'];
const ENTITY = 'component:default/new-project';
const FORBIDDEN = 'component:default/payments';

function app() {
  const clients = UpstreamClients.fromConfig(
    new ConfigReader({
      autonomous: {
        jenkins: {
          instances: [
            {
              name: 'ci',
              url: 'https://ci.example.com',
              username: 'u',
              apiToken: SECRETS[0],
            },
            {
              name: 'ci-eu',
              url: 'https://user:pw@ci-eu.example.com',
              username: 'u',
              apiToken: 'x',
            },
          ],
        },
        harbor: {
          instances: [
            {
              name: 'registry',
              url: 'https://harbor.example.com',
              username: 'admin',
              password: SECRETS[1],
            },
          ],
        },
        vault: {
          instances: [
            {
              name: 'vault',
              url: 'https://vault.example.com',
              token: SECRETS[2],
            },
          ],
        },
      },
    }),
    { readCache: false },
  );
  const httpAuth = mockServices.httpAuth({
    defaultCredentials: mockCredentials.none(),
  });
  // The route context's read check: signed in, and allowed to read everything but one entity.
  const ctx = {
    async authorizeRead(req: express.Request, entityRef: string) {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      if (entityRef === FORBIDDEN) {
        throw new NotAllowedError(
          `you may not read ${entityRef}: autonomous.project.read`,
        );
      }
      return credentials;
    },
  };
  return express()
    .use(createUpstreamInstancesRouter(ctx, { clients }))
    .use(mockErrorHandler());
}

describe('GET /upstream-instances', () => {
  it('lists every configured instance by name, the first of each system as its default', async () => {
    const res = await request(app())
      .get('/upstream-instances')
      .query({ entityRef: ENTITY })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { system: 'jenkins', name: 'ci', default: true },
        { system: 'jenkins', name: 'ci-eu', default: false },
        { system: 'harbor', name: 'registry', default: true },
        { system: 'vault', name: 'vault', default: true },
      ],
    });
    // Names only: no URL (which may carry credentials), no token or password.
    expect(res.text).not.toMatch(/https?:|example\.com/);
    for (const secret of SECRETS) expect(res.text).not.toContain(secret);
  });

  it("lists one system's instances", async () => {
    const res = await request(app())
      .get('/upstream-instances')
      .query({ entityRef: ENTITY, system: 'jenkins' })
      .set('Authorization', mockCredentials.user.header());
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual([
      'ci',
      'ci-eu',
    ]);
  });

  it('answers a system that is not one with a 400 naming the systems', async () => {
    const res = await request(app())
      .get('/upstream-instances')
      .query({ entityRef: ENTITY, system: 'gitlab' })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'must be one of jenkins, harbor, argocd',
    );
  });

  it('asks which entity the instances are for', async () => {
    const res = await request(app())
      .get('/upstream-instances')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('entityRef');
  });

  it('asks for credentials, and read permission on the entity', async () => {
    const anonymous = await request(app())
      .get('/upstream-instances')
      .query({ entityRef: ENTITY });
    expect(anonymous.status).toBe(401);
    const refused = await request(app())
      .get('/upstream-instances')
      .query({ entityRef: FORBIDDEN })
      .set('Authorization', mockCredentials.user.header());
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('jenkins');
  });
});
