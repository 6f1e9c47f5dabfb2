import express from 'express';
import type { Request, Response, Router } from 'express';
import type { SandboxContext } from './context.ts';
import type { HarborState } from './harbor.ts';
import { jenkinsQueueRoutes } from './jenkinsQueue.ts';
import { randomHex, sha256Hex } from './util.ts';

const FOLDER_CLASS = 'com.cloudbees.hudson.plugins.folder.Folder';

interface ParameterDefinition {
  name: string;
  defaultValue: string;
}

export interface Job {
  fullName: string;
  folder: boolean;
  configXml: string;
  nextBuildNumber: number;
  builds: Build[];
}

interface LogLine {
  atMs: number;
  text: string;
}

export interface Build {
  job: string;
  number: number;
  queueId: number;
  startedAt: number;
  durationMs: number;
  fail: boolean;
  params: Record<string, string>;
  lines: LogLine[];
  /** Set when finished: the result and the end time. */
  result: string | null;
  finishedAt?: number;
  image?: { repository: string; tag: string; digest?: string };
}

export interface QueueItem {
  id: number;
  job: string;
  params: Record<string, string>;
  inQueueSince: number;
  startAt: number;
  cancelled: boolean;
  build?: Build;
  leftAt?: number;
}

/** Parses the parameter definitions a job's config.xml declares. */
export function parameterDefinitions(
  configXml: string,
): ParameterDefinition[] | undefined {
  const block = /<parameterDefinitions>([\s\S]*?)<\/parameterDefinitions>/.exec(
    configXml,
  );
  if (!block) {
    return undefined;
  }
  const defs: ParameterDefinition[] = [];
  const itemRe = /<([\w.$]+ParameterDefinition)[^>]*>([\s\S]*?)<\/\1>/g;
  for (const match of block[1].matchAll(itemRe)) {
    const name = /<name>([\s\S]*?)<\/name>/.exec(match[2])?.[1];
    const defaultValue =
      /<defaultValue>([\s\S]*?)<\/defaultValue>/.exec(match[2])?.[1] ?? '';
    if (name)
      defs.push({ name: name.trim(), defaultValue: defaultValue.trim() });
  }
  return defs;
}

function jobClass(job: Job): string {
  if (job.folder) return FOLDER_CLASS;
  return job.configXml.includes('<flow-definition')
    ? 'org.jenkinsci.plugins.workflow.job.WorkflowJob'
    : 'hudson.model.FreeStyleProject';
}

export function buildClass(job: Job): string {
  return job.configXml.includes('<flow-definition')
    ? 'org.jenkinsci.plugins.workflow.job.WorkflowRun'
    : 'hudson.model.FreeStyleBuild';
}

export class JenkinsState {
  private readonly ctx: SandboxContext;
  private readonly harbor: HarborState;
  readonly jobs = new Map<string, Job>();
  readonly queue = new Map<number, QueueItem>();
  private nextQueueId = 1;
  /** The registry host that appears in build logs (the sandbox's own address). */
  registryHost = 'sandbox';

  constructor(ctx: SandboxContext, harbor: HarborState) {
    this.ctx = ctx;
    this.harbor = harbor;
  }

  advance(): void {
    const now = this.ctx.now();
    for (const item of this.queue.values()) {
      if (!item.build && !item.cancelled && now >= item.startAt) {
        this.start(item, item.startAt);
      }
      if (item.leftAt !== undefined && now - item.leftAt > 5 * 60_000) {
        this.queue.delete(item.id);
      }
    }
    for (const job of this.jobs.values()) {
      for (const build of job.builds) {
        if (
          build.result === null &&
          now >= build.startedAt + build.durationMs
        ) {
          this.finish(build, build.startedAt + build.durationMs);
        }
      }
    }
  }

  private start(item: QueueItem, at: number): void {
    const job = this.jobs.get(item.job);
    if (!job) {
      item.cancelled = true;
      item.leftAt = at;
      return;
    }
    const number = job.nextBuildNumber++;
    const fail =
      this.ctx.buildDefaults.fail || item.params.SANDBOX_FAIL === 'true';
    const durationMs =
      Number(item.params.SANDBOX_DURATION_MS) ||
      this.ctx.buildDefaults.durationMs ||
      this.ctx.timings.buildDurationMs;
    const build: Build = {
      job: job.fullName,
      number,
      queueId: item.id,
      startedAt: at,
      durationMs,
      fail,
      params: item.params,
      lines: [],
      result: null,
    };
    const repository = item.params.IMAGE_REPOSITORY;
    if (repository) {
      build.image = {
        repository,
        tag:
          item.params.IMAGE_TAG ||
          (item.params.GIT_COMMIT ?? '').slice(0, 12) ||
          `build-${number}`,
      };
    }
    build.lines = this.script(build);
    job.builds.unshift(build);
    item.build = build;
    item.leftAt = at;
  }

