export { autonomousApiRef } from './AutonomousApi';
export type { AutonomousApi, ListReleasesOptions } from './AutonomousApi';
export { AutonomousClient } from './AutonomousClient';
