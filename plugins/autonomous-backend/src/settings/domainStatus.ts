import { DomainStatus } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  KubernetesCertificate,
  KubernetesClient,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { promises as dns } from 'node:dns';

/** The addresses and CNAME targets a host resolves to; empty when it has no record. */
export type ResolveHost = (host: string) => Promise<string[]>;

/**
 * Public DNS as the machine's resolvers answer it, asked once with a short timeout: a page
 * waits for this, and a resolver that does not answer says no more than "unresolved".
 */
export const resolveWithDns: ResolveHost = async host => {
  const resolver = new dns.Resolver({ timeout: 1500, tries: 1 });
  const answers = await Promise.allSettled([
    resolver.resolve4(host),
    resolver.resolve6(host),
    resolver.resolveCname(host),
  ]);
  return answers.flatMap(a => (a.status === 'fulfilled' ? a.value : []));
};

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Ingress = Awaited<ReturnType<KubernetesClient['listIngresses']>>[number];

function tlsOf(
  host: string,
  certificate: KubernetesCertificate | undefined,
): Pick<DomainStatus, 'tls' | 'tlsMessage'> {
  if (!certificate) {
    return {
      tls: 'pending',
      tlsMessage:
        'cert-manager has not created the certificate yet; it does once the Ingress with this host is synced',
    };
  }
  const ready = certificate.status?.conditions?.find(c => c.type === 'Ready');
  const covers = certificate.spec?.dnsNames?.includes(host) ?? false;
  if (ready?.status === 'True' && covers) {
    return {
      tls: 'ready',
      tlsMessage: certificate.status?.notAfter
        ? `issued, valid until ${certificate.status.notAfter}`
        : 'issued',
    };
  }
  if (ready?.status === 'True') {
    return {
      tls: 'pending',
      tlsMessage: `the certificate does not cover ${host} yet; cert-manager is reissuing it`,
    };
  }
  const issuing = certificate.status?.conditions?.find(
    c => c.type === 'Issuing',
  );
  if (ready?.reason === 'Failed' || issuing?.reason === 'Failed') {
    return {
      tls: 'failed',
      tlsMessage: `cert-manager could not issue it: ${
        issuing?.message ?? ready?.message ?? 'see the Certificate’s events'
      }`,
    };
  }
  return {
    tls: 'pending',
    tlsMessage: ready?.message ?? 'cert-manager is issuing the certificate',
  };
}

async function dnsOf(
  host: string,
  ingress: Ingress | undefined,
  resolve: ResolveHost,
): Promise<Pick<DomainStatus, 'dns' | 'dnsMessage'>> {
  if (!ingress) {
    return {
      dns: 'unknown',
      dnsMessage: `the Ingress does not carry ${host} yet: ArgoCD applies it with its sync`,
    };
  }
  const targets = (ingress.status?.loadBalancer?.ingress ?? [])
    .map(a => a.ip ?? a.hostname)
    .filter((a): a is string => Boolean(a));
  if (!targets.length) {
    return {
      dns: 'unknown',
      dnsMessage:
        'the ingress controller has not given the Ingress an address yet',
    };
  }
  const where = targets.join(' or ');
  const found = await resolve(host).catch(() => []);
  if (!found.length) {
    return {
      dns: 'unresolved',
      dnsMessage: `${host} has no DNS record: point it at ${where}`,
    };
  }
  const normal = (a: string) => a.toLowerCase().replace(/\.$/, '');
  if (found.some(a => targets.map(normal).includes(normal(a)))) {
    return { dns: 'ok' };
  }
  return {
    dns: 'elsewhere',
    dnsMessage: `${host} points at ${found.join(
      ', ',
    )}, not at the ingress: point it at ${where}`,
  };
}

/**
 * What each custom domain looks like in the cluster: whether the environment's Ingress carries
 * it, whether cert-manager's Certificate for the Ingress's TLS Secret is Ready and covers it,
 * and whether its DNS points at the Ingress's address.
 */
export async function readDomainStatus(options: {
  kubernetes: KubernetesClient;
  namespace: string;
  domains: string[];
  certificateName: string;
  resolve: ResolveHost;
}): Promise<DomainStatus[]> {
  const { kubernetes, namespace, domains } = options;
  if (!domains.length) return [];
  let ingresses: Ingress[];
  let certificate: KubernetesCertificate | undefined;
  try {
    [ingresses, certificate] = await Promise.all([
      kubernetes.listIngresses(namespace),
      kubernetes.getCertificate(namespace, options.certificateName),
    ]);
  } catch (e) {
    const why = `the cluster could not be read: ${message(e)}`;
    return domains.map(host => ({
      host,
      tls: 'unknown',
      tlsMessage: why,
      dns: 'unknown',
      dnsMessage: why,
      inIngress: false,
    }));
  }
  return Promise.all(
    domains.map(async host => {
      const ingress = ingresses.find(i =>
        (i.spec?.rules ?? []).some(r => r.host === host),
      );
      const tlsInIngress = (ingress?.spec?.tls ?? []).some(t =>
        (t.hosts ?? []).includes(host),
      );
      return {
        host,
        ...(ingress && !tlsInIngress
          ? {
              tls: 'pending' as const,
              tlsMessage: 'the Ingress carries the host without TLS yet',
            }
          : tlsOf(host, certificate)),
        ...(await dnsOf(host, ingress, options.resolve)),
        inIngress: Boolean(ingress),
      };
    }),
  );
}