  private script(build: Build): LogLine[] {
    const p = build.params;
    const commit =
      p.GIT_COMMIT || sha256Hex(`${build.job}#${build.number}`).slice(0, 40);
    const branch = p.GIT_BRANCH || p.BRANCH || 'main';
    const repoUrl = p.GIT_URL || p.GIT_REPOSITORY || `${build.job}.git`;
    const image = build.image
      ? `${this.registryHost}/${build.image.repository}:${build.image.tag}`
      : undefined;
    const steps: string[][] = [
      [
        `Started by user autonomous`,
        `Running in Durability level: MAX_SURVIVABILITY`,
        `[Pipeline] Start of Pipeline`,
        `[Pipeline] node`,
        `Running on sandbox-agent-1 in /home/jenkins/workspace/${build.job}`,
        `[Pipeline] { (Checkout)`,
        `The recommended git tool is: NONE`,
        ` > git fetch --tags --force --progress -- ${repoUrl} +refs/heads/*:refs/remotes/origin/* # timeout=10`,
        `Checking out Revision ${commit} (origin/${branch})`,
        ` > git checkout -f ${commit} # timeout=10`,
      ],
      [
        `[Pipeline] { (Build)`,
        `+ docker build -t ${image ?? build.job} .`,
        `#1 [internal] load build definition from Dockerfile`,
        `#2 [internal] load metadata for node:24-alpine`,
        `#5 [2/5] RUN npm ci`,
        `#5 added 812 packages in 14s`,
        `#6 [3/5] RUN npm run build`,
        `#8 exporting to image`,
        `#8 writing image sha256:${sha256Hex(commit)} done`,
      ],
      [
        `[Pipeline] { (Test)`,
        `+ npm test -- --ci`,
        `PASS src/app.test.ts`,
        `PASS src/routes.test.ts`,
        `Tests:       42 passed, 42 total`,
      ],
    ];
    if (image) {
      steps.push([
        `[Pipeline] { (Push)`,
        `+ docker push ${image}`,
        `The push refers to repository [${this.registryHost}/${
          build.image!.repository
        }]`,
        `${randomHex(6)}: Pushed`,
        `${randomHex(6)}: Pushed`,
        `${randomHex(6)}: Layer already exists`,
      ]);
    }
    const lines: LogLine[] = [];
    // The last tenth of the build is left for the push result and "Finished".
    const span = build.durationMs * 0.9;
    steps.forEach((stepLines, stepIndex) => {
      const stepStart = (span * stepIndex) / steps.length;
      const stepSpan = span / steps.length;
      stepLines.forEach((text, i) => {
        lines.push({
          atMs: Math.round(stepStart + (stepSpan * i) / stepLines.length),
          text,
        });
      });
    });
    return lines;
  }

  private finish(build: Build, at: number): void {
    let result = build.fail ? 'FAILURE' : 'SUCCESS';
    const end = build.durationMs;
    if (build.fail) {
      build.lines.push(
        { atMs: end, text: `FAIL src/routes.test.ts` },
        { atMs: end, text: `Tests:       1 failed, 41 passed, 42 total` },
        { atMs: end, text: `ERROR: script returned exit code 1` },
      );
    } else if (build.image) {
      const push = this.harbor.push(
        build.image.repository,
        build.image.tag,
        `${build.job}#${build.number}`,
      );
      if (push.ok) {
        build.image.digest = push.digest;
        build.lines.push({
          atMs: end,
          text: `${build.image.tag}: digest: ${push.digest} size: 1573`,
        });
      } else {
        build.lines.push(
          { atMs: end, text: push.message },
          { atMs: end, text: `ERROR: script returned exit code 1` },
        );
        result = 'FAILURE';
      }
    }
    build.lines.push({ atMs: end, text: `[Pipeline] End of Pipeline` });
    build.lines.push({ atMs: end, text: `Finished: ${result}` });
    build.result = result;
    build.finishedAt = at;
  }

  stop(build: Build): void {
    if (build.result !== null) return;
    const now = this.ctx.now();
    const elapsed = now - build.startedAt;
    build.lines = build.lines.filter(l => l.atMs <= elapsed);
    build.lines.push(
      { atMs: elapsed, text: 'Aborted by autonomous' },
      { atMs: elapsed, text: 'Finished: ABORTED' },
    );
    build.durationMs = elapsed;
    build.result = 'ABORTED';
    build.finishedAt = now;
  }

