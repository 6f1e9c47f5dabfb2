/**
 * What a gate's query may name; each is replaced by the release's own value. `canary` is the
 * pod-template hash of the release's pods when its chart renders an Argo Rollouts Rollout
 * (`rollouts-pod-template-hash`: at a canary pause, the canary's pods), empty otherwise.
 */
export const GATE_VARIABLES = [
  'namespace',
  'application',
  'version',
  'canary',
] as const;
export type GateVariables = Record<(typeof GATE_VARIABLES)[number], string>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholders a query names that are not one of GATE_VARIABLES. */
export function unknownVariables(query: string): string[] {
  const unknown = new Set<string>();
  for (const m of query.matchAll(PLACEHOLDER)) {
    if (!(GATE_VARIABLES as readonly string[]).includes(m[1])) {
      unknown.add(m[1]);
    }
  }
  return [...unknown];
}

/**
 * The query with `{{namespace}}`, `{{application}}`, `{{version}}` and `{{canary}}` replaced. Values are
 * escaped for a PromQL double-quoted string, where they are meant to stand: a version with a
 * quote cannot end the label matcher early.
 */
export function renderGateQuery(query: string, vars: GateVariables): string {
  return query.replace(PLACEHOLDER, (whole, name: string) => {
    const value = (vars as Record<string, string>)[name];
    if (value === undefined) return whole;
    return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  });
}
