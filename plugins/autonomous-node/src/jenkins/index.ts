export { JenkinsClient, jenkinsJobPath } from './JenkinsClient';
export { builtCommitOf } from './builtCommit';
export type { JenkinsBuiltCommit } from './builtCommit';
export type * from './types';