  logText(build: Build): string {
    const elapsed = this.ctx.now() - build.startedAt;
    const visible =
      build.result !== null
        ? build.lines
        : build.lines.filter(l => l.atMs <= elapsed);
    return visible.map(l => `${l.text}\n`).join('');
  }

  enqueue(job: Job, params: Record<string, string>): QueueItem {
    const now = this.ctx.now();
    const item: QueueItem = {
      id: this.nextQueueId++,
      job: job.fullName,
      params,
      inQueueSince: now,
      startAt: now + this.ctx.timings.queueDelayMs,
      cancelled: false,
    };
    this.queue.set(item.id, item);
    return item;
  }

  dump() {
    return {
      jobs: [...this.jobs.values()].map(j => ({
        fullName: j.fullName,
        folder: j.folder,
        nextBuildNumber: j.nextBuildNumber,
        builds: j.builds.map(b => ({
          number: b.number,
          queueId: b.queueId,
          result: b.result,
          params: b.params,
          image: b.image,
        })),
      })),
      queue: [...this.queue.values()].map(q => ({
        id: q.id,
        job: q.job,
        cancelled: q.cancelled,
        build: q.build?.number,
      })),
    };
  }
}

function basicAuth(ctx: SandboxContext, req: Request): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  return colon > 0 && ctx.credentials.jenkins[user] === token;
}

function errorPage(res: Response, status: number, message: string) {
  res
    .status(status)
    .type('text/html')
    .send(
      `<html><head><title>Error ${status}</title></head><body><h2>HTTP ERROR ${status} ${message}</h2><p>${message}</p></body></html>`,
    );
}

/**
 * Parses `/job/a/job/b/rest...` into the job's full name and the rest of the path, and gives the
 * path template used for call counts.
 */
function parseJobPath(path: string): { names: string[]; rest: string[] } {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const names: string[] = [];
  let i = 0;
  while (parts[i] === 'job' && parts[i + 1] !== undefined) {
    names.push(parts[i + 1]);
    i += 2;
  }
  return { names, rest: parts.slice(i) };
}

