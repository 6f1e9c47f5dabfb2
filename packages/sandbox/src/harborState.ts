import type { SandboxContext } from './context.ts';
import { iso, randomHex, sha256Hex, uuid } from './util.ts';

interface Project {
  project_id: number;
  name: string;
  creation_time: string;
  update_time: string;
  metadata: Record<string, string>;
  storage_limit?: number;
}

export interface ImmutableRule {
  id: number;
  priority: number;
  disabled: boolean;
  action: string;
  template: string;
  tag_selectors: any[];
  scope_selectors: Record<string, any[]>;
}

interface Repository {
  id: number;
  project_id: number;
  name: string;
  creation_time: string;
  update_time: string;
}

interface Artifact {
  id: number;
  project_id: number;
  repository_id: number;
  repository_name: string;
  digest: string;
  size: number;
  push_time: string;
  tags: { id: number; name: string; push_time: string }[];
  vulnerabilities: Record<string, number>;
}

interface Robot {
  id: number;
  name: string;
  secret: string;
  level: string;
  description: string;
  duration: number;
  permissions: any[];
  creation_time: string;
}

export type PushResult =
  | { ok: true; digest: string; artifact: Artifact }
  | { ok: false; message: string };

export class HarborState {
  private readonly ctx: SandboxContext;
  private nextId = 1;
  readonly projects = new Map<string, Project>();
  readonly immutableRules = new Map<string, ImmutableRule[]>();
  readonly retentions = new Map<number, any>();
  readonly repositories = new Map<string, Repository>();
  readonly artifacts = new Map<string, Artifact[]>();
  readonly robots = new Map<string, Robot>();

  constructor(ctx: SandboxContext) {
    this.ctx = ctx;
  }

  private id(): number {
    return this.nextId++;
  }

  createProject(name: string, metadata: Record<string, string> = {}): Project {
    const now = iso(this.ctx.now());
    const project: Project = {
      project_id: this.id(),
      name,
      creation_time: now,
      update_time: now,
      metadata: { public: 'false', ...metadata },
    };
    this.projects.set(name, project);
    return project;
  }

  findProject(nameOrId: string, isName?: boolean): Project | undefined {
    if (!isName && /^\d+$/.test(nameOrId)) {
      const id = Number(nameOrId);
      return [...this.projects.values()].find(p => p.project_id === id);
    }
    return this.projects.get(nameOrId);
  }

  /**
   * Stores an image as `docker push` would: `repository` is `project/name` (the name may have
   * more segments). The digest is the sha256 of something unique to this push.
   */
  push(repository: string, tag: string, seed: string): PushResult {
    const slash = repository.indexOf('/');
    if (slash <= 0) {
      return {
        ok: false,
        message: `denied: repository ${repository} must be <project>/<name>`,
      };
    }
    const projectName = repository.slice(0, slash);
    const project = this.projects.get(projectName);
    if (!project) {
      return {
        ok: false,
        message: `unauthorized: project ${projectName} not found: project ${projectName} not found`,
      };
    }
    const list = this.artifacts.get(repository) ?? [];
    const existing = list.find(a => a.tags.some(t => t.name === tag));
    if (existing && (this.immutableRules.get(projectName) ?? []).length > 0) {
      return {
        ok: false,
        message: `unknown: The tag ${repository}:${tag} is immutable, cannot be overwritten`,
      };
    }
    const now = this.ctx.now();
    let repo = this.repositories.get(repository);
    if (!repo) {
      repo = {
        id: this.id(),
        project_id: project.project_id,
        name: repository,
        creation_time: iso(now),
        update_time: iso(now),
      };
      this.repositories.set(repository, repo);
    }
    repo.update_time = iso(now);
    if (existing) {
      existing.tags = existing.tags.filter(t => t.name !== tag);
    }
    const digest = `sha256:${sha256Hex(
      `${repository}:${tag}|${seed}|${now}|${randomHex(8)}`,
    )}`;
    const high = parseInt(digest.slice(7, 9), 16) % 3;
    const artifact: Artifact = {
      id: this.id(),
      project_id: project.project_id,
      repository_id: repo.id,
      repository_name: repository,
      digest,
      size: 40_000_000 + (parseInt(digest.slice(9, 15), 16) % 60_000_000),
      push_time: iso(now),
      tags: [{ id: this.id(), name: tag, push_time: iso(now) }],
      vulnerabilities: { Critical: 0, High: high, Medium: 3, Low: 7 },
    };
    list.unshift(artifact);
    this.artifacts.set(repository, list);
    return { ok: true, digest, artifact };
  }

  findArtifact(repository: string, reference: string): Artifact | undefined {
    const list = this.artifacts.get(repository) ?? [];
    if (reference.startsWith('sha256:')) {
      return list.find(a => a.digest === reference);
    }
    return list.find(a => a.tags.some(t => t.name === reference));
  }

