export { EnvironmentStatusStrip } from './EnvironmentStatusStrip';
export type { EnvironmentStatusStripProps } from './EnvironmentStatusStrip';
