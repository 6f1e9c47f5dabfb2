import type { Request, Response } from 'express';
import {
  buildClass,
  FOLDER_CLASS,
  jobDescription,
  parameterDefinitions,
} from './jobConfig.ts';
import type { JenkinsState } from './state.ts';
import type { Build, Job } from './types.ts';
import {
  children,
  errorPage,
  jobSummary,
  jobUrl,
  rootUrl,
  template,
} from './views.ts';

/** `POST /createItem?name=` at the root or `…/job/{folder}/createItem`: a config.xml body or `mode=copy&from=`. */
export function createItem(
  state: JenkinsState,
  req: Request,
  res: Response,
  names: string[],
  parentJob: Job | undefined,
) {
  const fullName = names.join('/');
  template(res, names, '/createItem');
  if (fullName && (!parentJob || !parentJob.folder)) {
    errorPage(res, 404, 'Not Found');
    return;
  }
  const name = typeof req.query.name === 'string' ? req.query.name.trim() : '';
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
}

/** `GET` and `POST …/job/{name}/config.xml`. */
export function jobConfigXml(
  req: Request,
  res: Response,
  job: Job,
  names: string[],
) {
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
}

/** `GET …/job/{name}/api/json`: a folder with its jobs, or a job with its parameters and builds. */
export function jobJson(
  state: JenkinsState,
  req: Request,
  res: Response,
  job: Job,
  names: string[],
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
      jobs: children(state, req, job.fullName),
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
    description: jobDescription(job.configXml),
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
}

/** `POST …/job/{name}/build` and `…/buildWithParameters`: queues a build, answers its queue item's URL. */
export function buildJob(
  state: JenkinsState,
  req: Request,
  res: Response,
  job: Job,
  names: string[],
  rest: string[],
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
}
