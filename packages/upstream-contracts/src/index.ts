/**
 * Test-only checks of HTTP requests and responses against the vendored specifications of the
 * systems Autonomous calls. Never import this package from production code.
 *
 * @packageDocumentation
 */

export type {
  UpstreamSystem,
  RecordedRequest,
  RecordedResponse,
  ContractResult,
  CheckOptions,
} from './types';
export { checkRequest } from './checkRequest';
export { checkResponse } from './checkResponse';
export { recordContractViolations } from './recordContractViolations';
export type {
  ContractViolation,
  ContractViolationRecorder,
} from './recordContractViolations';
export { setupUpstreamServer } from './setupUpstreamServer';
