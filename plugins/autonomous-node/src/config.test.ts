import { ConfigReader } from '@backstage/config';
import {
  UpstreamInstances,
  instanceAnnotation,
  readUpstreamSettings,
} from './config';

const config = new ConfigReader({
  autonomous: {
    upstreams: { timeoutMs: 3000, retries: 1 },
    argocd: {
      instances: [
        { name: 'main', url: 'https://argocd.example.com', token: 't1' },
        { name: 'sandbox', url: 'http://localhost:7200/argocd', token: 't2' },
      ],
    },
    vault: {
      instances: [
        {
          name: 'main',
          url: 'https://vault.example.com',
          kubernetesRole: 'autonomous',
        },
      ],
    },
    loki: {
      instances: [{ name: 'logs', url: 'http://loki', orgId: 'team-a' }],
    },
  },
});

describe('config', () => {
  it('reads shared settings with defaults', () => {
    expect(readUpstreamSettings(config)).toEqual({
      timeoutMs: 3000,
      retries: 1,
      cacheTtlSeconds: 10,
    });
  });

  it('picks an instance by name, the first by default, or by entity annotation', () => {
    const argocd = UpstreamInstances.fromConfig(config, 'argocd');
    expect(argocd.get().name).toBe('main');
    expect(argocd.get('sandbox').url).toBe('http://localhost:7200/argocd');
    expect(
      argocd.forEntity({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'shop',
          annotations: { 'autonomous.dev/argocd-instance': 'sandbox' },
        },
      }).name,
    ).toBe('sandbox');
    expect(() => argocd.get('nope')).toThrow(
      'no argocd instance is named "nope"; configured: main, sandbox',
    );
    expect(instanceAnnotation('kubernetes')).toBe(
      'autonomous.dev/kubernetes-instance',
    );
    expect(instanceAnnotation('loki')).toBe('autonomous.dev/loki-instance');
  });

  it('fills in Vault defaults and insists on a way to log in', () => {
    expect(UpstreamInstances.fromConfig(config, 'vault').get()).toEqual({
      name: 'main',
      url: 'https://vault.example.com',
      token: undefined,
      kubernetesRole: 'autonomous',
      kubernetesMountPath: 'kubernetes',
      serviceAccountTokenPath:
        '/var/run/secrets/kubernetes.io/serviceaccount/token',
      kvMount: 'secret',
    });
    expect(() =>
      UpstreamInstances.fromConfig(
        new ConfigReader({
          autonomous: {
            vault: { instances: [{ name: 'v', url: 'http://v' }] },
          },
        }),
        'vault',
      ),
    ).toThrow('Vault instance "v" needs either token or kubernetesRole');
  });

  it('reads the Harbor registry host, by default the host of the URL', () => {
    const harbor = UpstreamInstances.fromConfig(
      new ConfigReader({
        autonomous: {
          harbor: {
            instances: [
              { name: 'api', url: 'https://harbor-api.internal:8443/harbor' },
              {
                name: 'pull',
                url: 'https://harbor-api.internal',
                registryHost: 'harbor.example.com',
              },
            ],
          },
        },
      }),
      'harbor',
    );
    expect(harbor.get('api').registryHost).toBe('harbor-api.internal:8443');
    expect(harbor.get('pull').registryHost).toBe('harbor.example.com');
  });

  it('refuses a Harbor registry host with a scheme or path, and says what to give', () => {
    const read = (registryHost: string) =>
      UpstreamInstances.fromConfig(
        new ConfigReader({
          autonomous: {
            harbor: {
              instances: [
                { name: 'main', url: 'https://harbor.internal', registryHost },
              ],
            },
          },
        }),
        'harbor',
      );
    expect(() => read('https://harbor.example.com')).toThrow(
      'Harbor instance "main" has registryHost "https://harbor.example.com": give only the host name images are pulled by, with an optional port (e.g. harbor.example.com or harbor.example.com:5000), without a scheme or path',
    );
    expect(() => read('harbor.example.com/library')).toThrow(
      'without a scheme or path',
    );
    expect(read('registry.local:5000').get().registryHost).toBe(
      'registry.local:5000',
    );
  });

  it('says what to configure when a system has no instance', () => {
    expect(() => UpstreamInstances.fromConfig(config, 'jenkins').get()).toThrow(
      'no jenkins instance is configured; add one under autonomous.jenkins.instances',
    );
  });

  it('refuses two instances with the same name', () => {
    expect(() =>
      UpstreamInstances.fromConfig(
        new ConfigReader({
          autonomous: {
            harbor: {
              instances: [
                { name: 'a', url: 'http://a' },
                { name: 'a', url: 'http://b' },
              ],
            },
          },
        }),
        'harbor',
      ),
    ).toThrow('names "a" twice');
  });
});
