import { RequestHandler } from 'msw';
import { setupServer, SetupServerApi } from 'msw/node';
import { checkResponse } from './checkResponse';
import { recordContractViolations } from './recordContractViolations';
import type { UpstreamSystem as ContractSystem } from './types';

const CONTRACT_SYSTEMS: ReadonlyArray<string> = [
  'argocd',
  'harbor',
  'kubernetes',
  'vault',
  'jenkins',
];

/**
 * The recorder reads request bodies asynchronously; a client that gets its answer before the
 * body was read (axios over http, in node-vault) must not fail the test for that.
 */
async function expectNoViolationsOnceChecked(recorder: {
  expectNoViolations(): void;
}): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      recorder.expectNoViolations();
      return;
    } catch (error) {
      if (attempt >= 100 || !/still being checked/.test(String(error))) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}

/**
 * An msw server for one upstream's tests (Jest: it registers its own beforeAll, afterEach and
 * afterAll). Every request sent to a system that publishes an API contract is checked against
 * it, and a test that sent an invalid request, or answered with a fixture the real API would
 * not send, fails. Systems without a contract here (Prometheus, Loki) are served unchecked.
 */
export function setupUpstreamServer(
  targets: Array<{ system: string; baseUrl: string }>,
  ...handlers: RequestHandler[]
): SetupServerApi & { contractCheckActive: boolean } {
  const server = setupServer(...handlers) as SetupServerApi;
  const checked = targets.filter(t =>
    CONTRACT_SYSTEMS.includes(t.system),
  ) as Array<{
    system: ContractSystem;
    baseUrl: string;
  }>;
  const recorder =
    checked.length > 0 ? recordContractViolations(server, checked) : undefined;

  // The fixtures a client parses must look like what the real API answers.
  const fixtureProblems: string[] = [];
  server.events.on('response:mocked', async ({ request, response }) => {
    const target = checked.find(t => request.url.startsWith(t.baseUrl));
    const type = response.headers.get('content-type') ?? '';
    if (!target || !type.includes('json')) return;
    // Jenkins' `tree` parameter asks for a subset of fields, so no full schema applies.
    if (new URL(request.url).searchParams.has('tree')) return;
    const body = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (body === undefined) return;
    const result = checkResponse(
      target.system,
      {
        method: request.method,
        url: request.url,
        status: response.status,
        body,
      },
      { basePath: new URL(target.baseUrl).pathname.replace(/\/$/, '') },
    );
    if (!result.ok) {
      fixtureProblems.push(
        `${request.method} ${request.url} -> ${
          response.status
        }: ${result.problems.join('; ')}`,
      );
    }
  });

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(async () => {
    server.resetHandlers();
    try {
      if (recorder) await expectNoViolationsOnceChecked(recorder);
      if (fixtureProblems.length) {
        throw new Error(
          `response fixtures the real API would not send:\n${fixtureProblems.join(
            '\n',
          )}`,
        );
      }
    } finally {
      recorder?.reset();
      fixtureProblems.length = 0;
    }
  });
  afterAll(() => server.close());

  return Object.assign(server, { contractCheckActive: recorder !== undefined });
}
