/**
 * Autonomous projects, releases and databases in Backstage portal search.
 *
 * @packageDocumentation
 */

export { searchModuleAutonomousCollator as default } from './module';
export { searchModuleAutonomousCollator } from './module';
export {
  AUTONOMOUS_DOCUMENT_TYPES,
  createAutonomousCollatorFactories,
} from './collators/AutonomousCollatorFactory';
export { AutonomousIndexClient } from './AutonomousIndexClient';
export type { IndexPage } from './AutonomousIndexClient';
export { readCollatorSettings } from './config';
export type { AutonomousCollatorSettings } from './config';
export type {
  AutonomousDatabaseDocument,
  AutonomousProjectDocument,
  AutonomousReleaseDocument,
} from './collators/documents';
