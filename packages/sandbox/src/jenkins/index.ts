/**
 * The Jenkins controller the sandbox plays: folders and jobs from config.xml, the build queue,
 * builds that push their image to Harbor, and their consoles.
 */
export { JenkinsState } from './state.ts';
export { jenkinsRouter } from './router.ts';
export { buildClass, parameterDefinitions } from './jobConfig.ts';
export { jenkinsQueueRoutes, queueItemJson } from './queue.ts';
export type { JenkinsViews } from './queue.ts';
export type { Build, Job, QueueItem } from './types.ts';
