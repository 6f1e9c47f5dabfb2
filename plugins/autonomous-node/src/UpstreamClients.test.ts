import { ConfigReader } from '@backstage/config';
import { UpstreamClients } from './UpstreamClients';
import { ArgoCdClient } from './argocd';
import { KubernetesClient } from './kubernetes';

describe('UpstreamClients', () => {
  const clients = UpstreamClients.fromConfig(
    new ConfigReader({
      autonomous: {
        upstreams: { cacheTtlSeconds: 2 },
        argocd: {
          instances: [
            { name: 'main', url: 'https://argocd.example.com', token: 't' },
            {
              name: 'sandbox',
              url: 'http://localhost:7200/argocd',
              token: 't',
            },
          ],
        },
        kubernetes: {
          instances: [
            { name: 'prod', url: 'https://k8s.example.com', token: 't' },
          ],
        },
      },
    }),
  );

  it('makes one client per instance and reuses it', () => {
    const a = clients.get('argocd');
    expect(a).toBeInstanceOf(ArgoCdClient);
    expect(a.instanceName).toBe('main');
    expect(clients.get('argocd', 'main')).toBe(a);
    expect(
      clients.forEntity('argocd', {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'x',
          annotations: { 'autonomous.dev/argocd-instance': 'sandbox' },
        },
      }).instanceName,
    ).toBe('sandbox');
    expect(clients.get('kubernetes')).toBeInstanceOf(KubernetesClient);
    expect(clients.settings.cacheTtlSeconds).toBe(2);
  });

  it('shares one read cache by default, and none with readCache: false', async () => {
    const config = new ConfigReader({
      autonomous: {
        jenkins: {
          instances: [{ name: 'ci', url: 'http://jenkins.test' }],
        },
      },
    });
    let calls = 0;
    const fetch = async () => {
      calls++;
      return new Response(
        JSON.stringify({ name: 'shop', url: 'http://jenkins.test/job/shop/' }),
        { headers: { 'Content-Type': 'application/json' } },
      );
    };
    const cached = UpstreamClients.fromConfig(config, { fetch });
    expect(cached.readCache).toBeDefined();
    await cached.get('jenkins').getJob('shop');
    await cached.get('jenkins').getJob('shop');
    expect(calls).toBe(1);

    calls = 0;
    const fresh = UpstreamClients.fromConfig(config, {
      fetch,
      readCache: false,
    });
    expect(fresh.readCache).toBeUndefined();
    await fresh.get('jenkins').getJob('shop');
    await fresh.get('jenkins').getJob('shop');
    expect(calls).toBe(2);
  });
});
