import { isObject, sha256Hex } from '../util.ts';

/** The fields of the spec whose change makes an application OutOfSync. */
export function desiredHash(app: any): string {
  return sha256Hex(
    JSON.stringify({
      s: app.spec?.source,
      ss: app.spec?.sources,
      d: app.spec?.destination,
    }),
  );
}

export function primarySource(app: any): any {
  return app.spec?.source ?? app.spec?.sources?.[0] ?? {};
}

/** The revision a source resolves to: a chart version or commit as given, else a made-up commit. */
export function revisionOf(source: any): string {
  const target = String(source?.targetRevision ?? 'HEAD');
  if (
    source?.chart ||
    /^\d+\.\d+\.\d+/.test(target) ||
    /^[0-9a-f]{40}$/.test(target)
  )
    return target;
  return sha256Hex(`${source?.repoURL}#${target}`).slice(0, 40);
}

/** Helm values of a source: valuesObject, then `helm.parameters` (which win). */
export function helmValues(source: any): Record<string, string> {
  const values: Record<string, string> = {};
  const flatten = (prefix: string, value: unknown) => {
    if (isObject(value)) {
      for (const [k, v] of Object.entries(value))
        flatten(prefix ? `${prefix}.${k}` : k, v);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => flatten(`${prefix}[${i}]`, v));
    } else if (value !== undefined && value !== null) {
      values[prefix] = String(value);
    }
  };
  flatten('', source?.helm?.valuesObject);
  for (const p of source?.helm?.parameters ?? []) {
    if (p?.name) values[p.name] = String(p.value ?? '');
  }
  return values;
}

/** The image a chart's values name: `image.repository` with `image.digest` or `image.tag`. */
export function imageFromValues(
  values: Record<string, string>,
  fallback: string,
): string {
  const repository = values['image.repository'] ?? fallback;
  const digest = values['image.digest'];
  if (repository.includes('@sha256:')) return repository;
  if (digest)
    return `${repository}@${
      digest.startsWith('sha256:') ? digest : `sha256:${digest}`
    }`;
  return `${repository}:${values['image.tag'] || 'latest'}`;
}
