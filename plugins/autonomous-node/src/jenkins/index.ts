export { JenkinsClient, jenkinsJobPath } from './JenkinsClient';
export type * from './types';
