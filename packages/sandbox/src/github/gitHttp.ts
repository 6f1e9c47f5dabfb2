import { spawn } from 'node:child_process';
import type { Request, Response } from 'express';

/**
 * Serves Git's smart HTTP protocol for the bare repositories under `root` with Debian's
 * `git http-backend` (a CGI program): the request goes to its standard input with the CGI
 * variables, and its output (CGI headers, a blank line, the body) becomes the response.
 */
export function gitHttpBackend(
  root: string,
  pathInfo: string,
  req: Request,
  res: Response,
): void {
  const query = req.originalUrl.includes('?')
    ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
    : '';
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
      PATH_INFO: pathInfo,
      REQUEST_METHOD: req.method,
      QUERY_STRING: query,
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length']
        ? { CONTENT_LENGTH: req.headers['content-length'] }
        : {}),
      ...(req.headers['content-encoding']
        ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }
        : {}),
      ...(req.headers['git-protocol']
        ? { GIT_PROTOCOL: String(req.headers['git-protocol']) }
        : {}),
      REMOTE_USER: 'x-access-token',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    },
  });
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  child.stdout.on('data', chunk => chunks.push(chunk));
  child.stderr.on('data', chunk => errors.push(chunk));
  req.pipe(child.stdin);
  child.on('error', error => {
    if (!res.headersSent) {
      res.status(500).json({ message: `git http-backend: ${error.message}` });
    }
  });
  child.on('close', code => {
    if (res.headersSent) return;
    const output = Buffer.concat(chunks);
    const end = output.indexOf('\r\n\r\n');
    const split = end >= 0 ? end : output.indexOf('\n\n');
    if (split < 0) {
      res.status(500).json({
        message: `git http-backend exited with ${code}: ${Buffer.concat(
          errors,
        ).toString()}`,
      });
      return;
    }
    const head = output.subarray(0, split).toString('latin1');
    const body = output.subarray(split + (end >= 0 ? 4 : 2));
    let status = 200;
    for (const line of head.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.status(status).end(body);
  });
}
