export { RolloutSteps, ROLLOUT_POLL_MS } from './RolloutSteps';
export type { RolloutStepsProps } from './RolloutSteps';
