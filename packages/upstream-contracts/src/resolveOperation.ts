import { DocumentKey } from './spec/documents';
import { matchPath, PathMatch } from './spec/matchPath';
import { Operation } from './spec/operation';
import { SYSTEMS, SystemDefinition } from './systems';
import { CheckOptions, UpstreamSystem } from './types';

export interface ResolvedRequest {
  system: SystemDefinition;
  method: string;
  /** The API path after the instance's base path, as the problems show it. */
  path: string;
  query: URLSearchParams;
  document?: DocumentKey;
  /** The most specific matching operations (several when templates are equally specific). */
  candidates: Array<{ operation: Operation; params: Record<string, string> }>;
}

export type Resolution =
  | { ok: true; value: ResolvedRequest }
  | { ok: false; problems: string[] };

function stripBasePath(pathname: string, basePath: string | undefined) {
  const base = (basePath ?? '').replace(/\/+$/, '');
  if (!base) return pathname;
  if (pathname === base) return '/';
  return pathname.startsWith(`${base}/`)
    ? pathname.slice(base.length)
    : undefined;
}

/** Finds the operation(s) a method and URL address in a system's specification. */
export function resolveOperation(
  systemName: UpstreamSystem,
  rawMethod: string,
  url: string,
  options?: CheckOptions,
): Resolution {
  const system = SYSTEMS[systemName];
  if (!system)
    return { ok: false, problems: [`unknown upstream system ${systemName}`] };
  const parsed = new URL(url, 'http://upstream.invalid');
  let method = rawMethod.toUpperCase();
  const query = new URLSearchParams(parsed.search);
  const path = stripBasePath(parsed.pathname, options?.basePath);
  if (path === undefined) {
    return {
      ok: false,
      problems: [
        `${method} ${parsed.pathname}: not under the base path ${options?.basePath}`,
      ],
    };
  }
  // Vault's LIST verb is the same operation as GET with list=true.
  if (systemName === 'vault' && method === 'LIST') {
    method = 'GET';
    query.set('list', 'true');
  }
  const route = system.route(path);
  if ('problem' in route)
    return { ok: false, problems: [`${method} ${path}: ${route.problem}`] };

  const groups = matchPath(route.entries, route.specPath);
  if (groups.length === 0) {
    return {
      ok: false,
      problems: [`${method} ${path}: no such path in the ${system.title} API`],
    };
  }
  for (const group of groups) {
    const withMethod = group.filter((m: PathMatch) =>
      m.entry.operations.has(method),
    );
    if (withMethod.length > 0) {
      return {
        ok: true,
        value: {
          system,
          method,
          path,
          query,
          document: route.document,
          candidates: withMethod.map(m => ({
            operation: m.entry.operations.get(method)!,
            params: m.params,
          })),
        },
      };
    }
  }
  const best = groups[0][0].entry;
  return {
    ok: false,
    problems: [
      `${method} ${path}: method ${method} is not defined for ${
        best.template
      } in the ${system.title} API (it has ${[...best.operations.keys()].join(
        ', ',
      )})`,
    ],
  };
}
