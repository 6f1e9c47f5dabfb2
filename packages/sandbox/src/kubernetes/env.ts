import type { KubeStore } from './store.ts';

/** A container's environment as the kubelet gives it, or why the container cannot start. */
export type ResolvedEnv =
  | { ok: true; env: Record<string, string> }
  | { ok: false; reason: string; message: string };

/**
 * `$(VAR)` → the value of an earlier variable, as Kubernetes expands env values, commands and
 * args: an unknown name stays as written, `$$` is a literal `$`.
 */
export function expandVariables(
  text: string,
  env: Record<string, string>,
): string {
  return text.replace(
    /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g,
    (match, name: string | undefined) => {
      if (match === '$$') return '$';
      return name !== undefined && name in env ? env[name] : match;
    },
  );
}

/** The downward API's `fieldRef.fieldPath` of a pod. */
function fieldOf(pod: any, path: string): string | undefined {
  const labelOrAnnotation =
    /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
  if (labelOrAnnotation) {
    const map = pod.metadata[labelOrAnnotation[1]] ?? {};
    return map[labelOrAnnotation[2]] ?? '';
  }
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName ?? 'sandbox-node-1',
    'spec.serviceAccountName': pod.spec.serviceAccountName ?? 'default',
    'status.hostIP': pod.status?.hostIP ?? '10.0.0.10',
    'status.podIP': pod.status?.podIP ?? '',
  };
  return path in fields ? fields[path] ?? '' : undefined;
}

function secretValue(
  store: KubeStore,
  ns: string,
  ref: any,
  kind: 'secrets' | 'configmaps',
): { value?: string; missing?: string } {
  const obj = store.get(kind, ns, ref.name);
  const label = kind === 'secrets' ? 'secret' : 'configmap';
  if (!obj) {
    return ref.optional ? {} : { missing: `${label} "${ref.name}" not found` };
  }
  let raw = obj.data?.[ref.key];
  if (kind === 'secrets' && raw !== undefined) {
    raw = Buffer.from(String(raw), 'base64').toString('utf8');
  }
  if (raw === undefined) {
    return ref.optional
      ? {}
      : {
          missing: `couldn't find key ${ref.key} in ${
            kind === 'secrets' ? 'Secret' : 'ConfigMap'
          } ${ns}/${ref.name}`,
        };
  }
  return { value: String(raw) };
}

/**
 * Resolves a container's `envFrom` and `env` in order: literal values with `$(VAR)` expansion,
 * `secretKeyRef` and `configMapKeyRef` from the pod's namespace, `fieldRef` from the downward
 * API. A missing Secret, ConfigMap or key fails like the kubelet's CreateContainerConfigError.
 */
export function resolveContainerEnv(
  store: KubeStore,
  pod: any,
  container: any,
): ResolvedEnv {
  const ns = pod.metadata.namespace;
  const env: Record<string, string> = {};
  const fail = (message: string): ResolvedEnv => ({
    ok: false,
    reason: 'CreateContainerConfigError',
    message,
  });
  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    const kind = from.secretRef ? 'secrets' : 'configmaps';
    const obj = ref && store.get(kind, ns, ref.name);
    if (!obj) {
      if (ref?.optional) continue;
      return fail(
        `${kind === 'secrets' ? 'secret' : 'configmap'} "${
          ref?.name
        }" not found`,
      );
    }
    for (const [k, v] of Object.entries(obj.data ?? {})) {
      env[`${from.prefix ?? ''}${k}`] =
        kind === 'secrets'
          ? Buffer.from(String(v), 'base64').toString('utf8')
          : String(v);
    }
  }
  for (const e of container.env ?? []) {
    if (typeof e.value === 'string') {
      env[e.name] = expandVariables(e.value, env);
      continue;
    }
    const from = e.valueFrom;
    if (!from) {
      env[e.name] = '';
      continue;
    }
    if (from.secretKeyRef || from.configMapKeyRef) {
      const kind = from.secretKeyRef ? 'secrets' : 'configmaps';
      const got = secretValue(
        store,
        ns,
        from.secretKeyRef ?? from.configMapKeyRef,
        kind,
      );
      if (got.missing) return fail(got.missing);
      if (got.value !== undefined) env[e.name] = got.value;
      continue;
    }
    if (from.fieldRef) {
      const value = fieldOf(pod, String(from.fieldRef.fieldPath ?? ''));
      if (value === undefined) {
        return fail(
          `unsupported fieldRef.fieldPath "${from.fieldRef.fieldPath}"`,
        );
      }
      env[e.name] = value;
      continue;
    }
    env[e.name] = '';
  }
  return { ok: true, env };
}
