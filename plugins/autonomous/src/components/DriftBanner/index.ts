export { DriftBanner } from './DriftBanner';
export type { DriftBannerProps } from './DriftBanner';
