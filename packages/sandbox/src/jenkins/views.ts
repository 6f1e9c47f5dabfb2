import type { Request, Response } from 'express';
import { jobClass } from './jobConfig.ts';
import type { JenkinsState } from './state.ts';
import type { Job } from './types.ts';

// How Jenkins names its pages: URLs, a job's summary in a listing, the error page.

export function rootUrl(req: Request) {
  return `${req.protocol}://${req.get('host')}${req.baseUrl}`;
}

export function jobUrl(req: Request, fullName: string) {
  return `${rootUrl(req)}/${fullName
    .split('/')
    .map(n => `job/${encodeURIComponent(n)}/`)
    .join('')}`;
}

/** Sets the path template the call counts use, e.g. `/job/{name}/job/{name}/api/json`. */
export function template(res: Response, names: string[], rest: string) {
  res.locals.template = `${names.map(() => '/job/{name}').join('')}${rest}`;
}

/** A job as a folder or the root lists it, with its ball colour. */
export function jobSummary(req: Request, job: Job) {
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
}

/** The jobs directly in a folder (`''` for the root). */
export function children(state: JenkinsState, req: Request, folder: string) {
  return [...state.jobs.values()]
    .filter(j => {
      const parent = j.fullName.split('/').slice(0, -1).join('/');
      return parent === folder;
    })
    .map(j => jobSummary(req, j));
}

export function errorPage(res: Response, status: number, message: string) {
  res
    .status(status)
    .type('text/html')
    .send(
      `<html><head><title>Error ${status}</title></head><body><h2>HTTP ERROR ${status} ${message}</h2><p>${message}</p></body></html>`,
    );
}
