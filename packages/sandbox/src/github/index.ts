export { GitHubState } from './state.ts';
export type { GitHubHook, GitHubRepository } from './state.ts';
export { githubControlRoutes, githubRouter } from './router.ts';
