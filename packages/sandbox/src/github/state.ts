import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The parts of a GitHub repository the sandbox keeps; its Git data is a bare repository. */
export interface GitHubRepository {
  id: number;
  owner: string;
  name: string;
  ownerType: 'User' | 'Organization';
  private: boolean;
  description: string | null;
  defaultBranch: string;
  hooks: GitHubHook[];
  protectedBranches: string[];
}

export interface GitHubHook {
  id: number;
  active: boolean;
  events: string[];
  config: { url: string; content_type?: string; secret?: string };
}

/** A name GitHub accepts for an owner or a repository. */
export const GITHUB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * The GitHub double's state: repositories and their hooks in memory, their Git data in bare
 * repositories under a temporary directory that Debian's `git http-backend` serves.
 */
export class GitHubState {
  /** The user the sandbox's token authenticates as. */
  readonly login = 'autonomous-sandbox';
  readonly repos = new Map<string, GitHubRepository>();
  private dir?: string;
  private nextId = 1;

  /** The token every request must carry. */
  readonly token: string;

  constructor(token = 'sandbox') {
    this.token = token;
  }

  /** The directory holding `<owner>/<name>.git`, created on first use. */
  async root(): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'autonomous-sandbox-github-'));
    return this.dir;
  }

  get(owner: string, name: string): GitHubRepository | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  async create(
    repo: Omit<GitHubRepository, 'id' | 'hooks' | 'protectedBranches'>,
  ): Promise<GitHubRepository> {
    const created = {
      ...repo,
      id: this.nextId++,
      hooks: [],
      protectedBranches: [],
    };
    const path = join(await this.root(), repo.owner, `${repo.name}.git`);
    await run('git', [
      'init',
      '--quiet',
      '--bare',
      '-b',
      repo.defaultBranch,
      path,
    ]);
    // Pushes come over smart HTTP without a web server's REMOTE_USER.
    await run('git', ['-C', path, 'config', 'http.receivepack', 'true']);
    this.repos.set(`${repo.owner}/${repo.name}`.toLowerCase(), created);
    return created;
  }

  /** A file at a ref, or undefined when the ref or the file does not exist. */
  async file(
    repo: GitHubRepository,
    ref: string,
    path: string,
  ): Promise<{ content: Buffer; sha: string } | undefined> {
    const git = join(await this.root(), repo.owner, `${repo.name}.git`);
    const object = `${ref}:${path.replace(/^\/+/, '')}`;
    try {
      const { stdout: type } = await run('git', [
        '-C',
        git,
        'cat-file',
        '-t',
        object,
      ]);
      if (type.trim() !== 'blob') return undefined;
      const { stdout: sha } = await run('git', [
        '-C',
        git,
        'rev-parse',
        object,
      ]);
      const { stdout } = await run(
        'git',
        ['-C', git, 'cat-file', 'blob', object],
        {
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      return { content: stdout, sha: sha.trim() };
    } catch {
      return undefined;
    }
  }

  /** The branches of a repository and their commits. */
  async branches(repo: GitHubRepository): Promise<Record<string, string>> {
    const git = join(await this.root(), repo.owner, `${repo.name}.git`);
    const { stdout } = await run('git', [
      '-C',
      git,
      'for-each-ref',
      '--format=%(refname:short) %(objectname)',
      'refs/heads',
    ]);
    return Object.fromEntries(
      stdout
        .split('\n')
        .filter(Boolean)
        .map(line => line.split(' ')),
    );
  }

  async dump() {
    const repos = [];
    for (const repo of this.repos.values()) {
      repos.push({
        fullName: `${repo.owner}/${repo.name}`,
        private: repo.private,
        defaultBranch: repo.defaultBranch,
        branches: await this.branches(repo),
        hooks: repo.hooks.map(h => ({
          id: h.id,
          url: h.config.url,
          events: h.events,
        })),
        protectedBranches: repo.protectedBranches,
      });
    }
    return { repos };
  }

  async removeTemporary(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
