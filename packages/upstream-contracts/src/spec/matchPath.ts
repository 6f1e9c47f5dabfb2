import { PathEntry } from './operation';

export interface PathMatch {
  entry: PathEntry;
  params: Record<string, string>;
  /** Per request segment: 3 literal, 2 parameter with literal text, 1 parameter, 0 rest. */
  rank: number[];
}

function matchEntry(
  entry: PathEntry,
  segments: string[],
): PathMatch | undefined {
  const params: Record<string, string> = {};
  const rank: number[] = [];
  const template = entry.segments;
  for (let i = 0; i < template.length; i++) {
    const part = template[i];
    if (part.kind === 'rest') {
      const rest = segments.slice(i);
      if (rest.length === 0 || rest[0] === '') return undefined;
      params[part.name] = rest.join('/');
      rank.push(...rest.map(() => 0));
      return { entry, params, rank };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (part.kind === 'literal') {
      if (part.text !== segment) return undefined;
      rank.push(3);
    } else {
      const found = part.pattern.exec(segment);
      if (!found || segment === '') return undefined;
      part.names.forEach((name, index) => {
        params[name] = found[index + 1];
      });
      rank.push(
        part.names.length === 1 && part.pattern.source === '^([^/]+)$' ? 1 : 2,
      );
    }
  }
  return template.length === segments.length
    ? { entry, params, rank }
    : undefined;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (b[i] ?? -1) - (a[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Templates matching the path, most specific first (a literal segment beats a parameter at the
 * first position where they differ), grouped: each inner array holds equally specific matches.
 */
export function matchPath(entries: PathEntry[], path: string): PathMatch[][] {
  const segments = path.split('/').slice(1);
  const matches = entries
    .map(entry => matchEntry(entry, segments))
    .filter((m): m is PathMatch => Boolean(m))
    .sort((a, b) => compareRank(a.rank, b.rank));
  const groups: PathMatch[][] = [];
  for (const match of matches) {
    const last = groups[groups.length - 1];
    if (last && compareRank(last[0].rank, match.rank) === 0) last.push(match);
    else groups.push([match]);
  }
  return groups;
}
