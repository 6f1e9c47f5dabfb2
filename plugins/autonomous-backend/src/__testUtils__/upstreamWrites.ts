import { RunningSandbox } from '@autonomous-dev/sandbox';

/**
 * How many requests that change something (anything but GET) the upstream sandbox has
 * answered, read from its in-process call counts.
 */
export function upstreamWrites(running: RunningSandbox): number {
  return Object.entries(running.sandbox.calls.routes)
    .filter(([route]) => !route.startsWith('GET '))
    .reduce((sum, [, n]) => sum + n, 0);
}