export function jenkinsRouter(
  ctx: SandboxContext,
  state: JenkinsState,
): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));
  // Jenkins reads config.xml whatever the Content-Type says, as long as there is one.
  router.use(express.text({ type: () => true, limit: '5mb' }));

  router.use((req, res, next) => {
    res.setHeader('X-Jenkins', '2.568.2');
    if (!basicAuth(ctx, req)) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Jenkins"');
      errorPage(res, 401, 'Unauthorized');
      return;
    }
    next();
  });

  const rootUrl = (req: Request) =>
    `${req.protocol}://${req.get('host')}${req.baseUrl}`;
  const jobUrl = (req: Request, fullName: string) =>
    `${rootUrl(req)}/${fullName
      .split('/')
      .map(n => `job/${encodeURIComponent(n)}/`)
      .join('')}`;
  const template = (res: Response, names: string[], rest: string) => {
    res.locals.template = `${names.map(() => '/job/{name}').join('')}${rest}`;
  };

  const jobSummary = (req: Request, job: Job) => {
    const last = job.builds[0];
    let color: string | undefined;
    if (!job.folder) {
      if (!last) color = 'notbuilt';
      else if (last.result === null) color = 'blue_anime';
      else if (last.result === 'SUCCESS') color = 'blue';
      else if (last.result === 'ABORTED') color = 'aborted';
      else color = 'red';
    }
    return {
      _class: jobClass(job),
      name: job.fullName.split('/').pop()!,
      url: jobUrl(req, job.fullName),
      ...(color ? { color } : {}),
    };
  };

  const children = (req: Request, folder: string) =>
    [...state.jobs.values()]
      .filter(j => {
        const parent = j.fullName.split('/').slice(0, -1).join('/');
        return parent === folder;
      })
      .map(j => jobSummary(req, j));

  router.get('/crumbIssuer/api/json', (_req, res) => {
    res.json({
      _class: 'hudson.security.csrf.DefaultCrumbIssuer',
      crumb: randomHex(32),
      crumbRequestField: 'Jenkins-Crumb',
    });
  });

  router.get('/api/json', (req, res) => {
    res.json({
      _class: 'hudson.model.Hudson',
      mode: 'NORMAL',
      nodeDescription: 'the Jenkins controller (sandbox)',
      numExecutors: 2,
      url: `${rootUrl(req)}/`,
      useCrumbs: true,
      useSecurity: true,
      jobs: children(req, ''),
    });
  });

  jenkinsQueueRoutes(router, ctx, state, {
    jobSummary,
    jobUrl,
    buildClass,
    errorPage,
  });

  router.use((req, res) => {
    const { names, rest } = parseJobPath(req.path);
    const fullName = names.join('/');
    const parentJob = fullName ? state.jobs.get(fullName) : undefined;
    const restPath = rest.length ? `/${rest.join('/')}` : '';

    // createItem at the root or in a folder
    if (
      rest[0] === 'createItem' &&
      rest.length === 1 &&
      req.method === 'POST'
    ) {
      template(res, names, '/createItem');
      if (fullName && (!parentJob || !parentJob.folder)) {
        errorPage(res, 404, 'Not Found');
        return;
      }
      const name =
        typeof req.query.name === 'string' ? req.query.name.trim() : '';
      if (!name) {
        errorPage(res, 400, "Query parameter 'name' is required");
        return;
      }
      const newFullName = fullName ? `${fullName}/${name}` : name;
      if (state.jobs.has(newFullName)) {
        errorPage(res, 400, `A job already exists with the name '${name}'`);
        return;
      }
      let xml: string;
      if (req.query.mode === 'copy') {
        const from = state.jobs.get(String(req.query.from ?? ''));
        if (!from) {
          errorPage(res, 400, `No such job: ${req.query.from}`);
          return;
        }
        xml = from.configXml;
      } else {
        if (!req.headers['content-type']) {
          errorPage(res, 400, 'No Content-Type header set');
          return;
        }
        if (typeof req.body !== 'string' || !req.body.trim().startsWith('<')) {
          errorPage(
            res,
            400,
            'Failed to parse the config.xml: expected an XML body',
          );
          return;
        }
        xml = req.body;
      }
      state.jobs.set(newFullName, {
        fullName: newFullName,
        folder: xml.includes(FOLDER_CLASS),
        configXml: xml,
        nextBuildNumber: 1,
        builds: [],
      });
      res.status(200).end();
      return;
    }

    if (!parentJob) {
      template(res, names, restPath);
      errorPage(res, 404, 'Not Found');
      return;
    }
    const job = parentJob;

    if (rest.length === 1 && rest[0] === 'config.xml') {
      template(res, names, '/config.xml');
      if (req.method === 'GET') {
        res.type('application/xml').send(job.configXml);
        return;
      }
      if (req.method === 'POST') {
        if (typeof req.body !== 'string' || !req.body.trim().startsWith('<')) {
          errorPage(
            res,
            400,
            'Failed to parse the config.xml: expected an XML body',
          );
          return;
        }
        job.configXml = req.body;
        res.status(200).end();
        return;
      }
      errorPage(res, 400, 'Unexpected request method');
      return;
    }

    if (
      rest.length === 2 &&
      rest[0] === 'api' &&
      rest[1] === 'json' &&
      req.method === 'GET'
    ) {
      template(res, names, '/api/json');
      if (job.folder) {
        res.json({
          _class: FOLDER_CLASS,
          description: '',
          displayName: names[names.length - 1],
          fullDisplayName: names.join(' » '),
          fullName: job.fullName,
          name: names[names.length - 1],
          url: jobUrl(req, job.fullName),
          jobs: children(req, job.fullName),
        });
        return;
      }
      const defs = parameterDefinitions(job.configXml);
      const ref = (b: Build | undefined) =>
        b
          ? {
              _class: buildClass(job),
              number: b.number,
              url: `${jobUrl(req, job.fullName)}${b.number}/`,
            }
          : undefined;
      const completed = job.builds.filter(b => b.result !== null);
      const inQueue = [...state.queue.values()].some(
        q => q.job === job.fullName && !q.build && !q.cancelled,
      );
      const body: Record<string, any> = {
        ...jobSummary(req, job),
        actions: defs
          ? [
              {
                _class: 'hudson.model.ParametersDefinitionProperty',
                parameterDefinitions: defs.map(d => ({
                  _class: 'hudson.model.StringParameterDefinition',
                  defaultParameterValue: {
                    _class: 'hudson.model.StringParameterValue',
                    name: d.name,
                    value: d.defaultValue,
                  },
                  description: '',
                  name: d.name,
                  type: 'StringParameterDefinition',
                })),
              },
            ]
          : [],
        description: '',
        displayName: names[names.length - 1],
        fullDisplayName: names.join(' » '),
        fullName: job.fullName,
        buildable: true,
        builds: job.builds.map(b => ref(b)),
        healthReport: [],
        inQueue,
        keepDependencies: false,
        nextBuildNumber: job.nextBuildNumber,
        concurrentBuild: false,
        property: [],
      };
      const optional: Record<string, Build | undefined> = {
        firstBuild: job.builds[job.builds.length - 1],
        lastBuild: job.builds[0],
        lastCompletedBuild: completed[0],
        lastStableBuild: completed.find(b => b.result === 'SUCCESS'),
        lastSuccessfulBuild: completed.find(b => b.result === 'SUCCESS'),
      };
      for (const [key, value] of Object.entries(optional)) {
        if (value) body[key] = ref(value);
      }
      res.json(body);
      return;
    }

    if (
      rest.length === 1 &&
      (rest[0] === 'build' || rest[0] === 'buildWithParameters')
    ) {
      template(res, names, `/${rest[0]}`);
      if (req.method !== 'POST') {
        errorPage(res, 405, 'Method Not Allowed');
        return;
      }
      if (job.folder) {
        errorPage(res, 409, `${job.fullName} is not buildable`);
        return;
      }
      const defs = parameterDefinitions(job.configXml);
      const params: Record<string, string> = {};
      if (rest[0] === 'buildWithParameters') {
        if (!defs) {
          errorPage(res, 400, `${job.fullName} is not parameterized`);
          return;
        }
        const supplied: Record<string, unknown> = {
          ...(typeof req.body === 'object' && req.body ? req.body : {}),
          ...req.query,
        };
        for (const def of defs) params[def.name] = def.defaultValue;
        for (const [k, v] of Object.entries(supplied)) {
          if (k === 'delay' || k === 'token' || k === 'cause') continue;
          if (typeof v === 'string') params[k] = v;
        }
      } else if (defs) {
        for (const def of defs) params[def.name] = def.defaultValue;
      }
      const item = state.enqueue(job, params);
      res.setHeader('Location', `${rootUrl(req)}/queue/item/${item.id}/`);
      res.status(201).end();
      return;
    }

    const number = Number(rest[0]);
    const build =
      rest[0] === 'lastBuild'
        ? job.builds[0]
        : job.builds.find(b => Number.isInteger(number) && b.number === number);
    const buildSegment = rest[0] === 'lastBuild' ? '/lastBuild' : '/{number}';
    const buildRest = rest.slice(1).join('/');
    template(res, names, `${buildSegment}${buildRest ? `/${buildRest}` : ''}`);
    if (!build) {
      errorPage(res, 404, 'Not Found');
      return;
    }

    if (buildRest === 'api/json' && req.method === 'GET') {
      const parameters = Object.entries(build.params).map(([name, value]) => ({
        _class: 'hudson.model.StringParameterValue',
        name,
        value,
      }));
      res.json({
        _class: buildClass(job),
        actions: [
          ...(parameters.length
            ? [{ _class: 'hudson.model.ParametersAction', parameters }]
            : []),
          {
            _class: 'hudson.model.CauseAction',
            causes: [
              {
                _class: 'hudson.model.Cause$UserIdCause',
                shortDescription: 'Started by user autonomous',
                userId: 'autonomous',
                userName: 'autonomous',
              },
            ],
          },
        ],
        artifacts: [],
        building: build.result === null,
        description: build.image?.digest
          ? `${build.image.repository}@${build.image.digest}`
          : null,
        displayName: `#${build.number}`,
        duration: build.result === null ? 0 : build.durationMs,
        estimatedDuration: ctx.timings.buildDurationMs,
        executor: null,
        fullDisplayName: `${names.join(' » ')} #${build.number}`,
        id: String(build.number),
        inProgress: build.result === null,
        keepLog: false,
        number: build.number,
        queueId: build.queueId,
        result: build.result,
        timestamp: build.startedAt,
        url: `${jobUrl(req, job.fullName)}${build.number}/`,
        builtOn: '',
        changeSets: [],
        culprits: [],
        nextBuild: null,
        previousBuild: null,
      });
      return;
    }

    if (buildRest === 'logText/progressiveText' && req.method === 'GET') {
      const text = Buffer.from(state.logText(build), 'utf8');
      let start = Number(req.query.start ?? 0);
      if (!Number.isFinite(start) || start < 0) start = 0;
      if (start > text.length) start = 0;
      res.setHeader('X-Text-Size', String(text.length));
      if (build.result === null) {
        res.setHeader('X-More-Data', 'true');
      }
      res.type('text/plain; charset=utf-8').send(text.subarray(start));
      return;
    }

    if (buildRest === 'consoleText' && req.method === 'GET') {
      res.type('text/plain; charset=utf-8').send(state.logText(build));
      return;
    }

    if (buildRest === 'stop' && req.method === 'POST') {
      state.stop(build);
      res.status(200).end();
      return;
    }

    errorPage(res, 404, 'Not Found');
  });

  return router;
}
