export { EnvironmentPods } from './EnvironmentPods';
export type { EnvironmentPodsProps } from './EnvironmentPods';
export { PodLogViewer, POD_LOG_TAIL_LINES } from './PodLogViewer';
export type { PodLogViewerProps } from './PodLogViewer';
