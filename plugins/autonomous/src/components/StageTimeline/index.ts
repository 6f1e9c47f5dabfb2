export { StageTimeline, stageDurations } from './StageTimeline';
export type { StageTimelineProps } from './StageTimeline';
