import { RequestHandler } from 'msw';
import { setupServer, SetupServerApi } from 'msw/node';
import {
  recordContractViolations,
  type ContractViolation,
} from '@autonomous-dev/upstream-contracts';
import { UpstreamSystem } from '../errors';

type ContractSystem = 'argocd' | 'harbor' | 'kubernetes' | 'vault' | 'jenkins';
const CONTRACT_SYSTEMS: ReadonlyArray<string> = [
  'argocd',
  'harbor',
  'kubernetes',
  'vault',
  'jenkins',
];

/**
 * Places where a vendored specification is stricter than the server it describes. Each entry
 * says why; nothing else is ever let through.
 */
const KNOWN_SPEC_GAPS: Array<{ system: string; problem: RegExp; why: string }> =
  [
    {
      system: 'harbor',
      problem:
        /^POST \/api\/v2\.0\/retentions: body\.rules\[\d+\]\.params\.\w+ must be object$/,
      why:
        "Harbor's swagger types retention rule params as `additionalProperties: {type: object}`, " +
        'which go-swagger generates as map[string]interface{}; the server and its own UI send ' +
        'numbers (e.g. latestPushedK: 10).',
    },
  ];

function onlyKnownGaps(violations: ContractViolation[]): boolean {
  return violations.every(v =>
    v.problems.every(problem =>
      KNOWN_SPEC_GAPS.some(
        g => g.system === v.system && g.problem.test(problem),
      ),
    ),
  );
}

/**
 * An msw server for one upstream's tests. Every request sent to a system that publishes an
 * API contract is checked against it, and a test that sent an invalid request fails.
 */
export function setupUpstreamServer(
  targets: Array<{ system: UpstreamSystem; baseUrl: string }>,
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

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    try {
      if (recorder && !onlyKnownGaps(recorder.violations())) {
        recorder.expectNoViolations();
      }
    } finally {
      recorder?.reset();
    }
  });
  afterAll(() => server.close());

  return Object.assign(server, { contractCheckActive: recorder !== undefined });
}
