import type { SetupServer } from 'msw/node';
import { checkRequest } from './checkRequest';
import { UpstreamSystem } from './types';

export interface ContractViolation {
  system: UpstreamSystem;
  method: string;
  url: string;
  problems: string[];
}

export interface ContractViolationRecorder {
  /** Requests seen so far that failed the contract check. */
  violations(): ContractViolation[];
  /** Throws an error listing every violation, if there is any. */
  expectNoViolations(): void;
  /** Forgets what was recorded, for example in `afterEach`. */
  reset(): void;
}

function withoutTrailingSlash(url: string) {
  return url.replace(/\/+$/, '');
}

/**
 * Checks every request the msw server sees whose URL starts with one of the base URLs against the
 * specification of that system.
 */
export function recordContractViolations(
  server: SetupServer,
  systems: Array<{ system: UpstreamSystem; baseUrl: string }>,
): ContractViolationRecorder {
  const targets = systems.map(s => ({
    system: s.system,
    prefix: withoutTrailingSlash(s.baseUrl),
    basePath: withoutTrailingSlash(new URL(s.baseUrl).pathname),
  }));
  let recorded: ContractViolation[] = [];
  let pending = 0;

  server.events.on('request:start', ({ request }) => {
    const target = targets.find(
      t =>
        request.url === t.prefix ||
        request.url.startsWith(`${t.prefix}/`) ||
        request.url.startsWith(`${t.prefix}?`),
    );
    if (!target) return;
    const headers: Record<string, string> = {};
    request.headers.forEach((value: string, name: string) => {
      headers[name] = value;
    });
    pending += 1;
    // Read a clone so the handlers still get the body.
    request
      .clone()
      .text()
      .catch(() => '')
      .then((body: string) => {
        const result = checkRequest(
          target.system,
          { method: request.method, url: request.url, headers, body },
          { basePath: target.basePath },
        );
        if (!result.ok) {
          recorded.push({
            system: target.system,
            method: request.method,
            url: request.url,
            problems: result.problems,
          });
        }
      })
      .finally(() => {
        pending -= 1;
      });
  });

  return {
    violations: () => [...recorded],
    expectNoViolations() {
      if (pending > 0) {
        throw new Error(
          `${pending} request(s) to upstream systems are still being checked; await the client calls before expectNoViolations()`,
        );
      }
      if (recorded.length === 0) return;
      const lines = recorded.map(
        v =>
          `${v.system}: ${v.method} ${v.url}\n${v.problems
            .map(p => `    - ${p}`)
            .join('\n')}`,
      );
      throw new Error(
        `${
          recorded.length
        } request(s) do not match the upstream API specifications:\n  ${lines.join(
          '\n  ',
        )}`,
      );
    },
    reset() {
      recorded = [];
    },
  };
}
