import {
  EnvironmentVariableSetting,
  ScalingSettings,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ArgoCdHelmParameter } from '@autonomous-dev/backstage-plugin-autonomous-node';

/**
 * The Helm values each setting owns, in the names of `helm create`'s chart (the chart the
 * templates generate). A setting replaces every parameter under its prefixes, so a domain or
 * variable taken away is gone from the application, not left behind by a merge.
 */
export const SETTING_PREFIXES = {
  domains: ['ingress.'],
  variables: ['configMap.data.', 'secretEnv.'],
  scaling: ['replicaCount', 'autoscaling.'],
} as const;

export type SettingKind = keyof typeof SETTING_PREFIXES;

/** cert-manager's annotation on the Ingress; `--set` needs the dot in its key escaped. */
export const CLUSTER_ISSUER_PARAMETER =
  'ingress.annotations.cert-manager\\.io/cluster-issuer';

/** The Secret cert-manager fills, and so the Certificate's name (ingress-shim names it so). */
export function tlsSecretName(argocdApplication: string): string {
  return `${argocdApplication}-tls`.slice(0, 253);
}

/**
 * `--set` splits on commas and reads backslashes: a value is escaped so that it arrives
 * as written. Names are checked before they get here.
 */
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,');
}

export function domainParameters(options: {
  domains: string[];
  argocdApplication: string;
  clusterIssuer: string;
  ingressClassName: string;
}): ArgoCdHelmParameter[] {
  const { domains } = options;
  if (!domains.length) return [{ name: 'ingress.enabled', value: 'false' }];
  const secretName = tlsSecretName(options.argocdApplication);
  return [
    { name: 'ingress.enabled', value: 'true' },
    { name: 'ingress.className', value: options.ingressClassName },
    { name: CLUSTER_ISSUER_PARAMETER, value: options.clusterIssuer },
    ...domains.flatMap((host, i) => [
      { name: `ingress.hosts[${i}].host`, value: host },
      { name: `ingress.hosts[${i}].paths[0].path`, value: '/' },
      { name: `ingress.hosts[${i}].paths[0].pathType`, value: 'Prefix' },
    ]),
    { name: 'ingress.tls[0].secretName', value: secretName },
    ...domains.map((host, i) => ({
      name: `ingress.tls[0].hosts[${i}]`,
      value: host,
    })),
  ];
}

/**
 * Plain variables go to the chart's ConfigMap as values; secret ones only by name, with the
 * Vault path the chart's secret store reads them from. No secret value is ever a parameter.
 */
export function variableParameters(
  variables: EnvironmentVariableSetting[],
  secretsVaultPath: string,
): ArgoCdHelmParameter[] {
  const plain = variables.filter(v => !v.secret);
  const secret = variables.filter(v => v.secret);
  return [
    ...plain.map(v => ({
      name: `configMap.data.${v.name}`,
      value: escapeValue(v.value ?? ''),
      forceString: true,
    })),
    ...(secret.length
      ? [
          { name: 'secretEnv.vaultPath', value: secretsVaultPath },
          ...secret.map((v, i) => ({
            name: `secretEnv.keys[${i}]`,
            value: v.name,
          })),
        ]
      : []),
  ];
}

export function scalingParameters(
  scaling: ScalingSettings,
): ArgoCdHelmParameter[] {
  const { autoscaling } = scaling;
  return [
    { name: 'replicaCount', value: String(scaling.replicas) },
    { name: 'autoscaling.enabled', value: autoscaling ? 'true' : 'false' },
    ...(autoscaling
      ? [
          {
            name: 'autoscaling.minReplicas',
            value: String(autoscaling.minReplicas),
          },
          {
            name: 'autoscaling.maxReplicas',
            value: String(autoscaling.maxReplicas),
          },
          {
            name: 'autoscaling.targetCPUUtilizationPercentage',
            value: String(autoscaling.targetCpuPercent),
          },
        ]
      : []),
  ];
}

/** The application's parameters with everything under the setting's prefixes replaced. */
export function replaceSettingParameters(
  current: ArgoCdHelmParameter[],
  kind: SettingKind,
  next: ArgoCdHelmParameter[],
): ArgoCdHelmParameter[] {
  const prefixes: readonly string[] = SETTING_PREFIXES[kind];
  const owned = (name: string) =>
    prefixes.some(p => (p.endsWith('.') ? name.startsWith(p) : name === p));
  return [...current.filter(p => !owned(p.name)), ...next];
}
