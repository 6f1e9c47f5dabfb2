import { KubernetesClient } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { readDomainStatus } from './domainStatus';

const ingress = (hosts: string[], tlsHosts: string[], address?: string) => ({
  spec: {
    rules: hosts.map(host => ({ host })),
    tls: [{ secretName: 'storefront-tls', hosts: tlsHosts }],
  },
  status: {
    loadBalancer: { ingress: address ? [{ ip: address }] : [] },
  },
});

function cluster(
  ingresses: unknown[],
  certificate?: {
    ready: 'True' | 'False';
    dnsNames: string[];
    reason?: string;
  },
) {
  return {
    listIngresses: async () => ingresses,
    getCertificate: async () =>
      certificate && {
        metadata: { name: 'storefront-tls' },
        spec: { dnsNames: certificate.dnsNames },
        status: {
          conditions: [
            {
              type: 'Ready',
              status: certificate.ready,
              reason: certificate.reason,
              message: 'Issuing certificate as Secret does not exist',
            },
          ],
        },
      },
  } as unknown as KubernetesClient;
}

const read = (kubernetes: KubernetesClient, resolved: string[]) =>
  readDomainStatus({
    kubernetes,
    namespace: 'shop',
    domains: ['shop.example.com'],
    certificateName: 'storefront-tls',
    resolve: async () => resolved,
  });

describe('readDomainStatus', () => {
  it('is ready with DNS in place when the certificate covers the host and DNS points at the ingress', async () => {
    expect(
      await read(
        cluster(
          [ingress(['shop.example.com'], ['shop.example.com'], '203.0.113.7')],
          {
            ready: 'True',
            dnsNames: ['shop.example.com'],
          },
        ),
        ['203.0.113.7'],
      ),
    ).toEqual([
      expect.objectContaining({ tls: 'ready', dns: 'ok', inIngress: true }),
    ]);
  });

  it('says where to point DNS, and that the certificate is being issued', async () => {
    const [status] = await read(
      cluster(
        [ingress(['shop.example.com'], ['shop.example.com'], '203.0.113.7')],
        {
          ready: 'False',
          dnsNames: ['shop.example.com'],
        },
      ),
      ['198.51.100.1'],
    );
    expect(status).toMatchObject({
      tls: 'pending',
      dns: 'elsewhere',
      dnsMessage:
        'shop.example.com points at 198.51.100.1, not at the ingress: point it at 203.0.113.7',
    });
  });

  it('is pending while a Ready certificate does not cover a new host, and failed when cert-manager gave up', async () => {
    const withIngress = [
      ingress(['shop.example.com'], ['shop.example.com'], '203.0.113.7'),
    ];
    const [stale] = await read(
      cluster(withIngress, { ready: 'True', dnsNames: ['old.example.com'] }),
      [],
    );
    expect(stale).toMatchObject({ tls: 'pending', dns: 'unresolved' });
    const [failed] = await read(
      cluster(withIngress, {
        ready: 'False',
        dnsNames: ['shop.example.com'],
        reason: 'Failed',
      }),
      [],
    );
    expect(failed.tls).toBe('failed');
  });

  it('waits for the Ingress before judging DNS or TLS', async () => {
    const [status] = await read(cluster([]), ['203.0.113.7']);
    expect(status).toMatchObject({
      tls: 'pending',
      dns: 'unknown',
      inIngress: false,
    });
  });
});
