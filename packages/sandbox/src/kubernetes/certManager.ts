import type { SandboxContext } from '../context.ts';
import { isoSeconds } from '../util.ts';
import type { KubernetesState } from './state.ts';

const ISSUER_ANNOTATIONS = [
  'cert-manager.io/cluster-issuer',
  'cert-manager.io/issuer',
] as const;

/** A certificate cert-manager "issues" lives 90 days, as Let's Encrypt's do. */
const VALIDITY_MS = 90 * 24 * 3600_000;

function sameNames(a: string[] = [], b: string[] = []) {
  return [...a].sort().join(',') === [...b].sort().join(',');
}

/**
 * cert-manager as the sandbox plays it: its ingress-shim makes a Certificate for each TLS entry
 * of an Ingress annotated with an issuer (named after the entry's `secretName`, covering its
 * hosts, owned by the Ingress), and its issuer makes the Certificate Ready, with a
 * `kubernetes.io/tls` Secret, a short while later (twice a sync's duration). A Certificate whose
 * hosts changed is issued again.
 */
export class CertManager {
  /** `ns/name` → when the Certificate being issued becomes Ready. */
  private readonly issuing = new Map<string, number>();

  private readonly ctx: SandboxContext;
  private readonly kube: KubernetesState;

  // No parameter properties: the sandbox runs on Node's type stripping, which refuses them.
  constructor(ctx: SandboxContext, kube: KubernetesState) {
    this.ctx = ctx;
    this.kube = kube;
  }

  private issueDelayMs() {
    return 2 * this.ctx.timings.syncDurationMs;
  }

  advance(): void {
    const now = this.ctx.now();
    for (const ingress of this.kube.list('ingresses')) {
      const annotations = ingress.metadata.annotations ?? {};
      const kind = ISSUER_ANNOTATIONS.find(a => annotations[a]);
      if (!kind) continue;
      for (const tls of ingress.spec?.tls ?? []) {
        if (tls.secretName) this.shim(ingress, tls, kind, annotations[kind]);
      }
    }
    for (const certificate of this.kube.list('certificates')) {
      const key = `${certificate.metadata.namespace}/${certificate.metadata.name}`;
      const due = this.issuing.get(key);
      if (due === undefined || now < due) continue;
      this.issuing.delete(key);
      this.issue(certificate, now);
    }
  }

  private shim(ingress: any, tls: any, kind: string, issuer: string) {
    const ns = ingress.metadata.namespace;
    const name = tls.secretName;
    const existing = this.kube.get('certificates', ns, name);
    const spec = {
      secretName: name,
      dnsNames: [...(tls.hosts ?? [])],
      issuerRef: {
        name: issuer,
        kind:
          kind === 'cert-manager.io/cluster-issuer'
            ? 'ClusterIssuer'
            : 'Issuer',
        group: 'cert-manager.io',
      },
      usages: ['digital signature', 'key encipherment'],
    };
    if (existing && sameNames(existing.spec?.dnsNames, spec.dnsNames)) return;
    const status = {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: existing ? 'Reissuing' : 'DoesNotExist',
          message: existing
            ? 'The hosts changed: issuing a new certificate'
            : 'Issuing certificate as Secret does not exist',
          lastTransitionTime: isoSeconds(this.ctx.now()),
          observedGeneration: 1,
        },
        {
          type: 'Issuing',
          status: 'True',
          reason: 'Issuing',
          message: `Issuing certificate from ${spec.issuerRef.kind} ${issuer}`,
          lastTransitionTime: isoSeconds(this.ctx.now()),
        },
      ],
    };
    const body = {
      metadata: {
        name,
        labels: ingress.metadata.labels,
        ownerReferences: [
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            name: ingress.metadata.name,
            uid: ingress.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec,
      status,
    };
    if (existing) this.kube.replace('certificates', ns, name, body);
    else this.kube.create('certificates', ns, body, true);
    this.issuing.set(`${ns}/${name}`, this.ctx.now() + this.issueDelayMs());
  }

  private issue(certificate: any, now: number) {
    const ns = certificate.metadata.namespace;
    const name = certificate.metadata.name;
    const secretName = certificate.spec.secretName;
    const secret = {
      metadata: {
        name: secretName,
        annotations: {
          'cert-manager.io/certificate-name': name,
          'cert-manager.io/alt-names': certificate.spec.dnsNames.join(','),
          'cert-manager.io/issuer-name': certificate.spec.issuerRef.name,
        },
      },
      type: 'kubernetes.io/tls',
      stringData: {
        'tls.crt': `sandbox certificate for ${certificate.spec.dnsNames.join(
          ', ',
        )}`,
        'tls.key': 'sandbox key',
      },
    };
    if (this.kube.get('secrets', ns, secretName)) {
      this.kube.replace('secrets', ns, secretName, secret);
    } else {
      this.kube.create('secrets', ns, secret, true);
    }
    this.kube.replace('certificates', ns, name, {
      ...certificate,
      metadata: { ...certificate.metadata, resourceVersion: undefined },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Ready',
            message: 'Certificate is up to date and has not expired',
            lastTransitionTime: isoSeconds(now),
            observedGeneration: certificate.metadata.generation ?? 1,
          },
        ],
        notBefore: isoSeconds(now),
        notAfter: isoSeconds(now + VALIDITY_MS),
        renewalTime: isoSeconds(now + (VALIDITY_MS * 2) / 3),
        revision: 1,
      },
    });
  }
}
