/**
 * A test double that speaks the subset of the Jenkins, Harbor, Argo CD, Kubernetes, Vault,
 * Prometheus and Loki APIs the Autonomous suite uses. Development and tests only.
 *
 * @packageDocumentation
 */

export { startSandbox, Sandbox, SANDBOX_BANNER } from './sandbox.ts';
export type {
  CallCounts,
  RunningSandbox,
  SandboxOptions,
  StartSandboxOptions,
} from './sandbox.ts';
export { FAST_TIMINGS, REALISTIC_TIMINGS, SYSTEMS } from './context.ts';
export { sendPushWebhooks } from './webhooks/index.ts';
export type {
  PushRequest,
  SentDelivery,
  WebhookTarget,
} from './webhooks/index.ts';
export type {
  Credentials,
  Fault,
  SandboxSpeed,
  SystemName,
  Timings,
} from './context.ts';
