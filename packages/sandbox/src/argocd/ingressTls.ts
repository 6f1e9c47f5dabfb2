/**
 * What a chart renders on its Ingress besides the hosts, from Helm values in the names of
 * `helm create`'s chart: `ingress.annotations.<key>` (a `--set` key escapes its dots, as in
 * `ingress.annotations.cert-manager\.io/cluster-issuer`) and `ingress.tls[i].secretName` with
 * `ingress.tls[i].hosts[j]`. `ingress.enabled=false` renders no Ingress.
 */
export function ingressExtras(values: Record<string, string>): {
  enabled: boolean;
  annotations?: Record<string, string>;
  tls: Array<{ secretName?: string; hosts: string[] }>;
} {
  const annotations: Record<string, string> = {};
  const tls: Array<{ secretName?: string; hosts: string[] }> = [];
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith('ingress.annotations.')) {
      annotations[
        key.slice('ingress.annotations.'.length).replace(/\\\./g, '.')
      ] = value;
      continue;
    }
    const entry = /^ingress\.tls\[(\d+)\]\.(secretName|hosts\[(\d+)\])$/.exec(
      key,
    );
    if (!entry) continue;
    const i = Number(entry[1]);
    tls[i] = tls[i] ?? { hosts: [] };
    if (entry[2] === 'secretName') tls[i].secretName = value;
    else tls[i].hosts[Number(entry[3])] = value;
  }
  return {
    enabled: values['ingress.enabled'] !== 'false',
    ...(Object.keys(annotations).length ? { annotations } : {}),
    tls: tls
      .filter(Boolean)
      .map(t => ({ ...t, hosts: t.hosts.filter(Boolean) })),
  };
}
