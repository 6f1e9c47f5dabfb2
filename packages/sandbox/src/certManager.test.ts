import {
  auth,
  ContractClient,
  eventually,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import type { RunningSandbox } from './sandbox.ts';

jest.setTimeout(30_000);

const ISSUER = 'ingress.annotations.cert-manager\\.io/cluster-issuer';

function application(parameters: { name: string; value: string }[]) {
  return {
    metadata: { name: 'storefront', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://charts.example.invalid/autonomous',
        chart: 'web-service',
        targetRevision: '1.4.0',
        helm: { parameters },
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'shop',
      },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
  };
}

const tlsFor = (hosts: string[]) => [
  { name: 'ingress.enabled', value: 'true' },
  { name: ISSUER, value: 'letsencrypt' },
  ...hosts.map((h, i) => ({ name: `ingress.hosts[${i}].host`, value: h })),
  { name: 'ingress.tls[0].secretName', value: 'storefront-tls' },
  ...hosts.map((h, i) => ({ name: `ingress.tls[0].hosts[${i}]`, value: h })),
];

describe('cert-manager in the sandbox', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  const deploy = async (parameters: { name: string; value: string }[]) => {
    const upsert = await client.json(
      'argocd',
      '/api/v1/applications?upsert=true',
      'POST',
      application(parameters),
      auth.argocd,
    );
    expect(upsert.status).toBe(200);
    const sync = await client.json(
      'argocd',
      '/api/v1/applications/storefront/sync',
      'POST',
      { name: 'storefront', prune: true },
      auth.argocd,
    );
    expect(sync.status).toBe(200);
  };

  const kube = () => running.sandbox.kubernetes;
  const readyOf = (certificate: any) =>
    certificate?.status?.conditions?.find((c: any) => c.type === 'Ready')
      ?.status;

  it('issues a Certificate for the TLS entry of an Ingress the chart renders, and again when its hosts change', async () => {
    await deploy([
      { name: 'image.repository', value: 'shop/storefront' },
      ...tlsFor(['shop.example.com']),
    ]);
    const ingress = await eventually(async () => {
      running.sandbox.advance();
      return kube().get('ingresses', 'shop', 'storefront');
    });
    expect(ingress.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    });
    expect(ingress.spec.tls).toEqual([
      { secretName: 'storefront-tls', hosts: ['shop.example.com'] },
    ]);
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual([
      'shop.example.com',
    ]);

    running.sandbox.advance();
    const pending = kube().get('certificates', 'shop', 'storefront-tls');
    expect(pending.spec).toMatchObject({
      secretName: 'storefront-tls',
      dnsNames: ['shop.example.com'],
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
    });
    expect(readyOf(pending)).toBe('False');

    const ready = await eventually(async () => {
      running.sandbox.advance();
      const c = kube().get('certificates', 'shop', 'storefront-tls');
      return readyOf(c) === 'True' ? c : undefined;
    });
    expect(ready.status.notAfter).toEqual(expect.any(String));
    expect(kube().get('secrets', 'shop', 'storefront-tls').type).toBe(
      'kubernetes.io/tls',
    );

    await deploy([
      { name: 'image.repository', value: 'shop/storefront' },
      ...tlsFor(['shop.example.com', 'www.example.com']),
    ]);
    const reissuing = await eventually(async () => {
      running.sandbox.advance();
      const c = kube().get('certificates', 'shop', 'storefront-tls');
      return c.spec.dnsNames.length === 2 ? c : undefined;
    });
    expect(readyOf(reissuing)).toBe('False');
    await eventually(async () => {
      running.sandbox.advance();
      const c = kube().get('certificates', 'shop', 'storefront-tls');
      return readyOf(c) === 'True' ? c : undefined;
    });
  });

  it('renders no Ingress, and so no Certificate, when ingress.enabled is false', async () => {
    await deploy([
      { name: 'image.repository', value: 'shop/storefront' },
      ...tlsFor(['shop.example.com']),
      { name: 'ingress.enabled', value: 'false' },
    ]);
    await eventually(async () => {
      running.sandbox.advance();
      return kube().get('deployments', 'shop', 'storefront');
    });
    running.sandbox.advance();
    expect(kube().get('ingresses', 'shop', 'storefront')).toBeUndefined();
    expect(kube().list('certificates')).toEqual([]);
  });
});
