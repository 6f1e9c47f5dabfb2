import { UpstreamHttp } from '../http';
import { jenkinsJobPath } from './jobPath';
import { JenkinsBuildParameter, JenkinsRequestedBuild } from './types';

interface ExportedActions {
  actions?: Array<{
    _class?: string;
    parameters?: Array<{ name?: string; value?: unknown }>;
  } | null>;
}

interface QueueListing {
  items?: Array<
    ExportedActions & { id: number; task?: { name?: string; url?: string } }
  >;
}

interface BuildParameters extends ExportedActions {
  number: number;
  queueId?: number;
}

/**
 * Jenkins takes an item off the queue a moment before its build has a number
 * (`Executor.run` calls `Queue.onStartExecuting`, then `createExecutable`): a lookup in that
 * instant sees neither, so one that finds nothing looks at the builds once more after a pause.
 */
const DEFAULT_SETTLE_MS = 250;

const PARAMETERS_TREE = 'actions[parameters[name,value]]';

/** Whether exported `actions` hold a `ParametersAction` with this name and value. */
export function hasParameter(
  actions: ExportedActions['actions'],
  parameter: JenkinsBuildParameter,
): boolean {
  return (actions ?? []).some(action =>
    (action?.parameters ?? []).some(
      p => p.name === parameter.name && String(p.value) === parameter.value,
    ),
  );
}

/**
 * Whether a queue item's task URL is the job's: its path ends with the job's `job/NAME` chain,
 * and no further `job/` segment comes before it (that would be a job of the same name in
 * another folder). Segments are compared decoded, as Jenkins and this client encode names
 * differently (`Util.rawEncode` and `encodeURIComponent`).
 */
export function isTaskOfJob(taskUrl: string | undefined, fullName: string) {
  if (!taskUrl) return false;
  let path: string;
  try {
    path = new URL(taskUrl, 'http://jenkins.invalid/').pathname;
  } catch {
    return false;
  }
  const segments = path
    .split('/')
    .filter(Boolean)
    .map(s => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  const chain = fullName
    .split('/')
    .filter(Boolean)
    .flatMap(name => ['job', name]);
  const start = segments.length - chain.length;
  if (start < 0) return false;
  if (chain.some((s, i) => segments[start + i] !== s)) return false;
  return segments[start - 2] !== 'job';
}

/** The job's next build number, read from Jenkins every time. */
export async function readNextBuildNumber(
  http: UpstreamHttp,
  fullName: string,
): Promise<number> {
  const res = await http.request({
    method: 'GET',
    path: `${jenkinsJobPath(fullName)}/api/json`,
    query: { tree: 'nextBuildNumber' },
    operation: `read of the next build number of job "${fullName}"`,
  });
  const next = res.json<{ nextBuildNumber?: number }>().nextBuildNumber;
  if (!Number.isInteger(next)) {
    throw new Error(
      `Jenkins job "${fullName}" reported no nextBuildNumber; is it a folder rather than a job?`,
    );
  }
  return next!;
}

/** The id of a queue item of the job that carries the parameter, if one waits. */
export async function findQueuedByParameter(
  http: UpstreamHttp,
  fullName: string,
  parameter: JenkinsBuildParameter,
): Promise<number | undefined> {
  const res = await http.request({
    method: 'GET',
    path: '/queue/api/json',
    query: { tree: `items[id,task[name,url],${PARAMETERS_TREE}]` },
    operation: `read of the build queue`,
  });
  const item = (res.json<QueueListing>().items ?? []).find(
    i =>
      isTaskOfJob(i.task?.url, fullName) && hasParameter(i.actions, parameter),
  );
  return item?.id;
}

/** The first build numbered `from` to `to - 1` that carries the parameter; deleted builds are skipped. */
export async function findBuiltByParameter(
  http: UpstreamHttp,
  fullName: string,
  parameter: JenkinsBuildParameter,
  range: { from: number; to: number },
): Promise<JenkinsRequestedBuild | undefined> {
  for (let n = range.from; n < range.to; n++) {
    const res = await http.request({
      method: 'GET',
      path: `${jenkinsJobPath(fullName)}/${n}/api/json`,
      query: { tree: `number,queueId,${PARAMETERS_TREE}` },
      operation: `read of the parameters of build ${n} of job "${fullName}"`,
      acceptStatus: [404],
    });
    if (res.status === 404) continue;
    const build = res.json<BuildParameters>();
    if (hasParameter(build.actions, parameter)) {
      return { buildNumber: build.number ?? n, queueId: build.queueId };
    }
  }
  return undefined;
}

/** Queue first, then builds from `fromBuildNumber`, then the builds once more after a pause. */
export async function findBuildByParameter(
  http: UpstreamHttp,
  fullName: string,
  parameter: JenkinsBuildParameter,
  options: {
    fromBuildNumber: number;
    settleMs?: number;
    sleep: (ms: number) => Promise<void>;
  },
): Promise<JenkinsRequestedBuild | undefined> {
  const from = options.fromBuildNumber;
  if (!Number.isInteger(from) || from < 1) {
    throw new Error(
      `fromBuildNumber must be a whole number of at least 1, got ${from}`,
    );
  }
  if (!parameter.name) {
    throw new Error('The build parameter to look for needs a name');
  }
  const queueId = await findQueuedByParameter(http, fullName, parameter);
  if (queueId !== undefined) return { queueId };
  // Read after the queue: an item that has left it since is a build below this number.
  const next = await readNextBuildNumber(http, fullName);
  const found = await findBuiltByParameter(http, fullName, parameter, {
    from,
    to: next,
  });
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  if (found || settleMs <= 0) return found;
  await options.sleep(settleMs);
  const after = await readNextBuildNumber(http, fullName);
  return findBuiltByParameter(http, fullName, parameter, {
    from: Math.max(from, next),
    to: after,
  });
}
