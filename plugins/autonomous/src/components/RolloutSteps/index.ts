export { RolloutSteps } from './RolloutSteps';
export type { RolloutStepsProps } from './RolloutSteps';
