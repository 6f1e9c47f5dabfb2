import { randomBytes } from 'node:crypto';

/** What a push is about: the same for both hosts. */
export interface PushFacts {
  /** `owner/name` (GitHub) or the project's path with its namespace (GitLab). */
  repository: string;
  branch: string;
  /** The head commit after the push (40 hex characters). */
  after: string;
  before: string;
  message: string;
  /** ISO 8601, as the host writes a commit's time. */
  timestamp: string;
  pusher: string;
}

export const randomSha = () => randomBytes(20).toString('hex');

const NO_COMMIT = '0'.repeat(40);

/** The REST URLs a repository object lists, by key: `hooks_url` → `…/repos/o/r/hooks`. */
const REPOSITORY_URLS =
  'forks keys{/key_id} collaborators{/collaborator} teams hooks issues/events{/number} events assignees{/user} branches{/branch} tags git/blobs{/sha} git/tags{/sha} git/refs{/sha} git/trees{/sha} statuses/{sha} languages stargazers contributors subscribers subscription commits{/sha} git/commits{/sha} comments{/number} issues/comments{/number} contents/{+path} compare/{base}...{head} merges {archive_format}{/ref} downloads issues{/number} pulls{/number} milestones{/number} notifications{?since,all,participating} labels{/name} releases{/id} deployments';

const URL_KEYS: Record<string, string> = {
  'issues/events': 'issue_events',
  'git/blobs': 'blobs',
  'git/tags': 'git_tags',
  'git/refs': 'git_refs',
  'git/trees': 'trees',
  'git/commits': 'git_commits',
  'issues/comments': 'issue_comment',
  'contents/': 'contents',
  'compare/': 'compare',
  'statuses/': 'statuses',
  '': 'archive',
};

function githubRepository(
  push: PushFacts,
  host: string,
  owner: Record<string, unknown>,
) {
  const [login, name] = push.repository.split('/');
  const web = `https://${host}/${push.repository}`;
  const api = `https://api.${host}/repos/${push.repository}`;
  const urls = Object.fromEntries(
    REPOSITORY_URLS.split(' ').map(path => {
      const bare = path.replace(/\{[^}]*\}/g, '').replace(/\.\.\.$/, '');
      return [`${URL_KEYS[bare] ?? bare}_url`, `${api}/${path}`];
    }),
  );
  const now = Math.floor(Date.parse(push.timestamp) / 1000);
  return {
    id: 1,
    node_id: 'MDEwOlJlcG9zaXRvcnkx',
    name,
    full_name: push.repository,
    private: false,
    owner: { ...owner, login, name: login },
    html_url: web,
    description: null,
    fork: false,
    url: web,
    ...urls,
    created_at: now - 86_400,
    updated_at: new Date(now * 1000).toISOString(),
    pushed_at: now,
    git_url: `git://${host}/${push.repository}.git`,
    ssh_url: `git@${host}:${push.repository}.git`,
    clone_url: `${web}.git`,
    svn_url: web,
    homepage: null,
    size: 1,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    open_issues_count: 0,
    license: null,
    forks: 0,
    open_issues: 0,
    watchers: 0,
    stargazers: 0,
    default_branch: push.branch,
    master_branch: push.branch,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: 'public',
    custom_properties: {},
  };
}

/** A GitHub `push` payload with every key GitHub's schema (octokit/webhooks v7.6.1) requires. */
export function githubPushPayload(push: PushFacts, host = 'github.com') {
  const web = `https://${host}/${push.repository}`;
  const person = { name: push.pusher, email: `${push.pusher}@example.com` };
  const commit = {
    id: push.after,
    tree_id: randomSha(),
    distinct: true,
    message: push.message,
    timestamp: push.timestamp,
    url: `${web}/commit/${push.after}`,
    author: { ...person, username: push.pusher },
    committer: { ...person, username: push.pusher },
    added: [],
    removed: [],
    modified: ['README.md'],
  };
  const user = {
    login: push.pusher,
    id: 1,
    node_id: 'MDQ6VXNlcjE=',
    avatar_url: `https://avatars.${host}/u/1?v=4`,
    gravatar_id: '',
    url: `https://api.${host}/users/${push.pusher}`,
    html_url: `https://${host}/${push.pusher}`,
    type: 'User',
    site_admin: false,
  };
  return {
    ref: `refs/heads/${push.branch}`,
    before: push.before,
    after: push.after,
    created: push.before === NO_COMMIT,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `${web}/compare/${push.before.slice(0, 12)}...${push.after.slice(
      0,
      12,
    )}`,
    commits: [commit],
    head_commit: commit,
    repository: githubRepository(push, host, user),
    pusher: person,
    sender: user,
  };
}

/** A GitLab Push Hook payload as its documentation shows it. */
export function gitlabPushPayload(push: PushFacts, host = 'gitlab.com') {
  const web = `https://${host}/${push.repository}`;
  const name = push.repository.split('/').pop();
  return {
    object_kind: 'push',
    event_name: 'push',
    before: push.before,
    after: push.after,
    ref: `refs/heads/${push.branch}`,
    ref_protected: true,
    checkout_sha: push.after,
    user_id: 1,
    user_name: push.pusher,
    user_username: push.pusher,
    user_email: '',
    user_avatar: null,
    project_id: 1,
    project: {
      id: 1,
      name,
      web_url: web,
      path_with_namespace: push.repository,
      default_branch: push.branch,
      git_http_url: `${web}.git`,
      git_ssh_url: `git@${host}:${push.repository}.git`,
    },
    repository: {
      name,
      url: `git@${host}:${push.repository}.git`,
      homepage: web,
    },
    commits: [
      {
        id: push.after,
        message: push.message,
        title: push.message.split('\n')[0],
        timestamp: push.timestamp,
        url: `${web}/-/commit/${push.after}`,
        author: { name: push.pusher, email: `${push.pusher}@example.com` },
        added: [],
        modified: ['README.md'],
        removed: [],
      },
    ],
    total_commits_count: 1,
  };
}
