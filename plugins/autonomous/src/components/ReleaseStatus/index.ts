export {
  ReleaseStatus,
  releaseStatusLabel,
  StatusWord,
  ToneStatus,
} from './ReleaseStatus';
export type { ReleaseStatusProps, StatusTone } from './ReleaseStatus';
