import { RequestHandler } from 'msw';
import { setupServer, SetupServer } from 'msw/node';
import { UpstreamSystem } from '../errors';

type ContractSystem = 'argocd' | 'harbor' | 'kubernetes' | 'vault' | 'jenkins';
const CONTRACT_SYSTEMS: ReadonlyArray<string> = [
  'argocd',
  'harbor',
  'kubernetes',
  'vault',
  'jenkins',
];

interface ContractRecorder {
  violations(): unknown[];
  expectNoViolations(): void;
  reset(): void;
}

function loadContracts():
  | {
      recordContractViolations(
        server: SetupServer,
        targets: Array<{ system: ContractSystem; baseUrl: string }>,
      ): ContractRecorder;
    }
  | undefined {
  try {
    // eslint-disable-next-line @backstage/no-undeclared-imports
    return require('@autonomous-dev/upstream-contracts');
  } catch {
    return undefined;
  }
}

/**
 * An msw server for one upstream's tests, with every request checked against the upstream's
 * published API contract (for systems that have one) after each test.
 */
export function setupUpstreamServer(
  targets: Array<{ system: UpstreamSystem; baseUrl: string }>,
  ...handlers: RequestHandler[]
): SetupServer & { contractCheckActive: boolean } {
  const server = setupServer(...handlers);
  const contracts = loadContracts();
  const checked = targets.filter(t =>
    CONTRACT_SYSTEMS.includes(t.system),
  ) as Array<{
    system: ContractSystem;
    baseUrl: string;
  }>;
  let recorder: ContractRecorder | undefined;

  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' });
    if (contracts && checked.length > 0) {
      recorder = contracts.recordContractViolations(server, checked);
    }
  });
  afterEach(() => {
    server.resetHandlers();
    try {
      recorder?.expectNoViolations();
    } finally {
      recorder?.reset();
    }
  });
  afterAll(() => server.close());

  return Object.assign(server, {
    contractCheckActive: Boolean(contracts && checked.length > 0),
  });
}
