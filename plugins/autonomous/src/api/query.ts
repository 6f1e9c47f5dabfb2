import { PodLogOptions } from './AutonomousApi';

/** `?a=1&b=2` from the defined values, or nothing when none is. */
export function queryString(
  params: Record<string, string | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      query.set(key, value);
    }
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The pod log route's query: the viewer's options plus route-specific flags. */
export function podLogQuery(
  options: PodLogOptions,
  extra: Record<string, string | undefined> = {},
) {
  return queryString({
    container: options.container,
    previous: options.previous ? 'true' : undefined,
    tailLines:
      options.tailLines !== undefined ? String(options.tailLines) : undefined,
    ...extra,
  });
}
