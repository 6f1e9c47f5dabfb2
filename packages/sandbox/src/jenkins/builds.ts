import type { Request, Response } from 'express';
import type { SandboxContext } from '../context.ts';
import { gitActionsOf } from './commits.ts';
import { buildClass } from './jobConfig.ts';
import type { JenkinsState } from './state.ts';
import type { Job } from './types.ts';
import { errorPage, jobUrl, template } from './views.ts';

/**
 * `…/job/{name}/{number}/…` and `…/lastBuild/…`: a build's `api/json`, its console
 * (`logText/progressiveText`, `consoleText`) and `stop`.
 */
export function buildRoutes(
  ctx: SandboxContext,
  state: JenkinsState,
  req: Request,
  res: Response,
  job: Job,
  names: string[],
  rest: string[],
) {
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
    const pipeline = buildClass(job).endsWith('WorkflowRun');
    const git = gitActionsOf(
      build,
      build.params.GIT_URL || `${jobUrl(req, job.fullName)}repo.git`,
    );
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
        git.buildData,
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
      ...(pipeline
        ? { changeSets: [git.changeSet] }
        : { changeSet: git.changeSet }),
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
}
