import { autonomousNotifyPermission } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createNotificationsRouter, jobFullNameFromUrl } from './notifications';

function app(allowed: boolean) {
  const woken: object[] = [];
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result:
          allowed && r.permission.name === autonomousNotifyPermission.name
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })) as any,
  });
  const router = createNotificationsRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.service('upstream-notifications'),
    }),
    permissions,
    wake: async filter => {
      woken.push(filter);
    },
  });
  const server = express()
    .use(express.json())
    .use(router)
    .use(mockErrorHandler());
  return { server, woken };
}

describe('upstream notifications', () => {
  it('wakes the releases built by the job a Jenkins notification names', async () => {
    const { server, woken } = app(true);
    await request(server)
      .post('/notifications/jenkins')
      .send({
        name: 'storefront',
        url: 'job/shop/job/storefront/',
        build: { number: 12, phase: 'COMPLETED', status: 'SUCCESS' },
      })
      .expect(202);
    expect(woken).toEqual([{ buildJob: 'shop/storefront' }]);
  });

  it('wakes the releases deployed by the application an ArgoCD notification names', async () => {
    const { server, woken } = app(true);
    await request(server)
      .post('/notifications/argocd')
      .send({ app: 'storefront-staging', event: 'on-sync-succeeded' })
      .expect(202);
    expect(woken).toEqual([{ argocdApplication: 'storefront-staging' }]);
  });

  it('refuses a caller not granted autonomous.notifications.send, and bad bodies', async () => {
    const denied = app(false);
    const res = await request(denied.server)
      .post('/notifications/argocd')
      .send({ app: 'storefront' })
      .expect(403);
    expect(res.body.error.message).toContain('autonomous.notifications.send');
    expect(denied.woken).toEqual([]);

    const allowed = app(true);
    const bad = await request(allowed.server)
      .post('/notifications/argocd')
      .send({ application: 'storefront' })
      .expect(400);
    expect(bad.body.error.message).toContain(
      'app: must be the application name',
    );
    expect(allowed.woken).toEqual([]);
  });

  it('reads folder paths from Jenkins job URLs', () => {
    expect(jobFullNameFromUrl('job/shop/job/storefront/')).toBe(
      'shop/storefront',
    );
    expect(jobFullNameFromUrl('/job/a%20b/')).toBe('a b');
    expect(jobFullNameFromUrl('view/all/job/x/')).toBeUndefined();
  });

  it('answers a malformed job URL with a 400 and wakes nothing', async () => {
    const allowed = app(true);
    const res = await request(allowed.server)
      .post('/notifications/jenkins')
      .send({ name: 'storefront', url: 'job/shop/job/%E0%A4%A/' })
      .expect(400);
    expect(res.body.error.message).toContain(
      'invalid Jenkins notification: url: is not a job URL path',
    );
    expect(allowed.woken).toEqual([]);
  });
});
