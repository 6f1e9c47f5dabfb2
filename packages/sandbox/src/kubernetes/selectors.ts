import { getPath } from '../util.ts';

// Label and field selectors, as the API server reads them from `?labelSelector=` and `?fieldSelector=`.

export interface LabelRequirement {
  key: string;
  op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists';
  values: string[];
}

export function parseLabelSelector(selector: string): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    const neq = /^([^\s!=]+)\s*!=\s*(.*)$/.exec(part);
    const eq = /^([^\s!=]+)\s*==?\s*(.*)$/.exec(part);
    const not = /^!\s*(\S+)$/.exec(part);
    if (set) {
      reqs.push({
        key: set[1],
        op: set[2] as 'in' | 'notin',
        values: set[3]
          .split(',')
          .map(v => v.trim())
          .filter(Boolean),
      });
    } else if (neq) {
      reqs.push({ key: neq[1], op: 'neq', values: [neq[2].trim()] });
    } else if (eq) {
      reqs.push({ key: eq[1], op: 'eq', values: [eq[2].trim()] });
    } else if (not) {
      reqs.push({ key: not[1], op: 'notexists', values: [] });
    } else {
      reqs.push({ key: part, op: 'exists', values: [] });
    }
  }
  return reqs;
}

export function matchesLabels(
  labels: Record<string, string> | undefined,
  reqs: LabelRequirement[],
): boolean {
  const l = labels ?? {};
  return reqs.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.values[0];
      case 'neq':
        return !has || l[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}

export function matchesFieldSelector(obj: any, selector: string): boolean {
  return selector
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .every(part => {
      const neq = part.includes('!=');
      const [path, value] = neq ? part.split('!=') : part.split(/==?/);
      const actual = getPath(obj, path.trim());
      const equal = String(actual ?? '') === (value ?? '').trim();
      return neq ? !equal : equal;
    });
}

export function selectorToString(
  matchLabels: Record<string, string> | undefined,
): string {
  return Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
