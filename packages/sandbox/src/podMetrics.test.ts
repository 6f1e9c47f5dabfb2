import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  auth,
  eventually,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import type { RunningSandbox } from './sandbox.ts';

const seed = JSON.parse(
  readFileSync(resolve(__dirname, '../seeds/examples.json'), 'utf8'),
);

describe('pod metrics (metrics.k8s.io)', () => {
  let running: RunningSandbox;

  beforeAll(async () => {
    ({ running } = await startTestSandbox({ seed }));
  });
  afterAll(() => running.stop());

  const get = (
    path: string,
    headers: Record<string, string> = auth.kubernetes,
  ) => fetch(`${running.url}/kubernetes${path}`, { headers });

  it("serves a PodMetricsList for the running pods of a seeded project's namespace", async () => {
    const pods = await eventually(async () => {
      const list = await (
        await get('/api/v1/namespaces/storefront-staging/pods')
      ).json();
      const running_ = list.items.filter(
        (p: any) => p.status?.phase === 'Running',
      );
      return running_.length > 0 ? running_ : undefined;
    });

    const res = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/storefront-staging/pods',
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      kind: 'PodMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
    });
    expect(body.items.map((m: any) => m.metadata.name).sort()).toEqual(
      pods.map((p: any) => p.metadata.name).sort(),
    );
    for (const metrics of body.items) {
      expect(metrics.containers.length).toBeGreaterThan(0);
      expect(metrics.containers[0].usage).toEqual({
        cpu: expect.stringMatching(/^\d+n$/),
        memory: expect.stringMatching(/^\d+Ki$/),
      });
    }
  });

  it('is empty for a namespace without pods and refuses a missing token', async () => {
    const empty = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/nothing-here/pods',
    );
    expect((await empty.json()).items).toEqual([]);
    const anonymous = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/storefront-staging/pods',
      {},
    );
    expect(anonymous.status).toBe(401);
  });
});