  renderProject(p: Project) {
    const repos = [...this.repositories.values()].filter(
      r => r.project_id === p.project_id,
    );
    return {
      project_id: p.project_id,
      owner_id: 1,
      name: p.name,
      creation_time: p.creation_time,
      update_time: p.update_time,
      deleted: false,
      owner_name: 'admin',
      togglable: true,
      current_user_role_id: 1,
      current_user_role_ids: [1],
      repo_count: repos.length,
      metadata: p.metadata,
      cve_allowlist: {
        id: p.project_id,
        project_id: p.project_id,
        items: [],
        creation_time: p.creation_time,
        update_time: p.update_time,
      },
    };
  }

  renderRepository(r: Repository) {
    return {
      id: r.id,
      project_id: r.project_id,
      name: r.name,
      artifact_count: (this.artifacts.get(r.name) ?? []).length,
      pull_count: 0,
      creation_time: r.creation_time,
      update_time: r.update_time,
    };
  }

  renderArtifact(a: Artifact, query: Record<string, any>) {
    const immutable =
      (this.immutableRules.get(a.repository_name.split('/')[0]) ?? []).length >
      0;
    const body: Record<string, any> = {
      id: a.id,
      type: 'IMAGE',
      media_type: 'application/vnd.oci.image.config.v1+json',
      manifest_media_type: 'application/vnd.oci.image.manifest.v1+json',
      project_id: a.project_id,
      repository_id: a.repository_id,
      repository_name: a.repository_name,
      digest: a.digest,
      size: a.size,
      icon: 'sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06',
      push_time: a.push_time,
      pull_time: '0001-01-01T00:00:00.000Z',
      // The spec types every extra attribute as an object, so only `config` is given.
      extra_attrs: {
        config: {
          Env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
          ExposedPorts: { '8080/tcp': {} },
        },
      },
      addition_links: {
        build_history: {
          absolute: false,
          href: `/api/v2.0/projects/${
            a.repository_name.split('/')[0]
          }/repositories/${encodeURIComponent(
            encodeURIComponent(a.repository_name.split('/').slice(1).join('/')),
          )}/artifacts/${a.digest}/additions/build_history`,
        },
        vulnerabilities: {
          absolute: false,
          href: `/api/v2.0/projects/${
            a.repository_name.split('/')[0]
          }/repositories/${encodeURIComponent(
            encodeURIComponent(a.repository_name.split('/').slice(1).join('/')),
          )}/artifacts/${a.digest}/additions/vulnerabilities`,
        },
      },
    };
    if (query.with_tag !== 'false') {
      body.tags = a.tags.map(t => ({
        id: t.id,
        repository_id: a.repository_id,
        artifact_id: a.id,
        name: t.name,
        push_time: t.push_time,
        pull_time: '0001-01-01T00:00:00.000Z',
        immutable,
      }));
    }
    if (query.with_scan_overview === 'true') {
      const v = a.vulnerabilities;
      const total = Object.values(v).reduce((s, n) => s + n, 0);
      const severity =
        ['Critical', 'High', 'Medium'].find(level => v[level] > 0) ?? 'Low';
      body.scan_overview = {
        'application/vnd.security.vulnerability.report; version=1.1': {
          report_id: uuid(),
          scan_status: 'Success',
          severity,
          duration: 4,
          summary: { total, fixable: Math.floor(total / 2), summary: v },
          start_time: a.push_time,
          end_time: a.push_time,
          complete_percent: 100,
          scanner: {
            name: 'Trivy',
            vendor: 'Aqua Security',
            version: 'v0.58.0',
          },
        },
      };
    }
    return body;
  }

  dump() {
    return {
      projects: [...this.projects.values()],
      repositories: [...this.repositories.values()],
      artifacts: Object.fromEntries(this.artifacts),
      robots: [...this.robots.values()].map(r => ({ ...r, secret: '***' })),
      immutableRules: Object.fromEntries(this.immutableRules),
      retentions: [...this.retentions.values()],
    };
  }

  createRobot(body: any): Robot | string {
    const baseName = String(body?.name ?? '');
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(baseName)) {
      return 'robot name is invalid';
    }
    const level = body?.level === 'system' ? 'system' : 'project';
    const permissions: any[] = Array.isArray(body?.permissions)
      ? body.permissions
      : [];
    let name = `robot$${baseName}`;
    if (level === 'project') {
      const ns = permissions[0]?.namespace;
      if (!ns || !this.projects.has(ns)) {
        return `project ${ns ?? ''} not found`;
      }
      name = `robot$${ns}+${baseName}`;
    }
    if (this.robots.has(name)) {
      return 'conflict';
    }
    const robot: Robot = {
      id: this.id(),
      name,
      secret: typeof body?.secret === 'string' ? body.secret : randomHex(16),
      level,
      description: String(body?.description ?? ''),
      duration: Number(body?.duration ?? -1),
      permissions,
      creation_time: iso(this.ctx.now()),
    };
    this.robots.set(name, robot);
    return robot;
  }
}
