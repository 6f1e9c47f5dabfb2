import type { Request, Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { randomHex, uuid } from '../util.ts';
import type { ArgoCdState } from './state.ts';

function base64url(input: string): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * `POST /api/v1/session` (username and password → a JWT), the bearer token or `argocd.token`
 * cookie every other route needs, `GET /api/v1/session/userinfo` and `DELETE /api/v1/session`.
 */
export function argocdSessions(
  router: Router,
  ctx: SandboxContext,
  state: ArgoCdState,
) {
  router.post('/api/v1/session', (req, res) => {
    const { username, password } = req.body ?? {};
    if (
      !username ||
      ctx.credentials.argocdUsers[username] === undefined ||
      ctx.credentials.argocdUsers[username] !== password
    ) {
      res.status(401).json({
        error: 'Invalid username or password',
        code: 16,
        message: 'Invalid username or password',
      });
      return;
    }
    const now = Math.floor(ctx.now() / 1000);
    const token = [
      base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
      base64url(
        JSON.stringify({
          iss: 'argocd',
          sub: `${username}:login`,
          exp: now + 86400,
          nbf: now,
          iat: now,
          jti: uuid(),
        }),
      ),
      base64url(randomHex(32)),
    ].join('.');
    state.sessions.add(token);
    res.json({ token });
  });

  const user = (req: Request): string | undefined => {
    const header = req.headers.authorization ?? '';
    const cookie = /argocd\.token=([^;]+)/.exec(
      String(req.headers.cookie ?? ''),
    )?.[1];
    const token = header.startsWith('Bearer ') ? header.slice(7) : cookie;
    if (!token) return undefined;
    if (ctx.credentials.argocdTokens.includes(token)) return 'admin';
    if (state.sessions.has(token)) {
      try {
        return JSON.parse(
          Buffer.from(token.split('.')[1], 'base64url').toString(),
        ).sub.split(':')[0];
      } catch {
        return 'admin';
      }
    }
    return undefined;
  };

  router.use((req, res, next) => {
    const name = user(req);
    if (!name) {
      res.status(401).json({
        error: 'no session information',
        code: 16,
        message: 'no session information',
      });
      return;
    }
    res.locals.user = name;
    next();
  });

  router.get('/api/v1/session/userinfo', (_req, res) => {
    res.json({ loggedIn: true, username: res.locals.user, iss: 'argocd' });
  });

  router.delete('/api/v1/session', (req, res) => {
    const header = req.headers.authorization ?? '';
    state.sessions.delete(header.slice(7));
    res.json({});
  });
}
