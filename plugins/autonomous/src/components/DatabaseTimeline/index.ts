export { DatabaseTimeline, failedStep } from './DatabaseTimeline';
export type { DatabaseTimelineProps } from './DatabaseTimeline';
export { useDatabaseAnnouncer } from './databaseAnnouncer';
